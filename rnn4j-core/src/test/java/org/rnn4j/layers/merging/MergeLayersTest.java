package org.rnn4j.layers.merging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.Permute;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.testing.MultiInputGradientCheck;
import org.rnn4j.util.Rng;

/** Merge layers and Permute: Keras 3 reference values, gradients, masks, configs, errors, threads. */
class MergeLayersTest {
    private static final MergeRefs REFS = MergeRefs.load();

    static Layer fromConfig(String cls, Map<String, Object> config) {
        return switch (cls) {
            case "Add" -> Add.fromConfig(config);
            case "Subtract" -> Subtract.fromConfig(config);
            case "Multiply" -> Multiply.fromConfig(config);
            case "Average" -> Average.fromConfig(config);
            case "Maximum" -> Maximum.fromConfig(config);
            case "Minimum" -> Minimum.fromConfig(config);
            case "Concatenate" -> Concatenate.fromConfig(config);
            case "Dot" -> Dot.fromConfig(config);
            case "Permute" -> Permute.fromConfig(config);
            default -> throw new IllegalArgumentException(cls);
        };
    }

    static Stream<String> cases() {
        return REFS.cases.keySet().stream();
    }

    private static List<int[]> sampleShapes(List<Tensor> xs) {
        List<int[]> l = new ArrayList<>();
        for (Tensor t : xs) {
            l.add(Arrays.copyOfRange(t.shape(), 1, t.rank()));
        }
        return l;
    }

