package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/** Finite-difference checks of the fused BPTT for every cell, option, mask and edge size. */
class RecurrentGradientTest {
    /** batch x timesteps x features, including the edge cases T=1 and batch=1. */
    private static final int[][] SIZES = {{3, 5, 4}, {1, 4, 3}, {2, 1, 3}, {1, 1, 2}};
    /** Smaller than the default step: tanh/sigmoid curvature over 5 steps makes eps=1e-2 truncation ~1e-3. */
    private static final double EPS = 3e-3;
    private static final double TOL = 1e-3;

    private static void checkAll(Supplier<? extends Layer> maker, boolean masked) {
        long seed = 11;
        for (int[] size : SIZES) {
            Layer l = maker.get();
            l.build(new int[] {size[1], size[2]}, new Rng(seed));
            RecurrentFusedVsReferenceTest.randomizeWeights(l, seed);
            Tensor x = GradientCheck.randn(seed + 1, 1f, size);
            Mask mask = masked ? RecurrentFusedVsReferenceTest.randomMask(seed, size[0], size[1]) : null;
            GradientCheck.check(l, x, mask, true, EPS, TOL);
            seed += 7;
        }
    }

    private static void checkOptions(Supplier<RecurrentLayer<?>> maker) {
        for (int opt = 0; opt < 8; opt++) {
            boolean seq = (opt & 1) != 0;
            boolean back = (opt & 2) != 0;
            boolean masked = (opt & 4) != 0;
            checkAll(() -> maker.get().returnSequences(seq).goBackwards(back), masked);
        }
    }

    @Test
    void simpleRnn() {
        checkOptions(() -> new SimpleRNN(3));
        checkAll(() -> new SimpleRNN(2).activation("softsign").useBias(false).returnSequences(true), true);
    }

    @Test
    void lstm() {
        checkOptions(() -> new LSTM(3));
        checkAll(() -> new LSTM(2).activation("elu").returnSequences(true), true);
        checkAll(() -> new LSTM(2).useBias(false), false);
    }

    /**
     * Widths of at least one vector run the fused gate kernel: 16 activates the gates in place
     * over the pre-activations, 20 (a tail of 4 on 8 or 16 lanes) keeps them apart.
     */
    @Test
    void lstmFusedGateWidths() {
        org.rnn4j.kernels.LstmStep fused = org.rnn4j.kernels.Kernels.lstmStep(
                org.rnn4j.kernels.Kernels.activation(org.rnn4j.activations.Activations.get("tanh")),
                org.rnn4j.kernels.Kernels.activation(org.rnn4j.activations.Activations.get("sigmoid")));
        assertTrue(fused.activatesInPlace(16), fused.getClass().getSimpleName());
        checkAll(() -> new LSTM(16).returnSequences(true), true);
        checkAll(() -> new LSTM(16).goBackwards(true), false);
        checkAll(() -> new LSTM(20).returnSequences(true), true);
    }

    @Test
    void gruResetAfter() {
        checkOptions(() -> new GRU(3));
        checkAll(() -> new GRU(2).useBias(false).activation("softsign").returnSequences(true), true);
    }

    /** Widths of one vector and more: the fused GRU keeps its gates over the pre-activations. */
    @Test
    void gruFusedGateWidths() {
        checkAll(() -> new GRU(16).returnSequences(true), true);
        checkAll(() -> new GRU(20).goBackwards(true), false);
    }

    @Test
    void gruResetBefore() {
        checkOptions(() -> new GRU(3).resetAfter(false));
        checkAll(() -> new GRU(2).resetAfter(false).useBias(false).returnSequences(true), true);
    }

    @Test
    void zeroOutputForMask() {
        checkAll(() -> new LSTM(3).returnSequences(true).zeroOutputForMask(true), true);
    }

    @Test
    void bidirectionalEveryMergeMode() {
        for (String mode : new String[] {"concat", "sum", "mul", "ave"}) {
            checkAll(() -> new Bidirectional(new LSTM(3).returnSequences(true)).mergeMode(mode), true);
            checkAll(() -> new Bidirectional(new GRU(2)).mergeMode(mode), false);
            checkAll(() -> new Bidirectional(new SimpleRNN(2)).mergeMode(mode), true);
        }
    }

    @Test
    void dropoutWithFrozenMasks() {
        for (int which = 0; which < 4; which++) {
            for (int opt = 1; opt < 4; opt++) {
                double d = (opt & 1) != 0 ? 0.3 : 0;
                double rd = (opt & 2) != 0 ? 0.4 : 0;
                RecurrentLayer<?> l = switch (which) {
                    case 0 -> new SimpleRNN(3);
                    case 1 -> new LSTM(3);
                    case 2 -> new GRU(3);
                    default -> new GRU(3).resetAfter(false);
                };
                l.dropout(d).recurrentDropout(rd).returnSequences(true);
                l.build(new int[] {4, 5}, new Rng(3));
                RecurrentFusedVsReferenceTest.randomizeWeights(l, 3);
                l.freezeDropoutMasks(true);
                GradientCheck.check(l, GradientCheck.randn(4, 1f, 3, 4, 5), null, true, EPS, TOL);
            }
        }
    }

    @Test
    void dropoutIsInactiveAtInferenceAndSeeded() {
        LSTM a = new LSTM(4).dropout(0.5).recurrentDropout(0.5).seed(7).returnSequences(true);
        LSTM b = new LSTM(4).dropout(0.5).recurrentDropout(0.5).seed(7).returnSequences(true);
        LSTM plain = new LSTM(4).returnSequences(true);
        for (LSTM l : new LSTM[] {a, b, plain}) {
            l.build(new int[] {5, 3}, new Rng(1));
        }
        Tensor x = GradientCheck.randn(2, 1f, 2, 5, 3);
        assertEquals(0f, a.forward(x, null, false).maxAbsDiff(plain.forward(x, null, false)));
        Tensor ta = a.forward(x, null, true);
        assertEquals(0f, ta.maxAbsDiff(b.forward(x, null, true)), "same seed, same dropout masks");
        assertTrue(ta.maxAbsDiff(plain.forward(x, null, true)) > 1e-3, "dropout changes the training output");
    }

    @Test
    void backwardAccumulatesIntoGradients() {
        GRU l = new GRU(3).returnSequences(true);
        l.build(new int[] {4, 2}, new Rng(5));
        Tensor x = GradientCheck.randn(6, 1f, 2, 4, 2);
        Tensor dy = GradientCheck.randn(7, 1f, 2, 4, 3);
        l.forward(x, null, true);
        l.backward(dy);
        float[] once = l.recurrentKernel().grad().data().clone();
        l.forward(x, null, true);
        l.backward(dy);
        float[] twice = l.recurrentKernel().grad().data();
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i], 1e-5f);
        }
    }
}
