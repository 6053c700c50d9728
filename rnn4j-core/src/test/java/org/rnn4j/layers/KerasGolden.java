package org.rnn4j.layers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Tensor;

/**
 * Reads golden cases written by a Keras 3 generator script (kept outside the repo): per case the
 * input {@code x}, the weights in {@code model.weights} order, and {@code y = model.predict(x)}.
 */
final class KerasGolden {
    record Case(String name, Tensor x, List<Tensor> weights, Tensor y) {
    }

    private KerasGolden() {
    }

    static Map<String, Case> load(String resource) {
        Map<String, Case> cases = new LinkedHashMap<>();
        try (var in = KerasGolden.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String name = null;
            Tensor x = null;
            List<Tensor> weights = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("# case ")) {
                    name = line.substring(7).trim();
                    weights = new ArrayList<>();
                } else if (line.startsWith("x ")) {
                    x = parse(line.substring(2));
                } else if (line.startsWith("w ")) {
                    String rest = line.substring(2);
                    weights.add(parse(rest.substring(rest.indexOf(' ') + 1)));
                } else if (line.startsWith("y ")) {
                    cases.put(name, new Case(name, x, weights, parse(line.substring(2))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    private static Tensor parse(String shapeAndValues) {
        String[] parts = shapeAndValues.trim().split(" ");
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
