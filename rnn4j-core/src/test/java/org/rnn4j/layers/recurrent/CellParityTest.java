package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.RecurrentLayer;
import org.rnn4j.layers.SimpleRNN;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * RNN(cell) against the fused layers: a lone built-in cell runs the fused loop itself (same
 * bits); the step-by-step path (a cell inside StackedRNNCells) agrees with it within float
 * rounding for every option, including masks, initial states and returnState.
 */
class CellParityTest {
    static Mask randomMask(long seed, int b, int t) {
        Rng rng = new Rng(seed);
        boolean[] m = new boolean[b * t];
        for (int i = 0; i < m.length; i++) {
            m[i] = rng.nextDouble() < 0.6;
        }
        m[0] = false;
        return new Mask(m, b, t);
    }

    static void randomize(List<Variable> ws, long seed) {
        int k = 0;
        for (Variable v : ws) {
            v.assign(GradientCheck.randn(seed + k++, 0.5f, v.shape()));
        }
    }

    private record Pair(Supplier<RecurrentLayer<?>> layer, Supplier<BaseCell<?>> cell) {
    }

    private static List<Pair> pairs() {
        return List.of(
                new Pair(() -> new SimpleRNN(3), () -> new SimpleRNNCell(3)),
                new Pair(() -> new SimpleRNN(3).activation("relu").useBias(false),
                        () -> new SimpleRNNCell(3).activation("relu").useBias(false)),
                new Pair(() -> new LSTM(3), () -> new LSTMCell(3)),
                new Pair(() -> new LSTM(2).recurrentActivation("hard_sigmoid").useBias(false),
                        () -> new LSTMCell(2).recurrentActivation("hard_sigmoid").useBias(false)),
                new Pair(() -> new GRU(3), () -> new GRUCell(3)),
                new Pair(() -> new GRU(3).resetAfter(false), () -> new GRUCell(3).resetAfter(false)),
                new Pair(() -> new GRU(2).useBias(false), () -> new GRUCell(2).useBias(false)));
    }

    private static List<int[]> shapes(int t, int f, int[] states, boolean withStates) {
        List<int[]> s = new ArrayList<>();
        s.add(new int[] {t, f});
        if (withStates) {
            for (int n : states) {
                s.add(new int[] {n});
            }
        }
        return s;
    }

    @Test
    void loneCellRunsTheFusedLayerBitForBit() {
        long seed = 10;
        for (Pair p : pairs()) {
            for (int opt = 0; opt < 8; opt++) {
                boolean seq = (opt & 1) != 0;
                RecurrentLayer<?> l = p.layer().get().returnSequences(seq).goBackwards((opt & 2) != 0).returnState(true);
                RNN r = new RNN(p.cell().get()).returnSequences(seq).goBackwards((opt & 2) != 0).returnState(true);
                l.build(new int[] {5, 4}, new Rng(seed));
                r.build(new int[] {5, 4}, new Rng(seed));
                assertEquals(l.weights().size(), r.weights().size());
                for (int k = 0; k < l.weights().size(); k++) {
                    assertArrayEquals(l.weights().get(k).value().data(), r.weights().get(k).value().data(),
                            "same initial weights from the same seed");
                    assertEquals(l.weights().get(k).name(), r.weights().get(k).name());
                }
                Tensor x = GradientCheck.randn(seed, 1f, 3, 5, 4);
                Mask mask = (opt & 4) != 0 ? randomMask(seed, 3, 5) : null;
                List<Tensor> a = l.forwardAll(List.of(x), Collections.singletonList(mask), false, new LayerContext());
                List<Tensor> b = r.forwardAll(List.of(x), Collections.singletonList(mask), false, new LayerContext());
                assertEquals(a.size(), b.size());
                for (int o = 0; o < a.size(); o++) {
                    assertArrayEquals(a.get(o).data(), b.get(o).data(), l.className() + " opt " + opt);
                }
                seed++;
            }
        }
    }

