package org.rnn4j.layers.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.io.Npy;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.normalization.LayerNormalization;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.SharedFiles;

/**
 * Forward numbers against real Keras 3.15 (TensorFlow backend): each layer rebuilt from the config
 * Keras wrote, Keras's weights assigned by name and order, outputs within 1e-5. References from
 * tools/keras-refs/attention_refs.py.
 */
class KerasAttentionRefsTest {
    static Stream<String> caseNames() {
        return KerasAttentionRefs.cases().stream().map(c -> (String) c.get("name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseNames")
    void matchesKeras(String name) {
        Map<String, Object> c = KerasAttentionRefs.find(name);
        List<Tensor> inputs = KerasAttentionRefs.layerInputs(c);
        Layer layer = KerasAttentionRefs.layer(c, inputs);
        List<Mask> masks = KerasAttentionRefs.masks(c);
        if (masks != null && masks.size() < inputs.size()) {
            masks = new ArrayList<>(masks);
            while (masks.size() < inputs.size()) {
                masks.add(null);
            }
        }
        List<Tensor> expected = KerasAttentionRefs.tensors(c, "outputs");
        List<Tensor> actual = layer.forwardAll(inputs, masks, false, new LayerContext());
        assertEquals(expected.size(), actual.size(), name + ": outputs");
        for (int o = 0; o < expected.size(); o++) {
            assertArrayEquals(expected.get(o).shape(), actual.get(o).shape(), name + ": shape of output " + o);
            float diff = expected.get(o).maxAbsDiff(actual.get(o));
            assertTrue(diff < 1e-5, name + ": output " + o + " differs from Keras by " + diff);
            // the shapes the layer declares match what it returns
            int[] declared = layer.computeOutputShapes(layer.inputShapes()).get(o);
            int[] got = actual.get(o).shape();
            assertArrayEquals(java.util.Arrays.copyOfRange(got, 1, got.length), declared, name + ": declared shape");
        }
        // and the config written back reads back to the same layer config
        Map<String, Object> cfg = layer.config();
        for (String key : List.of("name", "num_heads", "key_dim", "value_dim", "use_bias", "use_scale", "score_mode",
                "center", "scale", "epsilon", "axis", "output_shape")) {
            Object keras = ((Map<?, ?>) c.get("config")).get(key);
            if (((Map<?, ?>) c.get("config")).containsKey(key)) {
                assertEquals(norm(keras), norm(cfg.get(key)), name + ": config key " + key);
            }
        }
    }

    private static Object norm(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(KerasAttentionRefsTest::norm).toList();
        }
        return v;
    }

    /** Keras's keys, in Keras's order, for every layer (the loader registry relies on them). */
    @Test
    void configKeysAreKeras() {
        for (Map<String, Object> c : KerasAttentionRefs.cases()) {
            Layer layer = KerasAttentionRefs.layer(c, KerasAttentionRefs.layerInputs(c));
            List<String> keras = new ArrayList<>(((Map<String, Object>) c.get("config")).keySet());
            List<String> ours = new ArrayList<>(layer.config().keySet());
            assertEquals(keras, ours, c.get("name") + ": config keys");
        }
    }

    /**
     * The shared functional fixture self_attention: LSTM -> Attention([s, s]) -> GlobalAveragePooling1D
     * -> Dense. From the LSTM's output that Keras computed, this layer and the tail reproduce the
     * fixture's prediction.
     */
    @Test
    void reproducesTheSelfAttentionFixture() throws IOException {
        Map<String, Object> c = KerasAttentionRefs.find("fixture_self_attention");
        List<Tensor> in = KerasAttentionRefs.tensors(c, "inputs");
        Layer att = KerasAttentionRefs.layer(c, in);
        Tensor a = att.forwardAll(in, null, false, new LayerContext()).get(0);
        Tensor y = denseTail(a, KerasAttentionRefs.tensors(c, "tail_dense"), (String) c.get("tail_activation"));
        assertClose(KerasAttentionRefs.npy(c.get("model_output")), y, 1e-5, "self_attention");
        fixtureOutput("self_attention", y);
    }

    /** mha_block: MultiHeadAttention(x, x) + x -> LayerNormalization -> GlobalAveragePooling1D -> Dense. */
    @Test
    void reproducesTheMhaBlockFixture() throws IOException {
        Map<String, Object> c = KerasAttentionRefs.find("fixture_mha_block");
        List<Tensor> in = KerasAttentionRefs.tensors(c, "inputs");
        Layer mha = KerasAttentionRefs.layer(c, in);
        Tensor x = in.get(0);
        Tensor m = mha.forwardAll(in, null, false, new LayerContext()).get(0);
        float[] sum = m.data().clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += x.data()[i];
        }
        Map<String, Object> lnCase = KerasAttentionRefs.find("fixture_mha_block_ln");
        Tensor added = Tensor.of(sum, x.shape());
        Layer ln = KerasAttentionRefs.layer(lnCase, List.of(added));
        assertTrue(ln instanceof LayerNormalization);
        Tensor n = ln.forward(added, null, false, new LayerContext());
        Tensor y = denseTail(n, KerasAttentionRefs.tensors(lnCase, "tail_dense"), (String) lnCase.get("tail_activation"));
        assertClose(KerasAttentionRefs.npy(lnCase.get("model_output")), y, 1e-5, "mha_block");
        fixtureOutput("mha_block", y);
    }

