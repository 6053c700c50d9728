package org.rnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.MultiInputGradientCheck;

/**
 * Every op use of {@code keras_ops_refs.txt}, built from the op's real Keras 3 config.json entry
 * with {@link Ops#fromKeras}: forward and input gradients equal TensorFlow's, the entry saves back
 * the same (config and args), and a finite-difference check proves the backward pass.
 */
class KerasOpsParityTest {
    static Stream<KerasOpsRefs.Case> cases() throws Exception {
        return KerasOpsRefs.load().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardAndGradientsMatchKeras(KerasOpsRefs.Case c) {
        Op op = c.op();
        List<int[]> shapes = new ArrayList<>();
        for (Tensor t : c.inputs) {
            shapes.add(org.rnn4j.tensor.Shapes.dropFirst(t.shape()));
        }
        int[] declared = op.computeOutputShapes(shapes).get(0);
        assertArrayEquals(org.rnn4j.tensor.Shapes.dropFirst(c.out.shape()), declared, c.name + ": output shape");
        LayerContext ctx = new LayerContext();
        Tensor y = op.forwardAll(c.inputs, null, true, ctx).get(0);
        assertArrayEquals(c.out.shape(), y.shape(), c.name + ": runtime shape");
        assertClose(c.out, y, 1e-5, c.name + " output");
        List<Tensor> g = op.backwardAll(List.of(c.r), ctx);
        assertEquals(c.inputs.size(), g.size(), c.name + ": one gradient per tensor");
        for (int i = 0; i < g.size(); i++) {
            assertClose(c.grads.get(i), g.get(i), 2e-5, c.name + " gradient " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void savesBackTheSameEntry(KerasOpsRefs.Case c) {
        Op op = c.op();
        assertEquals(c.module(), op.kerasModule());
        assertEquals(c.className(), op.className());
        assertEquals(norm(c.config()), norm(op.config()), c.name + ": config");
        List<Object> tensors = new ArrayList<>();
        collectTensors(c.args(), tensors);
        assertEquals(tensors.size(), op.tensorArgCount());
        assertEquals(Ops.tensorArgs(c.args()).size(), tensors.size());
        assertEquals(norm(c.args()), norm(op.kerasArgs(tensors)), c.name + ": args");
        assertTrue(op.kerasKwargs().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void finiteDifferenceGradients(KerasOpsRefs.Case c) {
        Op op = c.op();
        List<Tensor> inputs = new ArrayList<>();
        boolean kink = List.of("Relu", "Absolute", "Max", "Min").contains(c.className());
        for (Tensor t : c.inputs) {
            inputs.add(kink ? spread(t) : t.copy());
        }
        MultiInputGradientCheck.check(op, inputs, null);
    }

    /** Distinct values at least 0.05 apart and away from 0, in the order of {@code t}'s values. */
    static Tensor spread(Tensor t) {
        float[] d = t.data();
        Integer[] idx = new Integer[d.length];
        for (int i = 0; i < d.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Float.compare(d[a], d[b]));
        float[] out = new float[d.length];
        for (int k = 0; k < d.length; k++) {
            out[idx[k]] = (k - d.length / 2 + 0.5f) * 0.1f;
        }
        return Tensor.of(out, t.shape());
    }

    static void assertClose(Tensor want, Tensor got, double tol, String what) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        float[] w = want.data();
        float[] g = got.data();
        for (int i = 0; i < w.length; i++) {
            double err = Math.abs(w[i] - g[i]) / Math.max(1.0, Math.abs(w[i]));
            assertTrue(err <= tol, what + "[" + i + "]: Keras " + w[i] + ", rnn4j " + g[i]);
        }
    }

    static void collectTensors(Object o, List<Object> out) {
        if (o instanceof Map<?, ?> m && "__keras_tensor__".equals(m.get("class_name"))) {
            out.add(o);
        } else if (o instanceof List<?> l) {
            for (Object e : l) {
                collectTensors(e, out);
            }
        }
    }

    /** Numbers as doubles, so Integer/Long/Double from different sources compare equal. */
    static Object norm(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            for (Object e : l) {
                c.add(norm(e));
            }
            return c;
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                c.put(String.valueOf(e.getKey()), norm(e.getValue()));
            }
            return c;
        }
        return o;
    }
}
