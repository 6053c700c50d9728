package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.kernels.vector.VectorMatMul;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * Bidirectional runs its two directions on two kernel threads: every output, input gradient and
 * weight gradient must be bit for bit those of running them one after the other, whether the
 * gemms of that sequential run are split over the pool's threads or pinned to one thread.
 */
class BidirectionalParallelTest {
    /** What one training step of a layer produced. */
    private record Result(List<float[]> outputs, float[] dx, List<float[]> weightGrads) {
    }

    private enum Mode { PARALLEL, SEQUENTIAL, SEQUENTIAL_ONE_THREAD }

    private static Result step(Supplier<Bidirectional> maker, Mode mode, int[] size, boolean masked, long seed) {
        Bidirectional bi = maker.get();
        bi.build(new int[] {size[1], size[2]}, new Rng(seed));
        bi.parallelDirections = mode == Mode.PARALLEL;
        if (mode == Mode.SEQUENTIAL_ONE_THREAD) {
            bi.forwardLayer().matmul = new VectorMatMul(1);
            bi.backwardLayer().matmul = new VectorMatMul(1);
        }
        Tensor x = GradientCheck.randn(seed + 1, 1f, size);
        Mask mask = masked ? RecurrentFusedVsReferenceTest.randomMask(seed, size[0], size[1]) : null;
        LayerContext ctx = new LayerContext();
        List<Tensor> out = bi.forwardAll(List.of(x), java.util.Collections.singletonList(mask), true, ctx);
        List<Tensor> grads = new ArrayList<>();
        List<float[]> outs = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            outs.add(out.get(i).data().clone());
            grads.add(GradientCheck.randn(seed + 10 + i, 1f, out.get(i).shape()));
        }
        List<Tensor> dIn = bi.backwardAll(grads, ctx);
        List<float[]> wg = new ArrayList<>();
        for (Variable v : bi.weights()) {
            wg.add(v.grad().data().clone());
        }
        return new Result(outs, dIn.get(0).data().clone(), wg);
    }

    private static void assertSameBits(Result want, Result got, String what) {
        assertEquals(want.outputs().size(), got.outputs().size(), what);
        for (int i = 0; i < want.outputs().size(); i++) {
            assertArrayEquals(want.outputs().get(i), got.outputs().get(i), what + ": output " + i);
        }
        assertArrayEquals(want.dx(), got.dx(), what + ": input gradient");
        for (int i = 0; i < want.weightGrads().size(); i++) {
            assertArrayEquals(want.weightGrads().get(i), got.weightGrads().get(i), what + ": weight gradient " + i);
        }
    }

    private static void checkAllModes(String what, Supplier<Bidirectional> maker, int[] size, boolean masked) {
        Result seq = step(maker, Mode.SEQUENTIAL, size, masked, 5);
        assertSameBits(seq, step(maker, Mode.PARALLEL, size, masked, 5), what + " (parallel)");
        assertSameBits(seq, step(maker, Mode.SEQUENTIAL_ONE_THREAD, size, masked, 5), what + " (one thread)");
    }

    @Test
    void largeLstmSplitsGemmsWhenSequentialAndMatchesInParallel() {
        // 64 x 128 x 512 step gemms: above the split threshold, so the sequential run uses both
        // threads per gemm while the parallel one keeps each direction's gemms on its thread.
        checkAllModes("LSTM(128) concat", () -> new Bidirectional(new LSTM(128)), new int[] {64, 6, 32}, false);
        checkAllModes("GRU(96) sequences, sum", () -> new Bidirectional(new GRU(96).returnSequences(true))
                .mergeMode("sum"), new int[] {48, 5, 24}, false);
    }

    @Test
    void everyMergeModeWithMasksSequencesAndStates() {
        for (String mode : new String[] {"concat", "sum", "mul", "ave"}) {
            checkAllModes("LSTM seq " + mode, () -> new Bidirectional(new LSTM(5).returnSequences(true)).mergeMode(mode),
                    new int[] {3, 7, 4}, true);
            checkAllModes("GRU last " + mode, () -> new Bidirectional(new GRU(4)).mergeMode(mode),
                    new int[] {2, 5, 3}, true);
            checkAllModes("SimpleRNN seq state " + mode, () -> new Bidirectional(new SimpleRNN(3)
                    .returnSequences(true).returnState(true)).mergeMode(mode), new int[] {4, 6, 2}, false);
        }
    }

    /** The sequence output lines up with a forward and a go_backwards layer run separately. */
    @Test
    void sequenceOutputIsTheBackwardCopyReversedInTime() {
        Bidirectional bi = new Bidirectional(new GRU(3).returnSequences(true));
        bi.build(new int[] {5, 2}, new Rng(3));
        Tensor x = GradientCheck.randn(4, 1f, 2, 5, 2);
        float[] y = bi.forward(x, null, false).data();
        float[] f = bi.forwardLayer().forward(x, null, false).data();
        float[] b = bi.backwardLayer().forward(x, null, false).data();
        for (int r = 0; r < 2; r++) {
            for (int t = 0; t < 5; t++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(f[(r * 5 + t) * 3 + j], y[(r * 5 + t) * 6 + j], "forward half");
                    assertEquals(b[(r * 5 + (4 - t)) * 3 + j], y[(r * 5 + t) * 6 + 3 + j], "backward half");
                }
            }
        }
    }

    @Test
    void aFailingDirectionReachesTheCaller() {
        Bidirectional bi = new Bidirectional(new LSTM(4));
        bi.build(new int[] {3, 2}, new Rng(1));
        Tensor wrong = GradientCheck.randn(2, 1f, 2, 3, 5);
        LayerShapeException e = assertThrows(LayerShapeException.class, () -> bi.forward(wrong, null, false));
        assertTrue(e.getMessage().contains("features=2"), e.getMessage());
    }

    /** Several threads each running a Bidirectional at once (concurrent predict): no hang, same bits. */
    @Test
    void concurrentCallersGetTheLoneCallerBits() throws Exception {
        Bidirectional bi = new Bidirectional(new LSTM(64).returnSequences(true));
        bi.build(new int[] {8, 16}, new Rng(9));
        Tensor x = GradientCheck.randn(10, 1f, 32, 8, 16);
        bi.parallelDirections = false;
        float[] want = bi.forward(x, null, false, new LayerContext()).data();
        bi.parallelDirections = true;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> {
                try {
                    LayerContext ctx = new LayerContext();
                    for (int round = 0; round < 5; round++) {
                        assertArrayEquals(want, bi.forward(x, null, false, ctx).data(), "round " + round);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(120_000);
            assertTrue(!t.isAlive(), "a caller did not finish");
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }
}
