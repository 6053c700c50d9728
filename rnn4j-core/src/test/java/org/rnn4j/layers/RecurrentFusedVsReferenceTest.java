package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/** The fused whole-sequence path against the plain per-step reference, over many configurations. */
class RecurrentFusedVsReferenceTest {
    static Mask randomMask(long seed, int b, int t) {
        Rng rng = new Rng(seed);
        boolean[] m = new boolean[b * t];
        for (int i = 0; i < m.length; i++) {
            m[i] = rng.nextDouble() < 0.6;
        }
        m[0] = false; // a padded first step: output must be the initial state
        return new Mask(m, b, t);
    }

    static void randomizeWeights(Layer l, long seed) {
        int k = 0;
        for (Variable v : l.weights()) {
            v.assign(GradientCheck.randn(seed + k++, 0.5f, v.shape()));
        }
    }

    @Test
    void fusedMatchesReferenceForAllCellsAndOptions() {
        List<Supplier<RecurrentLayer<?>>> makers = List.of(
                () -> new SimpleRNN(5),
                () -> new SimpleRNN(4).activation("softsign").useBias(false),
                () -> new LSTM(5),
                () -> new LSTM(3).activation("elu").recurrentActivation("hard_sigmoid"),
                () -> new LSTM(4).useBias(false),
                () -> new LSTM(16), // fused gates in place over the pre-activations
                () -> new LSTM(20), // fused, with an overlapping tail: gates kept apart
                () -> new GRU(5),
                () -> new GRU(16), // a whole vector; the fused GRU activates in place at every width
                () -> new GRU(20),
                () -> new GRU(4).resetAfter(false),
                () -> new GRU(3).useBias(false).activation("softsign"),
                () -> new GRU(3).resetAfter(false).useBias(false));
        int[][] sizes = {{3, 6, 4}, {1, 1, 2}, {2, 1, 3}, {1, 7, 5}};
        long seed = 100;
        for (Supplier<RecurrentLayer<?>> maker : makers) {
            for (int[] bt : sizes) {
                for (int opt = 0; opt < 8; opt++) {
                    RecurrentLayer<?> l = maker.get()
                            .returnSequences((opt & 1) != 0)
                            .goBackwards((opt & 2) != 0)
                            .zeroOutputForMask((opt & 1) != 0 && (opt & 4) != 0);
                    l.build(new int[] {bt[1], bt[2]}, new Rng(seed));
                    randomizeWeights(l, seed);
                    Tensor x = GradientCheck.randn(seed + 50, 1f, bt);
                    Mask mask = (opt & 4) != 0 ? randomMask(seed, bt[0], bt[1]) : null;
                    Tensor fused = l.forward(x, mask, false);
                    Tensor ref = ReferenceRecurrent.forward(l, x, mask);
                    float diff = fused.maxAbsDiff(ref);
                    assertTrue(diff < 2e-6f, l.className() + " " + l.config() + " sizes " + java.util.Arrays.toString(bt)
                            + " mask " + (mask != null) + ": diff " + diff);
                    seed++;
                }
            }
        }
    }
}
