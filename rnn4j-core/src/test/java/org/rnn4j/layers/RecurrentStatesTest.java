package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * States as tensors: initial states in ({@code [x, h0(, c0)]}, Keras's initial_state), final
 * states out ({@code returnState}), their gradients, Bidirectional's state lists, shape errors,
 * and one layer object run from many contexts at once.
 */
class RecurrentStatesTest {
    private static final int[][] SIZES = {{3, 5, 4}, {1, 4, 3}, {2, 1, 3}, {1, 1, 2}};
    private static final double EPS = 3e-3;
    private static final double TOL = 1e-3;

    private static List<Supplier<RecurrentLayer<?>>> cells() {
        return List.of(() -> new SimpleRNN(3), () -> new LSTM(3), () -> new GRU(3), () -> new GRU(3).resetAfter(false));
    }

    private static List<Tensor> inputs(RecurrentLayer<?> l, long seed, int[] size) {
        List<Tensor> in = new ArrayList<>();
        in.add(GradientCheck.randn(seed + 1, 1f, size));
        for (int k = 0; k < l.stateCount(); k++) {
            in.add(GradientCheck.randn(seed + 2 + k, 0.8f, size[0], l.units()));
        }
        return in;
    }

    private static List<int[]> shapes(RecurrentLayer<?> l, int[] size) {
        List<int[]> s = new ArrayList<>();
        s.add(new int[] {size[1], size[2]});
        for (int k = 0; k < l.stateCount(); k++) {
            s.add(new int[] {l.units()});
        }
        return s;
    }

    @Test
    void initialStatesAndFinalStatesMatchTheReference() {
        long seed = 300;
        for (Supplier<RecurrentLayer<?>> maker : cells()) {
            for (int[] size : SIZES) {
                for (int opt = 0; opt < 16; opt++) {
                    boolean seq = (opt & 1) != 0;
                    RecurrentLayer<?> l = maker.get().returnSequences(seq).goBackwards((opt & 2) != 0)
                            .zeroOutputForMask(seq && (opt & 8) != 0).returnState(true);
                    l.build(shapes(l, size), new Rng(seed));
                    RecurrentFusedVsReferenceTest.randomizeWeights(l, seed);
                    List<Tensor> in = inputs(l, seed, size);
                    Mask mask = (opt & 4) != 0 ? RecurrentFusedVsReferenceTest.randomMask(seed, size[0], size[1]) : null;
                    List<Tensor> got = l.forwardAll(in, Collections.singletonList(mask), false, new LayerContext());
                    List<Tensor> ref = ReferenceRecurrent.forward(l, in.get(0), mask, in.get(1),
                            l.stateCount() == 2 ? in.get(2) : null);
                    assertEquals(1 + l.stateCount(), got.size());
                    String what = l.className() + " " + Arrays.toString(size) + " opt " + opt;
                    for (int o = 0; o < got.size(); o++) {
                        assertArrayEquals(ref.get(o).shape(), got.get(o).shape(), what);
                        float diff = got.get(o).maxAbsDiff(ref.get(o));
                        assertTrue(diff < 2e-6f, what + " output " + o + ": diff " + diff);
                    }
                    seed++;
                }
            }
        }
    }

    @Test
    void zeroInitialStatesGiveTheBitsOfNoInitialState() {
        for (Supplier<RecurrentLayer<?>> maker : cells()) {
            RecurrentLayer<?> l = maker.get().returnSequences(true);
            l.build(new int[] {5, 4}, new Rng(2));
            Tensor x = GradientCheck.randn(3, 1f, 3, 5, 4);
            Mask mask = RecurrentFusedVsReferenceTest.randomMask(3, 3, 5);
            List<Tensor> in = new ArrayList<>(List.of(x));
            for (int k = 0; k < l.stateCount(); k++) {
                in.add(Tensor.zeros(3, 3));
            }
            Tensor a = l.forward(x, mask, false, new LayerContext());
            Tensor b = l.forwardAll(in, List.of(mask), false, new LayerContext()).get(0);
            assertArrayEquals(a.data(), b.data(), l.className());
        }
    }

    /** Gradients of x, h0 (and c0) and the weights, with the output and every final state used. */
    @Test
    void gradientsOfInitialStatesAndFinalStates() {
        long seed = 40;
        for (Supplier<RecurrentLayer<?>> maker : cells()) {
            for (int[] size : SIZES) {
                for (int opt = 0; opt < 8; opt++) {
                    RecurrentLayer<?> l = maker.get().returnSequences((opt & 1) != 0).goBackwards((opt & 2) != 0)
                            .returnState(true);
                    l.build(shapes(l, size), new Rng(seed));
                    RecurrentFusedVsReferenceTest.randomizeWeights(l, seed);
                    Mask mask = (opt & 4) != 0 ? RecurrentFusedVsReferenceTest.randomMask(seed, size[0], size[1]) : null;
                    GradientCheck.checkAll(l, inputs(l, seed, size), Collections.singletonList(mask), null, EPS, TOL);
                    seed += 3;
                }
            }
        }
    }

    /** Only some outputs used (null gradients), states in without states out, states out without states in. */
    @Test
    void gradientsWithUnusedOutputsAndOneSidedStates() {
        long seed = 90;
        for (Supplier<RecurrentLayer<?>> maker : cells()) {
            int[] size = {2, 4, 3};
            RecurrentLayer<?> l = maker.get().returnState(true).returnSequences(true);
            l.build(shapes(l, size), new Rng(seed));
            RecurrentFusedVsReferenceTest.randomizeWeights(l, seed);
            Mask mask = RecurrentFusedVsReferenceTest.randomMask(seed, 2, 4);
            boolean[] onlyStates = new boolean[1 + l.stateCount()];
            Arrays.fill(onlyStates, true);
            onlyStates[0] = false;
            GradientCheck.checkAll(l, inputs(l, seed, size), List.of(mask), onlyStates, EPS, TOL);
            boolean[] onlyLastState = new boolean[1 + l.stateCount()];
            onlyLastState[l.stateCount()] = true;
            GradientCheck.checkAll(l, inputs(l, seed, size), List.of(mask), onlyLastState, EPS, TOL);
            // states out, no states in
            GradientCheck.checkAll(l, List.of(GradientCheck.randn(seed, 1f, size)), List.of(mask), null, EPS, TOL);
            // states in, no states out
            RecurrentLayer<?> plain = maker.get().goBackwards(true);
            plain.build(shapes(plain, size), new Rng(seed));
            RecurrentFusedVsReferenceTest.randomizeWeights(plain, seed);
            GradientCheck.checkAll(plain, inputs(plain, seed, size), List.of(mask), null, EPS, TOL);
            seed++;
        }
    }

    @Test
    void gradientsWithInitialStatesAndDropout() {
        long seed = 7;
        for (Supplier<RecurrentLayer<?>> maker : cells()) {
            for (int opt = 1; opt < 4; opt++) {
                RecurrentLayer<?> l = maker.get().dropout((opt & 1) != 0 ? 0.3 : 0)
                        .recurrentDropout((opt & 2) != 0 ? 0.4 : 0).returnSequences(true).returnState(true);
                int[] size = {3, 4, 5};
                l.build(shapes(l, size), new Rng(seed));
                RecurrentFusedVsReferenceTest.randomizeWeights(l, seed);
                l.freezeDropoutMasks(true);
                GradientCheck.checkAll(l, inputs(l, seed, size), null, null, EPS, TOL);
                seed++;
            }
        }
    }

    @Test
    void zeroOutputForMaskWithInitialStates() {
        RecurrentLayer<?> l = new LSTM(3).returnSequences(true).zeroOutputForMask(true).returnState(true);
        int[] size = {3, 5, 2};
        l.build(shapes(l, size), new Rng(1));
        RecurrentFusedVsReferenceTest.randomizeWeights(l, 1);
        GradientCheck.checkAll(l, inputs(l, 1, size), List.of(RecurrentFusedVsReferenceTest.randomMask(1, 3, 5)),
                null, EPS, TOL);
    }

    /** Keras: a masked step keeps the states; the output before the first real step is zeros, not h0. */
    @Test
    void fullyMaskedRowKeepsInitialStatesAndOutputsZeros() {
        LSTM l = new LSTM(2).returnState(true);
        l.build(List.of(new int[] {3, 2}, new int[] {2}, new int[] {2}), new Rng(1));
        Tensor h0 = Tensor.of(new float[] {0.5f, -0.5f}, 1, 2);
        Tensor c0 = Tensor.of(new float[] {1f, 2f}, 1, 2);
        Mask none = new Mask(new boolean[3], 1, 3);
        List<Tensor> out = l.forwardAll(List.of(Tensor.zeros(1, 3, 2), h0, c0), List.of(none), false, new LayerContext());
        assertArrayEquals(new float[] {0f, 0f}, out.get(0).data());
        assertArrayEquals(h0.data(), out.get(1).data());
        assertArrayEquals(c0.data(), out.get(2).data());
    }

    @Test
    void outputShapesMasksAndStateShapeErrors() {
        LSTM l = new LSTM(8).name("dec").returnSequences(true).returnState(true);
        List<int[]> out = l.computeOutputShapes(List.of(new int[] {5, 3}, new int[] {8}, new int[] {8}));
        assertEquals(3, out.size());
        assertArrayEquals(new int[] {5, 8}, out.get(0));
        assertArrayEquals(new int[] {8}, out.get(1));
        assertArrayEquals(new int[] {8}, out.get(2));
        var e = assertThrows(LayerShapeException.class,
                () -> l.build(List.of(new int[] {5, 3}, new int[] {8}, new int[] {6}), new Rng(1)));
        assertTrue(e.getMessage().contains("dec") && e.getMessage().contains("(None, 8)")
                && e.getMessage().contains("(None, 6)"), e.getMessage());
        e = assertThrows(LayerShapeException.class, () -> l.computeOutputShapes(List.of(new int[] {5, 3}, new int[] {8})));
        assertTrue(e.getMessage().contains("dec") && e.getMessage().contains("[x, h, c]"), e.getMessage());
        GRU g = new GRU(4).name("enc_gru");
        e = assertThrows(LayerShapeException.class,
                () -> g.build(List.of(new int[] {5, 3}, new int[] {4, 1}), new Rng(1)));
        assertTrue(e.getMessage().contains("enc_gru") && e.getMessage().contains("(None, 4)")
                && e.getMessage().contains("(None, 4, 1)"), e.getMessage());
        l.build(List.of(new int[] {5, 3}, new int[] {8}, new int[] {8}), new Rng(1));
        Mask m = new Mask(new boolean[] {true, false, true, true, true}, 1, 5);
        List<Mask> masks = l.computeMasks(List.of(Tensor.zeros(1, 5, 3)), List.of(m));
        assertEquals(3, masks.size());
        assertEquals(m, masks.get(0));
        assertNull(masks.get(1));
        // a wrong batch at call time names the layer and both shapes
        var e2 = assertThrows(LayerShapeException.class, () -> l.forwardAll(
                List.of(Tensor.zeros(2, 5, 3), Tensor.zeros(3, 8), Tensor.zeros(2, 8)), null, false, new LayerContext()));
        assertTrue(e2.getMessage().contains("dec") && e2.getMessage().contains("(2, 8)")
                && e2.getMessage().contains("(3, 8)"), e2.getMessage());
    }

    @Test
    void aContextBelongsToOneLayer() {
        GRU a = new GRU(2);
        GRU b = new GRU(2);
        a.build(new int[] {3, 2}, new Rng(1));
        b.build(new int[] {3, 2}, new Rng(1));
        LayerContext ctx = new LayerContext();
        a.forward(Tensor.zeros(1, 3, 2), null, false, ctx);
        assertThrows(IllegalStateException.class, () -> b.forward(Tensor.zeros(1, 3, 2), null, false, ctx));
    }

    // ------------------------------------------------------------------ Bidirectional

    private static List<Tensor> biInputs(Bidirectional bi, long seed, int[] size) {
        List<Tensor> in = new ArrayList<>();
        in.add(GradientCheck.randn(seed, 1f, size));
        RecurrentLayer<?> f = bi.forwardLayer();
        for (int k = 0; k < 2 * f.stateCount(); k++) {
            in.add(GradientCheck.randn(seed + 1 + k, 0.8f, size[0], f.units()));
        }
        return in;
    }

    @Test
    void bidirectionalStatesAreForwardThenBackward() {
        for (Supplier<RecurrentLayer<?>> maker : cells()) {
            Bidirectional bi = new Bidirectional(maker.get().returnSequences(true).returnState(true));
            int[] size = {2, 4, 3};
            int k = bi.forwardLayer().stateCount();
            List<int[]> shapes = new ArrayList<>(List.of(new int[] {4, 3}));
            for (int i = 0; i < 2 * k; i++) {
                shapes.add(new int[] {3});
            }
            bi.build(shapes, new Rng(5));
            List<int[]> outShapes = bi.outputShapes();
            assertEquals(1 + 2 * k, outShapes.size());
            assertArrayEquals(new int[] {4, 6}, outShapes.get(0));
            List<Tensor> in = biInputs(bi, 9, size);
            Mask mask = RecurrentFusedVsReferenceTest.randomMask(9, 2, 4);
            List<Tensor> got = bi.forwardAll(in, List.of(mask), false, new LayerContext());
            List<Tensor> fw = bi.forwardLayer().forwardAll(
                    new ArrayList<>(in.subList(0, 1 + k)), List.of(mask), false, new LayerContext());
            List<Tensor> bwIn = new ArrayList<>(List.of(in.get(0)));
            bwIn.addAll(in.subList(1 + k, 1 + 2 * k));
            List<Tensor> bw = bi.backwardLayer().forwardAll(bwIn, List.of(mask), false, new LayerContext());
            for (int i = 0; i < k; i++) {
                assertArrayEquals(fw.get(1 + i).data(), got.get(1 + i).data());
                assertArrayEquals(bw.get(1 + i).data(), got.get(1 + k + i).data());
            }
        }
    }

    @Test
    void bidirectionalGradientsWithStates() {
        long seed = 60;
        for (Supplier<RecurrentLayer<?>> maker : cells()) {
            for (String mode : new String[] {"concat", "mul"}) {
                for (int[] size : new int[][] {{2, 4, 3}, {1, 1, 2}}) {
                    for (boolean seq : new boolean[] {true, false}) {
                        Bidirectional bi = new Bidirectional(maker.get().returnSequences(seq).returnState(true))
                                .mergeMode(mode);
                        int k = bi.forwardLayer().stateCount();
                        List<int[]> shapes = new ArrayList<>(List.of(new int[] {size[1], size[2]}));
                        for (int i = 0; i < 2 * k; i++) {
                            shapes.add(new int[] {3});
                        }
                        bi.build(shapes, new Rng(seed));
                        RecurrentFusedVsReferenceTest.randomizeWeights(bi, seed);
                        Mask mask = RecurrentFusedVsReferenceTest.randomMask(seed, size[0], size[1]);
                        GradientCheck.checkAll(bi, biInputs(bi, seed, size), List.of(mask), null, EPS, TOL);
                        // without initial states, only the backward layer's last state used
                        boolean[] used = new boolean[1 + 2 * k];
                        used[1 + k] = true;
                        GradientCheck.checkAll(bi, List.of(GradientCheck.randn(seed, 1f, size)), List.of(mask),
                                used, EPS, TOL);
                        seed++;
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ concurrency

    /** One layer object, 8 threads, a context each: every result has the single-thread bits. */
    @Test
    void eightThreadsWithSeparateContextsGiveTheSingleThreadBits() throws Exception {
        List<Layer> layers = new ArrayList<>();
        List<List<Tensor>> ins = new ArrayList<>();
        int[] size = {5, 9, 4};
        long seed = 1;
        for (Supplier<RecurrentLayer<?>> maker : cells()) {
            RecurrentLayer<?> l = maker.get().returnSequences(true).returnState(true);
            l.build(shapes(l, size), new Rng(seed));
            layers.add(l);
            ins.add(inputs(l, seed++, size));
            Bidirectional bi = new Bidirectional(maker.get().returnState(true));
            bi.build(new int[] {size[1], size[2]}, new Rng(seed));
            layers.add(bi);
            ins.add(List.of(GradientCheck.randn(seed++, 1f, size)));
        }
        Mask mask = RecurrentFusedVsReferenceTest.randomMask(3, size[0], size[1]);
        List<List<Tensor>> expected = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            expected.add(layers.get(i).forwardAll(ins.get(i), List.of(mask), false, new LayerContext()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int th = 0; th < 8; th++) {
                int offset = th;
                futures.add(pool.submit(() -> {
                    LayerContext[] ctx = new LayerContext[layers.size()];
                    int mismatches = 0;
                    for (int call = 0; call < 40; call++) {
                        int i = (call + offset) % layers.size();
                        if (ctx[i] == null) {
                            ctx[i] = new LayerContext();
                        }
                        List<Tensor> got = layers.get(i).forwardAll(ins.get(i), List.of(mask), false, ctx[i]);
                        for (int o = 0; o < got.size(); o++) {
                            if (!Arrays.equals(expected.get(i).get(o).data(), got.get(o).data())) {
                                mismatches++;
                            }
                        }
                    }
                    return mismatches;
                }));
            }
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get();
            }
            assertEquals(0, total, "results differing from the single-thread run");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Training forward and backward from 8 threads: outputs and input/state gradients keep their bits. */
    @Test
    void concurrentTrainingPassesGiveTheSingleThreadGradients() throws Exception {
        LSTM l = new LSTM(6).returnSequences(true).returnState(true);
        int[] size = {4, 7, 3};
        l.build(shapes(l, size), new Rng(4));
        List<Tensor> in = inputs(l, 4, size);
        List<Tensor> grads = List.of(GradientCheck.randn(10, 1f, 4, 7, 6), GradientCheck.randn(11, 1f, 4, 6),
                GradientCheck.randn(12, 1f, 4, 6));
        LayerContext ref = new LayerContext();
        l.forwardAll(in, null, true, ref);
        List<Tensor> expected = l.backwardAll(grads, ref);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int th = 0; th < 8; th++) {
                futures.add(pool.submit(() -> {
                    LayerContext ctx = new LayerContext();
                    boolean same = true;
                    for (int call = 0; call < 20; call++) {
                        l.forwardAll(in, null, true, ctx);
                        // (the shared weight gradients race here; the returned gradients must not)
                        List<Tensor> got = l.backwardAll(grads, ctx);
                        for (int k = 0; k < got.size(); k++) {
                            same &= Arrays.equals(expected.get(k).data(), got.get(k).data());
                        }
                    }
                    return same;
                }));
            }
            for (Future<Boolean> f : futures) {
                assertTrue(f.get(), "a concurrent training pass changed the input or state gradients");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
