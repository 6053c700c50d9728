package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.testing.MiniJson;
import org.rnn4j.util.Rng;

/**
 * Conv1D/2DTranspose, UpSampling1D/2D, ZeroPadding1D/2D and Cropping1D/2D against real Keras 3
 * (convt/keras_convt_refs.txt, made by tools/keras-refs/conv_transpose_refs.py): each case's
 * config loads through the registry, its forward output, input gradient and weight gradients
 * equal TensorFlow's, its config has Keras's keys and values, and its backward passes a
 * finite-difference check.
 */
class ConvTransposeRefsTest {
    static final class Case {
        String name;
        String layer;
        String config;
        Tensor in;
        final List<Tensor> weights = new ArrayList<>();
        Tensor r;
        Tensor out;
        Tensor grad;
        final List<Tensor> wgrads = new ArrayList<>();
    }

    private static final Map<String, Case> CASES = load();

    private static Map<String, Case> load() {
        Map<String, Case> cases = new LinkedHashMap<>();
        try (var in = ConvTransposeRefsTest.class.getResourceAsStream("convt/keras_convt_refs.txt")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Case c = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("# case ")) {
                    c = new Case();
                    c.name = line.substring(7).trim();
                    cases.put(c.name, c);
                    continue;
                }
                if (line.startsWith("#")) {
                    continue;
                }
                int sp = line.indexOf(' ');
                String key = line.substring(0, sp);
                String rest = line.substring(sp + 1);
                switch (key) {
                    case "layer" -> {
                        int s2 = rest.indexOf(' ');
                        c.layer = rest.substring(0, s2);
                        c.config = rest.substring(s2 + 1);
                    }
                    case "in" -> c.in = tensor(rest);
                    case "w" -> c.weights.add(tensor(rest));
                    case "r" -> c.r = tensor(rest);
                    case "out" -> c.out = tensor(rest);
                    case "grad" -> c.grad = tensor(rest);
                    case "wgrad" -> c.wgrads.add(tensor(rest));
                    default -> throw new IllegalStateException("unknown line " + key);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return cases;
    }

    static Tensor tensor(String text) {
        String[] parts = text.trim().split(" ");
        int[] shape = Arrays.stream(parts[0].split(",")).mapToInt(Integer::parseInt).toArray();
        float[] v = new float[parts.length - 1];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.parseFloat(parts[i + 1]);
        }
        return Tensor.of(v, shape);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String text) {
        return (Map<String, Object>) MiniJson.parse(text);
    }

    static Stream<String> cases() {
        return CASES.keySet().stream();
    }

    /** The layer as the registry builds it from Keras's config, built and given Keras's weights. */
    static Layer layer(Case c) throws Exception {
        Layer l = LayerRegistry.create(c.layer, json(c.config), "case " + c.name, Long.MAX_VALUE);
        l.build(Arrays.copyOfRange(c.in.shape(), 1, c.in.rank()), new Rng(3));
        assertEquals(c.weights.size(), l.weights().size(), c.name + ": weight count");
        for (int i = 0; i < c.weights.size(); i++) {
            assertArrayEquals(c.weights.get(i).shape(), l.weights().get(i).shape(), c.name + ": weight " + i + " shape");
            l.weights().get(i).assign(c.weights.get(i));
        }
        return l;
    }

    static void assertClose(Tensor want, Tensor got, double tol, String what) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        for (int i = 0; i < want.size(); i++) {
            double w = want.data()[i];
            double d = Math.abs(w - got.data()[i]);
            assertTrue(d <= tol * Math.max(1, Math.abs(w)), what + "[" + i + "]: expected " + w + ", got " + got.data()[i]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesKerasForwardAndGradients(String name) throws Exception {
        Case c = CASES.get(name);
        Layer l = layer(c);
        assertArrayEquals(Arrays.copyOfRange(c.out.shape(), 1, c.out.rank()), l.outputShape(), name + ": output shape");
        LayerContext ctx = new LayerContext();
        Tensor y = l.forward(c.in, null, true, ctx);
        assertClose(c.out, y, 1e-5, name + " out");
        Tensor dx = l.backward(c.r.copy(), ctx);
        assertClose(c.grad, dx, 1e-5, name + " grad");
        for (int i = 0; i < c.wgrads.size(); i++) {
            assertClose(c.wgrads.get(i), l.weights().get(i).grad(), 1e-5, name + " wgrad " + i);
        }
        // inference gives the same numbers as training
        assertClose(c.out, l.forward(c.in, null, false, new LayerContext()), 1e-6, name + " predict");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void passesGradientCheck(String name) throws Exception {
        Case c = CASES.get(name);
        GradientCheck.check(layer(c), c.in, null, true, 1e-2, 2e-3);
    }

    private static final Set<String> SERIALIZED_OBJECTS = Set.of("kernel_initializer", "bias_initializer");

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void configHasKerasKeysAndValues(String name) throws Exception {
        Case c = CASES.get(name);
        Map<String, Object> keras = json(c.config);
        Layer l = layer(c);
        assertEquals(c.layer, l.className());
        Map<String, Object> ours = new LinkedHashMap<>(l.config());
        ours.keySet().removeAll(Set.of("name", "trainable", "dtype"));
        assertEquals(new ArrayList<>(keras.keySet()), new ArrayList<>(ours.keySet()), name + ": config keys");
        for (String k : keras.keySet()) {
            if (!SERIALIZED_OBJECTS.contains(k)) {
                assertEquals(normal(keras.get(k)), normal(ours.get(k)), name + ": " + k);
            }
        }
        Layer again = LayerRegistry.create(c.layer, l.config(), "again", Long.MAX_VALUE);
        assertEquals(normal(l.config()), normal(again.config()), name + ": our config rebuilds the same layer");
    }

    private static Object normal(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(o -> out.add(normal(o)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, o) -> out.put(k, normal(o)));
            return out;
        }
        return v;
    }
}