    private static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.data()[i];
            double a = actual.data()[i];
            assertTrue(Math.abs(e - a) <= tol * Math.max(1, Math.abs(e)),
                    what + "[" + i + "]: Keras " + e + " vs rnn4j " + a);
        }
    }

    private static void assertMask(Mask expected, Mask actual, String what) {
        if (expected == null) {
            assertNull(actual, what + ": Keras has no output mask");
            return;
        }
        assertNotNull(actual, what + ": Keras has an output mask");
        assertEquals(expected.batch(), actual.batch(), what);
        assertEquals(expected.time(), actual.time(), what);
        assertArrayEquals(expected.values(), actual.values(), what);
    }

    /** Forward values, output mask and TensorFlow's input gradients, all from real Keras 3. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesKeras(String name) {
        MergeRefs.Case c = REFS.cases.get(name);
        Layer layer = fromConfig(c.layer, MiniJson.object(c.options));
        layer.build(sampleShapes(c.inputs), new Rng(1));
        int[] outSample = Arrays.copyOfRange(c.out.shape(), 1, c.out.rank());
        assertArrayEquals(outSample, layer.outputShape(), name + ": computeOutputShapes");
        LayerContext ctx = new LayerContext();
        List<Tensor> out = layer.forwardAll(c.inputs, c.masks, true, ctx);
        assertEquals(1, out.size());
        assertClose(c.out, out.get(0), 1e-6, name);
        assertMask(c.outMask, layer.computeMasks(c.inputs, c.masks).get(0), name);
        List<Tensor> grads = layer.backwardAll(List.of(c.r), ctx);
        for (int i = 0; i < c.inputs.size(); i++) {
            assertClose(c.grads.get(i), grads.get(i), 1e-5, name + " grad " + i);
        }
    }

    @Test
    void configsHaveKerasKeysAndRoundTrip() {
        assertEquals(10, REFS.configs.size());
        for (String[] kc : REFS.configs) {
            Map<String, Object> keras = MiniJson.object(kc[1]);
            Layer layer = fromConfig(kc[0], keras);
            assertEquals(kc[0], layer.className());
            Map<String, Object> ours = layer.config();
            assertEquals(new ArrayList<>(keras.keySet()), new ArrayList<>(ours.keySet()), kc[0] + " config keys");
            for (String k : keras.keySet()) {
                if (k.equals("dtype")) {
                    continue;   // the Keras writer turns "float32" into the DTypePolicy dict
                }
                assertEquals(normal(keras.get(k)), normal(ours.get(k)), kc[0] + "." + k);
            }
            // our config rebuilds an equal layer
            Layer again = fromConfig(kc[0], ours);
            assertEquals(normal(ours), normal(again.config()));
        }
    }

    /** Numbers compared as longs (configs may carry Integer, Long or Double). */
    private static Object normal(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(normal(o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, normal(x)));
            return out;
        }
        return v;
    }

    @Test
    void fromConfigAcceptsIntegerLongAndDouble() {
        assertEquals(1, Concatenate.fromConfig(Map.of("axis", 1.0)).axis());
        assertEquals(-2, Concatenate.fromConfig(Map.of("axis", -2L)).axis());
        assertEquals(-1, Concatenate.fromConfig(Map.of()).axis());
        Dot d = Dot.fromConfig(Map.of("axes", List.of(1.0, 2), "normalize", true, "name", "cos"));
        assertArrayEquals(new int[] {1, 2}, d.axes());
        assertTrue(d.normalize());
        assertEquals("cos", d.name());
        assertArrayEquals(new int[] {-1}, Dot.fromConfig(Map.of("axes", -1)).axes());
        assertArrayEquals(new int[] {3, 1, 2}, Permute.fromConfig(Map.of("dims", List.of(3L, 1L, 2L))).dims());
        assertEquals(false, Add.fromConfig(Map.of("name", "res", "trainable", false)).isTrainable());
        assertThrows(IllegalArgumentException.class, () -> Dot.fromConfig(Map.of("axes", List.of(1, 2, 3))));
        assertThrows(IllegalArgumentException.class, () -> new Permute(1, 3));
    }

    // ---------------------------------------------------------------- finite-difference checks

    private static Tensor randn(long seed, int... shape) {
        return GradientCheck.randn(seed, 1f, shape);
    }

    /** Distinct values on a 0.05 grid, shuffled: no near-ties, so max/min are differentiable at +-eps. */
    private static List<Tensor> distinct(long seed, int count, int[]... shapes) {
        int total = 0;
        for (int[] s : shapes) {
            total += (int) org.rnn4j.tensor.Shapes.size(s);
        }
        int[] perm = new Rng(seed).permutation(total);
        List<Tensor> out = new ArrayList<>();
        int off = 0;
        for (int[] s : shapes) {
            Tensor t = Tensor.zeros(s);
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] = (perm[off + i] - total / 2f) * 0.05f;
            }
            off += t.size();
            out.add(t);
        }
        return out;
    }

    private static final Mask M1 = new Mask(new boolean[] {true, true, false, true, false, false}, 2, 3);
    private static final Mask M2 = new Mask(new boolean[] {true, false, true, false, false, true}, 2, 3);
    private static final Mask M3 = new Mask(new boolean[] {false, true, true, true, false, false}, 2, 3);

    private static List<Mask> masks(Mask... m) {
        return Arrays.asList(m);
    }

    @Test
    void gradientChecksOfTheSumLikeMerges() {
        List<Tensor> bc = List.of(randn(1, 2, 3, 4), randn(2, 2, 1, 4), randn(3, 2, 3, 1));
        MultiInputGradientCheck.check(new Add(), bc, null);
        MultiInputGradientCheck.check(new Average(), bc, null);
        MultiInputGradientCheck.check(new Add(), List.of(randn(4, 2, 3, 4), randn(5, 2, 4)), null);   // ranks differ
        MultiInputGradientCheck.check(new Subtract(), List.of(randn(6, 2, 3), randn(7, 2, 1)), null);
        MultiInputGradientCheck.check(new Subtract(), List.of(randn(6, 2, 1, 3), randn(7, 2, 4, 1)), null);
        MultiInputGradientCheck.check(new Add(), List.of(randn(8, 2, 3, 2), randn(9, 2, 3, 2)), masks(M1, M2));
        MultiInputGradientCheck.check(new Add(), List.of(randn(10, 2, 5)), null);   // a list of one input
    }

    @Test
    void gradientChecksOfMultiply() {
        MultiInputGradientCheck.check(new Multiply(), List.of(randn(1, 2, 3, 4), randn(2, 2, 1, 4), randn(3, 2, 3, 1)), null);
        List<Tensor> xs = List.of(randn(4, 2, 3, 2), randn(5, 2, 3, 2), randn(6, 2, 3, 2));
        MultiInputGradientCheck.check(new Multiply(), xs, masks(M1, M2, M3));
        MultiInputGradientCheck.check(new Multiply(), xs, masks(M1, null, M3));
        MultiInputGradientCheck.check(new Multiply(), List.of(randn(7, 2, 3, 2), randn(8, 2, 1, 2)),
                masks(M1, new Mask(new boolean[] {true, false}, 2, 1)));
        // zeros among the factors: the gradient is the product of the others, not out / x
        Tensor z = randn(9, 2, 4);
        z.data()[1] = 0f;
        MultiInputGradientCheck.check(new Multiply(), List.of(z, randn(10, 2, 4), randn(11, 2, 4)), null);
    }

    @Test
    void gradientChecksOfMaximumAndMinimum() {
        int[] s = {2, 3, 2};
        for (Layer l : new Layer[] {new Maximum(), new Minimum()}) {
            MultiInputGradientCheck.check(l, distinct(1, 3, s, s, s), null);
            MultiInputGradientCheck.check(l, distinct(2, 3, s, s, s), masks(M1, M2, M3));
            MultiInputGradientCheck.check(l, distinct(3, 3, s, s, s), masks(null, M2, M3));
            MultiInputGradientCheck.check(l, distinct(4, 3, s, s, s), masks(M1, null, M3));
            MultiInputGradientCheck.check(l, distinct(5, 2, new int[] {2, 3, 4}, new int[] {2, 1, 4}), null);
        }
    }

    @Test
    void tiesSendTheGradientToTheFirstInput() {
        Tensor a = Tensor.of(new float[] {1, 2, 3}, 1, 3);
        Tensor b = Tensor.of(new float[] {1, 5, 3}, 1, 3);
        Tensor c = Tensor.of(new float[] {1, 5, 0}, 1, 3);
        for (Layer l : new Layer[] {new Maximum(), new Minimum()}) {
            LayerContext ctx = new LayerContext();
            l.forwardAll(List.of(a, b, c), null, true, ctx);
            List<Tensor> g = l.backwardAll(List.of(Tensor.full(1f, 1, 3)), ctx);
            boolean max = l instanceof Maximum;
            // max: (1,1,1) -> a; (2,5,5) -> b, the first of the tied; (3,3,0) -> a, the first of the tied
            // min: (1,1,1) -> a; (2,5,5) -> a; (3,3,0) -> c
            assertArrayEquals(max ? new float[] {1, 0, 1} : new float[] {1, 1, 0}, g.get(0).data(), l.className());
            assertArrayEquals(max ? new float[] {0, 1, 0} : new float[] {0, 0, 0}, g.get(1).data(), l.className());
            assertArrayEquals(max ? new float[] {0, 0, 0} : new float[] {0, 0, 1}, g.get(2).data(), l.className());
        }
    }

    @Test
    void gradientChecksOfConcatenate() {
        MultiInputGradientCheck.check(new Concatenate(), List.of(randn(1, 2, 3, 2), randn(2, 2, 3, 3)), masks(M1, null));
        MultiInputGradientCheck.check(new Concatenate(1), List.of(randn(3, 2, 3, 2), randn(4, 2, 2, 2)), masks(M1, null));
        MultiInputGradientCheck.check(new Concatenate(-2), List.of(randn(5, 2, 2, 3), randn(6, 2, 1, 3), randn(7, 2, 4, 3)), null);
        MultiInputGradientCheck.check(new Concatenate(2), List.of(randn(8, 2, 3, 1, 2), randn(9, 2, 3, 2, 2)), null);
        MultiInputGradientCheck.check(new Concatenate(), List.of(randn(10, 3, 4)), null);
    }

    @Test
    void gradientChecksOfDot() {
        MultiInputGradientCheck.check(new Dot(-1), List.of(randn(1, 2, 4), randn(2, 2, 4)), null);
        MultiInputGradientCheck.check(new Dot(1, true), List.of(randn(3, 2, 4), randn(4, 2, 4)), null);
        MultiInputGradientCheck.check(new Dot(1, 2, true), List.of(randn(5, 2, 3, 5), randn(6, 2, 4, 3)), null);
        MultiInputGradientCheck.check(new Dot(2), List.of(randn(7, 2, 3, 4), randn(8, 2, 5, 4)), null);
        MultiInputGradientCheck.check(new Dot(-1, 1), List.of(randn(9, 2, 3, 4), randn(10, 2, 4, 2, 2)), null);
        MultiInputGradientCheck.check(new Dot(2, 1, true), List.of(randn(11, 2, 3, 4), randn(12, 2, 4)), null);
        MultiInputGradientCheck.check(new Dot(1, 2, true), List.of(randn(13, 2, 3, 2, 5), randn(14, 2, 2, 3)), null);
        MultiInputGradientCheck.check(new Dot(2), List.of(randn(15, 2, 3, 2), randn(16, 2, 3, 2)), masks(M1, M2));
    }

    @Test
    void dotNormalizeClipsTinyVectorsAsKerasDoes() {
        Dot d = new Dot(1, true);
        Tensor zero = Tensor.zeros(1, 3);
        Tensor y = Tensor.of(new float[] {1, 2, 2}, 1, 3);
        assertArrayEquals(new float[] {0f}, d.forwardAll(List.of(zero, y), null, false, new LayerContext()).get(0).data());
        Tensor tiny = Tensor.of(new float[] {1e-9f, 0, 0}, 1, 3);
        // x * min(rsqrt(1e-18), 1e7) = 1e-2 in the first slot; y normalised = (1/3, 2/3, 2/3)
        float out = d.forwardAll(List.of(tiny, y), null, false, new LayerContext()).get(0).data()[0];
        assertEquals(1e-2 / 3, out, 1e-8);
    }

    @Test
    void gradientChecksOfPermute() {
        Permute p = new Permute(2, 1);
        p.build(new int[] {3, 4}, new Rng(1));
        GradientCheck.check(p, randn(1, 2, 3, 4), null, true);
        Permute q = new Permute(3, 1, 2);
        q.build(new int[] {2, 3, 4}, new Rng(1));
        assertArrayEquals(new int[] {4, 2, 3}, q.outputShape());
        GradientCheck.check(q, randn(2, 2, 2, 3, 4), null, true);
        assertNull(q.computeMask(randn(2, 2, 2, 3, 4), M1), "Permute drops the mask, as in Keras");
        LayerShapeException e = assertThrows(LayerShapeException.class, () -> new Permute(2, 1).computeOutputShape(new int[] {3}));
        assertTrue(e.getMessage().contains("permute") && e.getMessage().contains("(None, 3)"), e.getMessage());
    }

    // ---------------------------------------------------------------- shapes and errors

    @Test
    void outputShapesFollowKeras() {
        assertArrayEquals(new int[] {3, 4}, new Add().computeOutputShapes(List.of(new int[] {3, 4}, new int[] {1, 4})).get(0));
        assertArrayEquals(new int[] {3, 4}, new Add().computeOutputShapes(List.of(new int[] {4}, new int[] {3, 1})).get(0));
        assertArrayEquals(new int[] {-1, 4}, new Maximum().computeOutputShapes(List.of(new int[] {-1, 4}, new int[] {3, 4})).get(0));
        assertArrayEquals(new int[] {-1, 4}, new Maximum().computeOutputShapes(List.of(new int[] {1, 4}, new int[] {-1, 4})).get(0));
        assertArrayEquals(new int[] {3, 9}, new Concatenate().computeOutputShapes(List.of(new int[] {3, 4}, new int[] {3, 5})).get(0));
        assertArrayEquals(new int[] {-1, 4}, new Concatenate(1).computeOutputShapes(List.of(new int[] {-1, 4}, new int[] {3, 4})).get(0));
        assertArrayEquals(new int[] {-1, 9}, new Concatenate().computeOutputShapes(List.of(new int[] {-1, 4}, new int[] {3, 5})).get(0));
        assertArrayEquals(new int[] {1}, new Dot(1).computeOutputShapes(List.of(new int[] {4}, new int[] {4})).get(0));
        assertArrayEquals(new int[] {5, 4}, new Dot(1, 2).computeOutputShapes(List.of(new int[] {3, 5}, new int[] {4, 3})).get(0));
        assertArrayEquals(new int[] {3}, new Dot(2, 1).computeOutputShapes(List.of(new int[] {3, 4}, new int[] {4})).get(0));
        assertArrayEquals(new int[] {64, 10}, new Permute(2, 1).computeOutputShape(new int[] {10, 64}));
    }

    private static SymbolicTensor input(String name, int... shape) {
        return new InputLayer(shape, "float32", name).output();
    }

    private static void assertError(Class<? extends Throwable> type, Runnable r, String... parts) {
        Throwable e = assertThrows(type, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void buildErrorsNameTheLayerAndEveryShape() {
        assertError(LayerShapeException.class, () -> new Add().name("res").call(input("a", 3, 4), input("b", 5, 4)),
                "'res' (Add)", "(None, 3, 4)", "(None, 5, 4)");
        assertError(LayerShapeException.class, () -> new Subtract().name("diff").call(input("c", 3), input("d", 3), input("e", 3)),
                "'diff' (Subtract)", "exactly 2", "(None, 3), (None, 3), (None, 3)");
        assertError(LayerShapeException.class, () -> new Subtract().name("diff1").call(input("f", 3)), "exactly 2", "(None, 3)");
        assertError(LayerShapeException.class, () -> new Dot(1).name("dot1").call(input("g", 3)), "exactly 2");
        assertError(LayerShapeException.class, () -> new Concatenate().name("cat").call(input("h", 3, 4), input("i", 2, 4)),
                "'cat' (Concatenate)", "(None, 3, 4)", "(None, 2, 4)");
        assertError(LayerShapeException.class, () -> new Concatenate().name("cat2").call(input("j", 3, 4), input("k", 4)),
                "same rank", "(None, 3, 4)", "(None, 4)");
        assertError(LayerShapeException.class, () -> new Concatenate(0).name("cat3").call(input("l", 3), input("m", 3)),
                "batch axis");
        assertError(LayerShapeException.class, () -> new Dot(1, 2).name("att").call(input("n", 3, 5), input("o", 4, 2)),
                "'att' (Dot)", "(None, 3, 5)", "(None, 4, 2)");
        assertError(LayerShapeException.class, () -> new Dot(0).name("dot0").call(input("p", 3), input("q", 3)), "batch axis");
        assertError(LayerShapeException.class, () -> new Dot(3).name("dot3").call(input("r", 3), input("s", 3)), "out of range");
        assertError(LayerShapeException.class, () -> new Permute(2, 1).name("perm").call(input("t", 3, 4, 5)), "'perm' (Permute)");
        // the same checks at run time (None sizes pass the build)
        Add add = new Add().name("res_rt");
        SymbolicTensor ok = add.call(input("u", -1, 4), input("v", 3, 4));
        assertArrayEquals(new int[] {-1, 4}, ok.shape());
        assertError(LayerShapeException.class,
                () -> add.forwardAll(List.of(Tensor.zeros(2, 5, 4), Tensor.zeros(2, 3, 4)), null, false, new LayerContext()),
                "'res_rt' (Add)", "(2, 5, 4)", "(2, 3, 4)");
        assertError(LayerShapeException.class,
                () -> add.forwardAll(List.of(Tensor.zeros(2, 3, 4), Tensor.zeros(1, 3, 4)), null, false, new LayerContext()),
                "batch sizes");
        assertError(IllegalArgumentException.class,
                () -> new Multiply().forwardAll(List.of(Tensor.zeros(2, 4), Tensor.zeros(2, 4)), masks(M1, M2), false, new LayerContext()),
                "mask of input 0");
    }

    @Test
    void symbolicCallsBuildAndShareLayers() {
        SymbolicTensor a = input("sa", 10, 4);
        SymbolicTensor b = input("sb", 10, 6);
        Concatenate cat = new Concatenate();
        assertArrayEquals(new int[] {10, 10}, cat.call(a, b).shape());
        assertArrayEquals(new int[] {10, 10}, cat.call(a, b).shape(), "a shared merge: a second node");
        assertEquals(2, cat.inboundNodes().size());
        SymbolicTensor t = new Permute(2, 1).call(a);
        assertArrayEquals(new int[] {4, 10}, t.shape());
        assertArrayEquals(new int[] {10, 10}, new Dot(2).call(a, a).shape());
    }

    // ---------------------------------------------------------------- concurrency

    private record Job(Layer layer, List<Tensor> inputs, List<Mask> masks, Tensor r) {
    }

    private static float[][] run(Job j, LayerContext ctx) {
        List<Tensor> y = j.layer.forwardAll(j.inputs, j.masks, true, ctx);
        Mask m = j.layer.computeMasks(j.inputs, j.masks).get(0);
        List<Tensor> g = j.layer.backwardAll(List.of(j.r), ctx);
        float[][] out = new float[g.size() + 2][];
        out[0] = y.get(0).data();
        out[1] = new float[m == null ? 0 : m.values().length];
        for (int i = 0; m != null && i < out[1].length; i++) {
            out[1][i] = m.values()[i] ? 1 : 0;
        }
        for (int i = 0; i < g.size(); i++) {
            out[i + 2] = g.get(i).data();
        }
        return out;
    }

    @Test
    void eightThreadsWithOwnContextsGetBitIdenticalResults() throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (MergeRefs.Case c : REFS.cases.values()) {
            Layer l = fromConfig(c.layer, MiniJson.object(c.options));
            jobs.add(new Job(l, c.inputs, c.masks, c.r));
        }
        jobs.add(new Job(new Multiply(), List.of(randn(1, 4, 6, 8), randn(2, 4, 1, 8)), null, randn(3, 4, 6, 8)));
        Mask big = new Mask(new boolean[] {true, true, false, true, false, true, true, false}, 4, 2);
        jobs.add(new Job(new Maximum(), List.of(randn(4, 4, 2, 8), randn(5, 4, 2, 8)), masks(big, big), randn(6, 4, 2, 8)));
        List<float[][]> expected = new ArrayList<>();
        for (Job j : jobs) {
            expected.add(run(j, new LayerContext()));
        }
        int threads = 8;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<String>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int seed = t;
                futures.add(pool.submit(() -> {
                    LayerContext[] ctxs = new LayerContext[jobs.size()];
                    for (int k = 0; k < ctxs.length; k++) {
                        ctxs[k] = new LayerContext();
                    }
                    for (int it = 0; it < 200; it++) {
                        int k = (it * 7 + seed * 3) % jobs.size();
                        float[][] got = run(jobs.get(k), ctxs[k]);
                        float[][] want = expected.get(k);
                        for (int i = 0; i < want.length; i++) {
                            if (!Arrays.equals(want[i], got[i])) {
                                return "thread " + seed + " job " + k + " part " + i + " differs";
                            }
                        }
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                assertNull(f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void inferenceBetweenForwardAndBackwardDoesNotDisturbTheRecord() {
        Multiply mul = new Multiply();
        LayerContext ctx = new LayerContext();
        List<Tensor> xs = List.of(randn(1, 2, 3, 2), randn(2, 2, 3, 2));
        mul.forwardAll(xs, masks(M1, M2), true, ctx);
        List<Tensor> g1 = mul.backwardAll(List.of(randn(3, 2, 3, 2)), ctx);
        mul.forwardAll(xs, masks(M1, M2), true, ctx);
        mul.forwardAll(List.of(randn(4, 3, 1, 5), randn(5, 3, 4, 5)), masks(null, null), false, ctx);
        List<Tensor> g2 = mul.backwardAll(List.of(randn(3, 2, 3, 2)), ctx);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(g1.get(i).data(), g2.get(i).data());
        }
    }

    @Test
    void noInputGradientWhenNotNeeded() {
        LayerContext ctx = new LayerContext().inputGradientNeeded(false);
        Add add = new Add();
        add.forwardAll(List.of(randn(1, 2, 3), randn(2, 2, 3)), null, true, ctx);
        List<Tensor> g = add.backwardAll(List.of(randn(3, 2, 3)), ctx);
        assertEquals(2, g.size());
        assertNull(g.get(0));
        assertNull(g.get(1));
    }
}
