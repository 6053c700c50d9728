package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * The literal-valued assertions of Keras 3.15.1's keras/src/layers/rnn/stacked_rnn_cells_test.py.
 * Keras returns a stack's final states nested per cell ({@code [out, [h1, c1], [h2, c2]]});
 * rnn4j's outputs are a flat list in the same order ({@code [out, h1, c1, h2, c2]}).
 */
class StackedCellsKerasPortTest {
    private static Tensor arange(int... shape) {
        float[] v = new float[shape[0] * shape[1] * shape[2]];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Tensor.of(v, shape);
    }

    private static List<Tensor> call(RNN r, Tensor x, Mask mask, boolean training) {
        if (!r.isBuilt()) {
            r.build(new int[] {x.dim(1), x.dim(2)}, new Rng(1));
        }
        return r.forwardAll(List.of(x), Collections.singletonList(mask), training, new LayerContext());
    }

    private static void close(float[] want, Tensor got, double atol) {
        assertEquals(want.length, got.size());
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got.data()[i], Math.max(atol, 1e-6 * Math.abs(want[i])), "index " + i);
        }
    }

    private static float[] pairs(float... rows) {
        float[] v = new float[rows.length * 2];
        for (int i = 0; i < rows.length; i++) {
            v[2 * i] = rows[i];
            v[2 * i + 1] = rows[i];
        }
        return v;
    }

    private static float[] triples(float a, float b) {
        return new float[] {a, a, a, b, b, b};
    }

    private static List<Cell> cells(IntFunction<Cell> f, int... units) {
        List<Cell> l = new ArrayList<>();
        for (int u : units) {
            l.add(f.apply(u));
        }
        return l;
    }

    // test_basics: 7 run_layer_test calls (output shape, trainable weight count)
    @Test
    void basics() {
        List<IntFunction<Cell>> makers = List.of(KerasTestCells.OneState::new, KerasTestCells.OneState::new,
                KerasTestCells.TwoStates::new, KerasTestCells.TwoStates::new,
                u -> new SimpleRNNCell(u).dropout(0.1).recurrentDropout(0.1),
                u -> new GRUCell(u).dropout(0.1).recurrentDropout(0.1),
                u -> new LSTMCell(u).dropout(0.1).recurrentDropout(0.1));
        boolean[] seq = {false, true, false, true, true, true, true};
        int[] weights = {6, 6, 9, 9, 9, 9, 9};
        for (int i = 0; i < makers.size(); i++) {
            RNN r = new RNN(cells(makers.get(i), 3, 4, 5)).returnSequences(seq[i]);
            r.build(new int[] {3, 4}, new Rng(1));
            int[] want = seq[i] ? new int[] {3, 5} : new int[] {5};
            assertArrayEquals(want, r.outputShape(), "case " + i);
            assertEquals(weights[i], r.weights().size(), "case " + i);
            Tensor x = GradientCheck.randn(i, 0.1f, 2, 3, 4);
            for (boolean training : new boolean[] {false, true}) {
                Tensor y = call(r, x, null, training).get(0);
                assertArrayEquals(seq[i] ? new int[] {2, 3, 5} : new int[] {2, 5}, y.shape());
            }
        }
    }

    // test_correctness_single_state_stack (8)
    @Test
    void singleStateStack() {
        Tensor x = arange(2, 3, 4);
        float[] last = pairs(786, 4386);
        float[] seqOut = pairs(18, 156, 786, 162, 1020, 4386);
        close(last, call(new RNN(cells(KerasTestCells.OneState::new, 3, 2)), x, null, false).get(0), 1e-2);
        close(seqOut, call(new RNN(cells(KerasTestCells.OneState::new, 3, 2)).returnSequences(true), x, null, false)
                .get(0), 1e-2);
        for (boolean seq : new boolean[] {false, true}) {
            List<Tensor> o = call(new RNN(cells(KerasTestCells.OneState::new, 3, 2)).returnState(true)
                    .returnSequences(seq), x, null, false);
            close(seq ? seqOut : last, o.get(0), 1e-2);
            close(triples(158, 782), o.get(1), 1e-2);
            close(last, o.get(2), 1e-2);
        }
    }

    // test_correctness_two_states_stack (7)
    @Test
    void twoStatesStack() {
        Tensor x = arange(2, 3, 4);
        float[] last = pairs(3144, 17544);
        close(last, call(new RNN(cells(KerasTestCells.TwoStates::new, 3, 2)), x, null, false).get(0), 1e-2);
        close(pairs(72, 624, 3144, 648, 4080, 17544), call(new RNN(cells(KerasTestCells.TwoStates::new, 3, 2))
                .returnSequences(true), x, null, false).get(0), 1e-2);
        List<Tensor> o = call(new RNN(cells(KerasTestCells.TwoStates::new, 3, 2)).returnState(true), x, null, false);
        close(last, o.get(0), 1e-2);
        close(triples(158, 782), o.get(1), 1e-2);
        close(triples(158, 782), o.get(2), 1e-2);
        close(pairs(1572, 8772), o.get(3), 1e-2);
        close(pairs(1572, 8772), o.get(4), 1e-2);
    }

    // test_statefullness_single_state_stack (1), _two_states_stack (1)
    @Test
    void statefulStacks() {
        Tensor x = arange(2, 3, 4);
        RNN a = new RNN(cells(KerasTestCells.OneState::new, 3, 2)).stateful(true);
        call(a, x, null, false);
        close(pairs(34092, 173196), call(a, x, null, false).get(0), 1e-2);
        RNN b = new RNN(cells(KerasTestCells.TwoStates::new, 3, 2)).stateful(true);
        call(b, x, null, false);
        close(pairs(136368, 692784), call(b, x, null, false).get(0), 1e-2);
    }

    // test_return_state_stacked_lstm_cell (12: 2 lengths, flat here, and 10 shapes)
    @Test
    void returnStateStackedLstmCells() {
        RNN r = new RNN(List.of(new LSTMCell(10), new LSTMCell(10))).returnState(true);
        List<Tensor> out = call(r, Tensor.zeros(2, 3, 5), null, false);
        assertEquals(5, out.size());
        for (Tensor t : out) {
            assertArrayEquals(new int[] {2, 10}, t.shape());
        }
        List<int[]> shapes = r.computeOutputShapes(List.of(new int[] {3, 5}));
        assertEquals(5, shapes.size());
        for (int[] s : shapes) {
            assertArrayEquals(new int[] {10}, s);
        }
    }

    // test_stacked_lstm_cell_mask (1)
    @Test
    void stackedLstmCellMask() {
        List<Cell> c = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            c.add(new LSTMCell(1).kernelInitializer("ones").recurrentInitializer("ones"));
        }
        Mask mask = new Mask(new boolean[] {true, true, true, true, true, false}, 2, 3);
        Tensor y = call(new RNN(c), Tensor.full(1f, 2, 3, 4), mask, false).get(0);
        close(new float[] {0.7793f, 0.5998f}, y, 1e-4);
        assertTrue(y.rank() == 2);
    }
}