    @Test
    void stepPathMatchesTheFusedLayer() {
        long seed = 100;
        for (Pair p : pairs()) {
            for (int opt = 0; opt < 32; opt++) {
                boolean seq = (opt & 1) != 0;
                boolean withStates = (opt & 8) != 0;
                boolean zero = seq && (opt & 16) != 0;
                RecurrentLayer<?> l = p.layer().get().returnSequences(seq).goBackwards((opt & 2) != 0).returnState(true)
                        .zeroOutputForMask(zero);
                BaseCell<?> cell = p.cell().get();
                RNN r = new RNN(List.of(cell)).returnSequences(seq).goBackwards((opt & 2) != 0).returnState(true)
                        .zeroOutputForMask(zero);
                int[] sizes = cell.stateSizes();
                l.build(shapes(5, 4, sizes, withStates), new Rng(seed));
                r.build(shapes(5, 4, sizes, withStates), new Rng(seed));
                randomize(l.weights(), seed);
                for (int k = 0; k < l.weights().size(); k++) {
                    r.weights().get(k).assign(l.weights().get(k).value().copy());
                }
                List<Tensor> in = new ArrayList<>();
                in.add(GradientCheck.randn(seed, 1f, 3, 5, 4));
                if (withStates) {
                    for (int k = 0; k < sizes.length; k++) {
                        in.add(GradientCheck.randn(seed + 7 + k, 0.8f, 3, sizes[k]));
                    }
                }
                Mask mask = (opt & 4) != 0 ? randomMask(seed, 3, 5) : null;
                List<Tensor> a = l.forwardAll(in, Collections.singletonList(mask), false, new LayerContext());
                List<Tensor> b = r.forwardAll(in, Collections.singletonList(mask), false, new LayerContext());
                assertEquals(a.size(), b.size());
                for (int o = 0; o < a.size(); o++) {
                    assertArrayEquals(a.get(o).shape(), b.get(o).shape());
                    float d = a.get(o).maxAbsDiff(b.get(o));
                    assertTrue(d < 2e-6f, l.className() + " opt " + opt + " output " + o + " diff " + d);
                }
                seed++;
            }
        }
    }

    /** Finite differences through RNN for each cell on the step path, with masks and states in and out. */
    @Test
    void stepPathGradients() {
        long seed = 400;
        for (Pair p : pairs()) {
            for (int opt = 0; opt < 8; opt++) {
                BaseCell<?> cell = p.cell().get();
                RNN r = new RNN(List.of(cell)).returnSequences((opt & 1) != 0).goBackwards((opt & 2) != 0)
                        .returnState(true);
                int[] sizes = cell.stateSizes();
                r.build(shapes(4, 3, sizes, true), new Rng(seed));
                randomize(r.weights(), seed);
                List<Tensor> in = new ArrayList<>();
                in.add(GradientCheck.randn(seed, 1f, 2, 4, 3));
                for (int k = 0; k < sizes.length; k++) {
                    in.add(GradientCheck.randn(seed + 7 + k, 0.8f, 2, sizes[k]));
                }
                Mask mask = (opt & 4) != 0 ? randomMask(seed, 2, 4) : null;
                GradientCheck.checkAll(r, in, Collections.singletonList(mask), null, 3e-3, 1e-3);
                seed++;
            }
        }
    }

    /** StackedRNNCells of all three cells: gradients, Keras's flat state order. */
    @Test
    void stackedCellsGradientsAndStateOrder() {
        long seed = 700;
        for (int opt = 0; opt < 4; opt++) {
            RNN r = new RNN(List.of(new LSTMCell(3), new GRUCell(2), new SimpleRNNCell(2)))
                    .returnSequences((opt & 1) != 0).returnState(true);
            StackedRNNCells s = (StackedRNNCells) r.cell();
            assertArrayEquals(new int[] {3, 3, 2, 2}, s.stateSizes());
            assertEquals(2, s.outputSize());
            r.build(shapes(4, 3, s.stateSizes(), true), new Rng(seed));
            assertEquals(9, r.weights().size());
            randomize(r.weights(), seed);
            List<Tensor> in = new ArrayList<>();
            in.add(GradientCheck.randn(seed, 1f, 2, 4, 3));
            for (int k = 0; k < 4; k++) {
                in.add(GradientCheck.randn(seed + 7 + k, 0.8f, 2, s.stateSizes()[k]));
            }
            Mask mask = (opt & 2) != 0 ? randomMask(seed, 2, 4) : null;
            GradientCheck.checkAll(r, in, Collections.singletonList(mask), null, 3e-3, 1e-3);
            List<Tensor> out = r.forwardAll(in, Collections.singletonList(mask), false, new LayerContext());
            assertEquals(5, out.size());
            assertArrayEquals(new int[] {2, 3}, out.get(1).shape());
            assertArrayEquals(new int[] {2, 3}, out.get(2).shape());
            assertArrayEquals(new int[] {2, 2}, out.get(3).shape());
            seed++;
        }
    }

}
