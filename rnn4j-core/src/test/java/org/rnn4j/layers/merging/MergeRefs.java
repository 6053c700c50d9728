package org.rnn4j.layers.merging;

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

/**
 * Reads keras_merge_refs.txt, made by tools/keras-refs/merging_refs.py with real Keras 3 (format
 * documented there): per case the layer's class and options, the inputs and their masks, the
 * output and its mask, and TensorFlow's gradients of {@code sum(output * r)}.
 */
final class MergeRefs {
    static final class Case {
        String name;
        String layer;
        String options;
        final List<Tensor> inputs = new ArrayList<>();
        final List<Mask> masks = new ArrayList<>();
        Tensor r;
        Tensor out;
        Mask outMask;
        final List<Tensor> grads = new ArrayList<>();
    }

    /** Case name -> case; and the Keras configs (class -> JSON text) under {@link #configs}. */
    final Map<String, Case> cases = new LinkedHashMap<>();
    final List<String[]> configs = new ArrayList<>();

    static MergeRefs load() {
        MergeRefs refs = new MergeRefs();
        try (var in = MergeRefs.class.getResourceAsStream("keras_merge_refs.txt")) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource keras_merge_refs.txt");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Case c = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("# case ")) {
                    c = new Case();
                    c.name = line.substring(7).trim();
                    refs.cases.put(c.name, c);
                } else if (line.startsWith("# ")) {
                    continue;
                } else if (line.startsWith("layer ")) {
                    String rest = line.substring(6);
                    int sp = rest.indexOf(' ');
                    c.layer = rest.substring(0, sp);
                    c.options = rest.substring(sp + 1);
                } else if (line.startsWith("in ")) {
                    c.inputs.add(tensor(line.substring(3)));
                } else if (line.startsWith("mask ")) {
                    c.masks.add(mask(line.substring(5)));
                } else if (line.startsWith("r ")) {
                    c.r = tensor(line.substring(2));
                } else if (line.startsWith("out ")) {
                    c.out = tensor(line.substring(4));
                } else if (line.startsWith("outmask ")) {
                    c.outMask = mask(line.substring(8));
                } else if (line.startsWith("grad ")) {
                    c.grads.add(tensor(line.substring(5)));
                } else if (line.startsWith("config ")) {
                    String rest = line.substring(7);
                    int sp = rest.indexOf(' ');
                    refs.configs.add(new String[] {rest.substring(0, sp), rest.substring(sp + 1)});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return refs;
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

    static Mask mask(String text) {
        if (text.trim().equals("-")) {
            return null;
        }
        Tensor t = tensor(text);
        boolean[] b = new boolean[t.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = t.data()[i] != 0f;
        }
        return new Mask(b, t.dim(0), t.dim(1));
    }
}