    /** When the shared fixtures are present, compare with the fixture's own y0 too. */
    private static void fixtureOutput(String name, Tensor y) throws IOException {
        java.nio.file.Path p;
        try {
            p = SharedFiles.find("fixtures/keras-functional/" + name + ".y0.npy");
        } catch (IllegalStateException e) {
            return;
        }
        if (Files.exists(p)) {
            assertClose(Npy.read(p), y, 1e-5, name + " fixture y0");
        }
    }

    /** GlobalAveragePooling1D then Dense(kernel, bias) with a linear or softmax activation. */
    private static Tensor denseTail(Tensor h, List<Tensor> dense, String activation) {
        int b = h.dim(0);
        int t = h.dim(1);
        int f = h.dim(2);
        Tensor kernel = dense.get(0);
        Tensor bias = dense.get(1);
        int units = kernel.dim(1);
        float[] out = new float[b * units];
        for (int i = 0; i < b; i++) {
            double[] mean = new double[f];
            for (int s = 0; s < t; s++) {
                for (int j = 0; j < f; j++) {
                    mean[j] += h.data()[(i * t + s) * f + j];
                }
            }
            for (int u = 0; u < units; u++) {
                double z = bias.data()[u];
                for (int j = 0; j < f; j++) {
                    z += (float) (mean[j] / t) * kernel.data()[j * units + u];
                }
                out[i * units + u] = (float) z;
            }
            if ("softmax".equals(activation)) {
                double mx = Double.NEGATIVE_INFINITY;
                for (int u = 0; u < units; u++) {
                    mx = Math.max(mx, out[i * units + u]);
                }
                double s = 0;
                for (int u = 0; u < units; u++) {
                    s += Math.exp(out[i * units + u] - mx);
                }
                for (int u = 0; u < units; u++) {
                    out[i * units + u] = (float) (Math.exp(out[i * units + u] - mx) / s);
                }
            } else if ("sigmoid".equals(activation)) {
                for (int u = 0; u < units; u++) {
                    out[i * units + u] = (float) (1 / (1 + Math.exp(-out[i * units + u])));
                }
            } else if (!"linear".equals(activation)) {
                throw new IllegalArgumentException("activation " + activation);
            }
        }
        return Tensor.of(out, b, units);
    }

    private static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float d = expected.maxAbsDiff(actual);
        assertTrue(d < tol, what + ": differs by " + d);
    }
}
