package org.rnn4j.layers.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Mask;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.MiniJson;
import org.rnn4j.util.Rng;

/**
 * The literal-valued assertions of Keras 3.15's own tests (conv_test, separable_conv_test,
 * depthwise_conv_test, pooling/*_test), recorded by tools/keras-refs/conv_keras_tests.py while
 * Keras's tests ran: each {@code run_layer_test} shape case (output shape, trainable weight count)
 * and each {@code assertAllClose} on a layer's output (same config, weights, input, mask and
 * tolerance as Keras's test).
 */
class KerasConvOwnTestsTest {
    private static final class Case {
        String kind;
        String title;
        String layer;
        Map<String, Object> config;
        int[] inShape;
        int[] outShape;
        int trainable;
        Tensor in;
        Mask mask;
        final List<Tensor> weights = new ArrayList<>();
        Tensor expected;
        double atol;
        double rtol;
    }

    @SuppressWarnings("unchecked")
    private static List<Case> load() {
        List<Case> cases = new ArrayList<>();
        try (var raw = KerasConvOwnTestsTest.class.getResourceAsStream("/keras-tests/keras_conv_tests.txt.gz")) {
            if (raw == null) {
                throw new IllegalStateException("Missing test resource keras-tests/keras_conv_tests.txt.gz");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
            Case c = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("# shape ") || line.startsWith("# value ")) {
                    c = new Case();
                    c.kind = line.substring(2, 7);
                    c.title = line.substring(8);
                    cases.add(c);
                } else if (line.startsWith("layer ")) {
                    String rest = line.substring(6);
                    int sp = rest.indexOf(' ');
                    c.layer = rest.substring(0, sp);
                    c.config = (Map<String, Object>) MiniJson.parse(rest.substring(sp + 1));
                } else if (line.startsWith("inshape ")) {
                    c.inShape = ints(line.substring(8));
                } else if (line.startsWith("outshape ")) {
                    c.outShape = ints(line.substring(9));
                } else if (line.startsWith("trainable ")) {
                    c.trainable = Integer.parseInt(line.substring(10).trim());
                } else if (line.startsWith("in ")) {
                    c.in = ConvRefs.tensor(line.substring(3));
                } else if (line.startsWith("mask ")) {
                    Tensor t = ConvRefs.tensor(line.substring(5));
                    boolean[] b = new boolean[t.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = t.data()[i] != 0f;
                    }
                    c.mask = new Mask(b, t.dim(0), t.dim(1));
                } else if (line.startsWith("w ")) {
                    c.weights.add(ConvRefs.tensor(line.substring(2)));
                } else if (line.startsWith("expected ")) {
                    c.expected = ConvRefs.tensor(line.substring(9));
                } else if (line.startsWith("tol ")) {
                    String[] t = line.substring(4).trim().split(" ");
                    c.atol = Double.parseDouble(t[0]);
                    c.rtol = Double.parseDouble(t[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    private static int[] ints(String csv) {
        return java.util.Arrays.stream(csv.trim().split(",")).mapToInt(Integer::parseInt).toArray();
    }

    @TestFactory
    Stream<DynamicTest> kerasOwnAssertions() {
        List<DynamicTest> tests = new ArrayList<>();
        int n = 0;
        for (Case c : load()) {
            tests.add(DynamicTest.dynamicTest(c.kind + " " + (n++) + " " + c.title,
                    () -> (c.kind.equals("shape") ? (Check) () -> shape(c) : (Check) () -> value(c)).run()));
        }
        return tests.stream();
    }

    private interface Check {
        void run() throws Exception;
    }

    private static void shape(Case c) throws Exception {
        Layer l = LayerRegistry.fromConfig(c.layer, c.config);
        int[] in = Shapes.dropFirst(c.inShape);
        l.build(in, new Rng(1));
        assertArrayEquals(Shapes.dropFirst(c.outShape), l.computeOutputShape(in), c.title + ": output shape");
        Tensor y = l.forward(Tensor.zeros(c.inShape), null, false);
        assertArrayEquals(c.outShape, y.shape(), c.title + ": forward shape");
        long trainable = l.weights().stream().filter(v -> v.trainable()).count();
        assertEquals(c.trainable, trainable, c.title + ": trainable weights");
    }

    private static void value(Case c) throws Exception {
        Layer l = LayerRegistry.fromConfig(c.layer, c.config);
        l.build(Shapes.dropFirst(c.in.shape()), new Rng(1));
        assertEquals(c.weights.size(), l.weights().size(), c.title + ": weight count");
        for (int i = 0; i < c.weights.size(); i++) {
            l.weights().get(i).assign(c.weights.get(i));
        }
        Tensor y = l.forward(c.in, c.mask, false);
        assertArrayEquals(c.expected.shape(), y.shape(), c.title + ": shape");
        for (int i = 0; i < y.size(); i++) {
            double e = c.expected.data()[i];
            double a = y.data()[i];
            assertTrue(Math.abs(a - e) <= c.atol + c.rtol * Math.abs(e) || (Double.isNaN(e) && Double.isNaN(a)),
                    c.title + ": element " + i + " is " + a + ", Keras expects " + e + " (atol " + c.atol
                            + ", rtol " + c.rtol + ")");
        }
    }
}
