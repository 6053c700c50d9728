package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.kernels.vector.VectorMatMul;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * The recorded (training) loops run in row blocks on two threads ({@link RecurrentRows}): the
 * outputs, final states, input, weight and initial-state gradients are bit for bit those of one
 * thread (the plain single loop), with and without masks and initial states.
 */
class RecurrentRowsTest {
    private static final int F = 6;

    private static List<float[]> trainStep(RecurrentLayer<?> l, int threads, int b, int t, boolean masked) {
        l.matmul = new VectorMatMul(threads);
        Tensor x = GradientCheck.randn(1, 1f, b, t, F);
        Mask mask = masked ? RecurrentFusedVsReferenceTest.randomMask(2, b, t) : null;
        List<Tensor> in = new ArrayList<>(List.of(x));
        for (int k = 0; k < l.stateCount(); k++) {
            in.add(GradientCheck.randn(3 + k, 1f, b, l.units));
        }
        LayerContext ctx = new LayerContext();
        List<Mask> masks = new ArrayList<>();
        masks.add(mask);
        List<Tensor> out = l.forwardAll(in, masks, true, ctx);
        List<Tensor> grads = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            grads.add(GradientCheck.randn(10 + i, 1f, out.get(i).shape()));
        }
        List<Tensor> back = l.backwardAll(grads, ctx);
        List<float[]> all = new ArrayList<>();
        for (Tensor y : out) {
            all.add(y.data().clone());
        }
        for (Tensor d : back) {
            all.add(d.data().clone());
        }
        for (Variable v : l.weights()) {
            all.add(v.grad().data().clone());
        }
        return all;
    }

    private static void check(Supplier<RecurrentLayer<?>> make, int b, int t, boolean masked) {
        List<List<float[]>> results = new ArrayList<>();
        for (int threads : new int[] {1, 2}) {
            RecurrentLayer<?> l = make.get();
            List<int[]> shapes = new ArrayList<>(List.of(new int[] {t, F}));
            for (int k = 0; k < l.stateCount(); k++) {
                shapes.add(new int[] {l.units});
            }
            l.build(shapes, new Rng(5));
            results.add(trainStep(l, threads, b, t, masked));
        }
        String what = make.get().className() + " b=" + b + " t=" + t + (masked ? " masked" : "");
        assertTrue(results.get(0).size() >= 5, what);
        for (int i = 0; i < results.get(0).size(); i++) {
            assertArrayEquals(results.get(0).get(i), results.get(1).get(i), what + ": result " + i + " (2 threads vs 1)");
        }
    }

    @Test
    void trainingLoopsOnTwoThreadsGiveTheOneThreadBits() {
        for (boolean masked : new boolean[] {false, true}) {
            check(() -> new LSTM(64).returnState(true), 37, 5, masked);
            check(() -> new LSTM(20).returnSequences(true).goBackwards(true).returnState(true), 64, 4, masked);
            check(() -> new GRU(48).returnState(true), 37, 5, masked);
            check(() -> new GRU(19).returnSequences(true).returnState(true), 50, 4, masked);
        }
    }
}
