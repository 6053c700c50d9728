package org.rnn4j.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.MiniJson;

/**
 * The cases of {@code keras_ops_refs.txt} (made by {@code tools/keras-refs/ops_refs.py}) and of
 * {@code keras_logic_refs.txt} (same format, {@code tools/keras-refs/logic_refs.py}).
 */
final class KerasOpsRefs {
    static final class Case {
        String name;
        Map<String, Object> entry;
        final List<Tensor> inputs = new ArrayList<>();
        Tensor r;
        Tensor out;
        final List<Tensor> grads = new ArrayList<>();

        String module() {
            return (String) entry.get("module");
        }

        String className() {
            return (String) entry.get("class_name");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> config() {
            return (Map<String, Object>) entry.get("config");
        }

        @SuppressWarnings("unchecked")
        List<Object> args() {
            return (List<Object>) entry.get("args");
        }

        Op op() {
            return Ops.fromKeras(module(), className(), config(), args());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private KerasOpsRefs() {
    }

    static List<Case> load() throws IOException {
        return load("keras_ops_refs.txt");
    }

    @SuppressWarnings("unchecked")
    static List<Case> load(String resource) throws IOException {
        String text;
        try (InputStream in = KerasOpsRefs.class.getResourceAsStream(resource)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Case> cases = new ArrayList<>();
        Case c = null;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# case ")) {
                c = new Case();
                c.name = line.substring(7).trim();
                cases.add(c);
            } else if (line.startsWith("layer ")) {
                c.entry = (Map<String, Object>) MiniJson.parse(line.substring(6));
            } else {
                int sp = line.indexOf(' ');
                String kind = line.substring(0, sp);
                Tensor t = tensor(line.substring(sp + 1));
                switch (kind) {
                    case "in" -> c.inputs.add(t);
                    case "r" -> c.r = t;
                    case "out" -> c.out = t;
                    case "grad" -> c.grads.add(t);
                    default -> throw new IllegalStateException("bad line " + line);
                }
            }
        }
        return cases;
    }

    static Tensor tensor(String s) {
        String[] parts = s.trim().split(" ");
        String[] dims = parts[0].split(",");
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = Integer.parseInt(dims[i]);
        }
        float[] d = new float[parts.length - 1];
        for (int i = 0; i < d.length; i++) {
            d[i] = value(parts[i + 1]);
        }
        return Tensor.of(d, shape);
    }

    /** A float as Python's repr writes it ({@code nan}, {@code inf}, {@code -inf} included). */
    private static float value(String s) {
        return switch (s) {
            case "nan" -> Float.NaN;
            case "inf" -> Float.POSITIVE_INFINITY;
            case "-inf" -> Float.NEGATIVE_INFINITY;
            default -> Float.parseFloat(s);
        };
    }
}
