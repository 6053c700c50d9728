package org.rnn4j.layers.conv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.MiniJson;

/**
 * Reads conv-refs/conv_refs.txt, made by tools/keras-refs/conv_refs.py with real Keras 3.15 (format
 * documented there): per case the layer's class and config, input, mask, weights, the output and
 * TensorFlow's gradients of {@code sum(output * r)}.
 */
final class ConvRefs {
    static final class Case {
        String name;
        String layer;
        Map<String, Object> config;
        Tensor in;
        Mask mask;
        final List<Tensor> weights = new ArrayList<>();
        Tensor r;
        Tensor out;
        Tensor gin;
        final List<Tensor> gw = new ArrayList<>();
    }

    private ConvRefs() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Case> load() {
        Map<String, Case> cases = new LinkedHashMap<>();
        try (var in = ConvRefs.class.getResourceAsStream("/conv-refs/conv_refs.txt")) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource conv-refs/conv_refs.txt");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Case c = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("# case ")) {
                    c = new Case();
                    c.name = line.substring(7).trim();
                    cases.put(c.name, c);
                } else if (line.startsWith("layer ")) {
                    String rest = line.substring(6);
                    int sp = rest.indexOf(' ');
                    c.layer = rest.substring(0, sp);
                    c.config = (Map<String, Object>) MiniJson.parse(rest.substring(sp + 1));
                    c.config.put("name", c.name);
                } else if (line.startsWith("in ")) {
                    c.in = tensor(line.substring(3));
                } else if (line.startsWith("mask ")) {
                    Tensor t = tensor(line.substring(5));
                    boolean[] b = new boolean[t.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = t.data()[i] != 0f;
                    }
                    c.mask = new Mask(b, t.dim(0), t.dim(1));
                } else if (line.startsWith("w ")) {
                    c.weights.add(tensor(line.substring(2)));
                } else if (line.startsWith("r ")) {
                    c.r = tensor(line.substring(2));
                } else if (line.startsWith("out ")) {
                    c.out = tensor(line.substring(4));
                } else if (line.startsWith("gin ")) {
                    c.gin = tensor(line.substring(4));
                } else if (line.startsWith("gw ")) {
                    c.gw.add(tensor(line.substring(3)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    static Tensor tensor(String text) {
        String[] parts = text.trim().split(" ");
        String[] dims = parts[0].split(",");
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = Integer.parseInt(dims[i]);
        }
        float[] v = new float[parts.length - 1];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.parseFloat(parts[i + 1]);
        }
        return Tensor.of(v, shape);
    }
}
