package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.vector.VectorMatMul;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * The row-block inference path ({@link RecurrentInference}): predict-mode calls give exactly the
 * bits of the recorded (training-mode) path, of the same rows run one at a time, and of one
 * thread against two, for batch sizes that cut the batch into different blocks.
 */
class RecurrentInferenceTest {
    private static final int F = 5;

    private static List<Tensor> inputs(RecurrentLayer<?> l, Tensor x, boolean withStates, int b, long seed) {
        List<Tensor> in = new ArrayList<>(List.of(x));
        if (withStates) {
            for (int k = 0; k < l.stateCount(); k++) {
                in.add(GradientCheck.randn(seed + k, 1f, b, l.units));
            }
        }
        return in;
    }

    private static List<Tensor> run(RecurrentLayer<?> l, List<Tensor> in, boolean training, boolean expectBlocks) {
        LayerContext ctx = new LayerContext();
        List<Tensor> out = l.forwardAll(in, null, training, ctx);
        RecurrentRun run = ctx.existingState();
        assertEquals(expectBlocks && !training, run.inferred, l.className() + ": inference path taken");
        return out;
    }

    private static void assertSame(List<Tensor> expected, List<Tensor> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": outputs");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).shape(), actual.get(i).shape(), what + ": shape of output " + i);
            assertArrayEquals(expected.get(i).data(), actual.get(i).data(), what + ": output " + i);
        }
    }

    /** Rows [r, r+1) of a [B, ...] tensor. */
    private static Tensor row(Tensor t, int r) {
        return t.slice(r, r + 1);
    }

    private static void check(Supplier<RecurrentLayer<?>> make, int t, boolean withStates, boolean blocks) {
        RecurrentLayer<?> l = make.get();
        List<int[]> shapes = new ArrayList<>(List.of(new int[] {t, F}));
        if (withStates) {
            for (int k = 0; k < l.stateCount(); k++) {
                shapes.add(new int[] {l.units});
            }
        }
        l.build(shapes, new Rng(7));
        RecurrentFusedVsReferenceTest.randomizeWeights(l, 8);
        MatMul shared = l.matmul;
        for (int b : new int[] {1, 2, 5, 9, 37, 130}) {
            String what = l.className() + "(" + l.units + ") b=" + b + " t=" + t + (withStates ? " with states" : "");
            l.matmul = shared;
            List<Tensor> in = inputs(l, GradientCheck.randn(b, 1f, b, t, F), withStates, b, 100 + b);
            List<Tensor> recorded = run(l, in, true, blocks);
            List<Tensor> inferred = run(l, in, false, blocks);
            assertSame(recorded, inferred, what + ": inference vs recorded path");
            for (int r = 0; r < b; r += Math.max(1, b / 7)) {
                List<Tensor> one = new ArrayList<>();
                for (Tensor x : in) {
                    one.add(row(x, r));
                }
                List<Tensor> alone = run(l, one, false, blocks);
                List<Tensor> fromBatch = new ArrayList<>();
                for (Tensor y : inferred) {
                    fromBatch.add(row(y, r));
                }
                assertSame(fromBatch, alone, what + ": row " + r + " alone vs in the batch");
            }
            for (int threads : new int[] {1, 2}) {
                l.matmul = new VectorMatMul(threads);
                assertSame(inferred, run(l, in, false, blocks), what + ": " + threads + " thread(s)");
            }
        }
        l.matmul = shared;
    }

    @Test
    void lstmInferenceIsBitIdenticalForAnyBatchSplitAndThreads() {
        check(() -> new LSTM(64), 6, false, true);
        check(() -> new LSTM(33).returnSequences(true), 4, false, true);
        check(() -> new LSTM(20).goBackwards(true).returnSequences(true).returnState(true), 3, true, true);
        check(() -> new LSTM(7).useBias(false), 3, false, true);
    }

    @Test
    void gruInferenceIsBitIdenticalForAnyBatchSplitAndThreads() {
        check(() -> new GRU(48), 5, false, true);
        check(() -> new GRU(19).returnSequences(true).returnState(true), 4, true, true);
        check(() -> new GRU(17).goBackwards(true).useBias(false), 3, false, true);
    }

    @Test
    void otherCellsKeepTheRecordedPath() {
        // No row-block kernel for these: the same results through the recorded path.
        check(() -> new GRU(17).resetAfter(false), 3, false, false);
        check(() -> new LSTM(9).activation("relu"), 3, false, false);
        check(() -> new SimpleRNN(12), 3, false, false);
    }

    @Test
    void largeKernelsUsePackedPanelsWithTheSameBits() {
        // W and U above the matmul's in-place limit: both read from panels packed once per call.
        RecurrentLayer<?> l = new LSTM(260);
        l.build(new int[] {2, 300}, new Rng(3));
        Tensor x = GradientCheck.randn(4, 1f, 9, 2, 300);
        Tensor a = l.forward(x, null, true);
        Tensor y = l.forward(x, null, false);
        assertArrayEquals(a.data(), y.data());
        assertArrayEquals(row(y, 8).data(), l.forward(row(x, 8), null, false).data());
        assertFalse(a.data().length == 0);
    }

    @Test
    void weightChangesBetweenCallsAreSeen() {
        RecurrentLayer<?> l = new LSTM(260);
        l.build(new int[] {2, 300}, new Rng(3));
        Tensor x = GradientCheck.randn(4, 1f, 9, 2, 300);
        LayerContext ctx = new LayerContext();
        Tensor before = l.forward(x, null, false, ctx);
        for (Variable v : l.weights()) {
            v.assign(GradientCheck.randn(v.name().length(), 0.1f, v.shape()));
        }
        Tensor after = l.forward(x, null, false, ctx);
        assertArrayEquals(l.forward(x, null, true).data(), after.data());
        assertTrue(before.data()[0] != after.data()[0] || before.data()[1] != after.data()[1]);
    }
}
