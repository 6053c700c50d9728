package org.rnn4j.layers.attention;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.io.Npy;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.Variable;
import org.rnn4j.layers.normalization.LayerNormalization;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.MiniJson;

/** The Keras reference cases of tools/keras-refs/attention_refs.py (test resources attention-refs/). */
final class KerasAttentionRefs {
    private KerasAttentionRefs() {
    }

    static Path dir() {
        try {
            return Path.of(KerasAttentionRefs.class.getResource("/attention-refs/cases.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases() {
        try {
            Map<String, Object> root = (Map<String, Object>) MiniJson.parse(Files.readString(dir().resolve("cases.json")));
            return (List<Map<String, Object>>) root.get("cases");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> find(String name) {
        for (Map<String, Object> c : cases()) {
            if (name.equals(c.get("name"))) {
                return c;
            }
        }
        throw new IllegalArgumentException("no reference case " + name);
    }

    static Tensor npy(Object file) {
        try {
            return Npy.read(dir().resolve((String) file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Tensor> tensors(Map<String, Object> c, String key) {
        List<Tensor> out = new ArrayList<>();
        for (Object f : (List<Object>) c.get(key)) {
            out.add(npy(f));
        }
        return out;
    }

    /** The case's masks as (batch, time) masks (null entries kept); null when the case has none. */
    @SuppressWarnings("unchecked")
    static List<Mask> masks(Map<String, Object> c) {
        List<Object> files = (List<Object>) c.get("masks");
        boolean any = false;
        List<Mask> out = new ArrayList<>();
        for (Object f : files) {
            if (f == null) {
                out.add(null);
                continue;
            }
            any = true;
            Tensor m = npy(f);
            boolean[] v = new boolean[m.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = m.data()[i] != 0f;
            }
            out.add(new Mask(v, m.dim(0), m.dim(1)));
        }
        return any ? out : null;
    }

    /** The layer of a case, from Keras's own config plus the case's call options, built and with Keras's weights. */
    @SuppressWarnings("unchecked")
    static Layer layer(Map<String, Object> c, List<Tensor> inputs) {
        Map<String, Object> config = (Map<String, Object>) c.get("config");
        Map<String, Object> call = (Map<String, Object>) c.get("call");
        boolean causal = Boolean.TRUE.equals(call.get("use_causal_mask"));
        boolean scores = Boolean.TRUE.equals(call.get("return_attention_scores"));
        boolean am = c.get("attention_mask") != null;
        Layer layer;
        switch ((String) c.get("class_name")) {
            case "LayerNormalization" -> layer = LayerNormalization.fromConfig(config);
            case "Attention" -> layer = Attention.fromConfig(config).useCausalMask(causal).returnAttentionScores(scores);
            case "AdditiveAttention" -> layer = AdditiveAttention.fromConfig(config).useCausalMask(causal)
                    .returnAttentionScores(scores);
            case "MultiHeadAttention" -> layer = MultiHeadAttention.fromConfig(config).useCausalMask(causal)
                    .returnAttentionScores(scores).attentionMaskInput(am);
            default -> throw new IllegalArgumentException("unknown class " + c.get("class_name"));
        }
        List<int[]> shapes = new ArrayList<>();
        for (Tensor t : inputs) {
            shapes.add(Shapes.dropFirst(t.shape()));
        }
        layer.build(shapes, new org.rnn4j.util.Rng(1));
        List<Object> weights = (List<Object>) c.get("weights");
        if (weights.size() != layer.weights().size()) {
            throw new AssertionError(c.get("name") + ": Keras has " + weights.size() + " weights, the layer "
                    + layer.weights().size());
        }
        for (int i = 0; i < weights.size(); i++) {
            Map<String, Object> w = (Map<String, Object>) weights.get(i);
            Variable v = layer.weights().get(i);
            if (!w.get("path").equals(v.name())) {
                throw new AssertionError(c.get("name") + ": weight " + i + " is '" + w.get("path") + "' in Keras, '"
                        + v.name() + "' here");
            }
            v.assign(npy(w.get("file")));
        }
        return layer;
    }

    /** The inputs as the layer takes them: the tensors, then the attention mask when the case has one. */
    static List<Tensor> layerInputs(Map<String, Object> c) {
        List<Tensor> inputs = tensors(c, "inputs");
        if (c.get("attention_mask") != null) {
            inputs.add(npy(c.get("attention_mask")));
        }
        return inputs;
    }
}
