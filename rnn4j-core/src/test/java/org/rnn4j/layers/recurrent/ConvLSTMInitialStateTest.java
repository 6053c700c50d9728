package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * ConvLSTM1D/2D/3D called on {@code [x, h0, c0]} (Keras's {@code initial_state}): gradients reach
 * the states, a sequence split in two and carried through the states gives the whole run, and
 * wrong state shapes fail naming the layer and both shapes. Keras parity of the numbers is in
 * FunctionalTrainingParityTest (two training steps) and rnn4j-keras's ConvLSTMStatesFileTest.
 */
class ConvLSTMInitialStateTest {
    private static int[] withBatch(int b, int[] s) {
        int[] full = new int[s.length + 1];
        full[0] = b;
        System.arraycopy(s, 0, full, 1, s.length);
        return full;
    }

    private static List<Tensor> call(ConvLSTM l, Tensor... in) {
        return l.forwardAll(Arrays.asList(in), Collections.singletonList(null), false, new LayerContext());
    }

    @Test
    void gradientsFlowIntoTheInitialStates() {
        ConvLSTM[] layers = {
            ConvLSTM.conv2d(2, 2, 2).returnSequences(true).returnState(true),
            ConvLSTM.conv1d(2, 3).padding("same").goBackwards(true),
            ConvLSTM.conv3d(2, 2, 2, 2).returnState(true)};
        int[][] shapes = {{3, 4, 4, 2}, {3, 5, 2}, {2, 3, 3, 3, 1}};
        long seed = 31;
        for (int i = 0; i < layers.length; i++) {
            ConvLSTM l = layers[i];
            int[] state = l.computeOutputShapes(List.of(shapes[i])).get(0);
            state = l.returnSequences() ? Arrays.copyOfRange(state, 1, state.length) : state;
            l.build(List.of(shapes[i], state, state), new Rng(seed));
            CellParityTest.randomize(l.weights(), seed);
            List<Tensor> in = List.of(GradientCheck.randn(seed, 0.8f, withBatch(2, shapes[i])),
                    GradientCheck.randn(seed + 1, 0.8f, withBatch(2, state)),
                    GradientCheck.randn(seed + 2, 0.8f, withBatch(2, state)));
            Mask mask = i == 1 ? CellParityTest.randomMask(seed, 2, shapes[i][0]) : null;
            GradientCheck.checkAll(l, in, Collections.singletonList(mask), null, 3e-3, 1e-3);
            if (l.returnState()) {
                // only the final states used: their gradients alone must reach h0 and c0
                GradientCheck.checkAll(l, in, Collections.singletonList(mask),
                        new boolean[] {false, true, true}, 3e-3, 1e-3);
            }
            seed += 3;
        }
    }

    /** The first {@code from..to} steps of a {@code (B, T, ...)} tensor. */
    private static Tensor steps(Tensor x, int from, int to) {
        int b = x.dim(0);
        int t = x.dim(1);
        int per = x.size() / (b * t);
        int[] shape = x.shape().clone();
        shape[1] = to - from;
        Tensor out = Tensor.zeros(shape);
        for (int r = 0; r < b; r++) {
            System.arraycopy(x.data(), (r * t + from) * per, out.data(), r * (to - from) * per, (to - from) * per);
        }
        return out;
    }

    @Test
    void aSequenceSplitInTwoAndCarriedThroughTheStatesGivesTheWholeRun() {
        int[] in = {5, 4, 4, 2};
        ConvLSTM whole = ConvLSTM.conv2d(3, 3, 3).padding("same").returnSequences(true).returnState(true);
        whole.build(in, new Rng(7));
        CellParityTest.randomize(whole.weights(), 7);
        ConvLSTM part = ConvLSTM.conv2d(3, 3, 3).padding("same").returnSequences(true).returnState(true);
        part.build(List.of(new int[] {-1, 4, 4, 2}, new int[] {4, 4, 3}, new int[] {4, 4, 3}), new Rng(8));
        for (int k = 0; k < 3; k++) {
            part.weights().get(k).assign(whole.weights().get(k).value().copy());
        }
        Tensor x = GradientCheck.randn(9, 1f, 2, 5, 4, 4, 2);
        List<Tensor> all = call(whole, x);
        List<Tensor> first = call(part, steps(x, 0, 2));
        List<Tensor> rest = call(part, steps(x, 2, 5), first.get(1), first.get(2));
        assertTrue(steps(all.get(0), 2, 5).maxAbsDiff(rest.get(0)) < 1e-6, "outputs after the split");
        assertTrue(all.get(1).maxAbsDiff(rest.get(1)) < 1e-6, "final h");
        assertTrue(all.get(2).maxAbsDiff(rest.get(2)) < 1e-6, "final c");
        // and the states matter: zeros give the run without states, others differ
        Tensor zeros = Tensor.zeros(2, 4, 4, 3);
        assertEquals(0f, call(part, x, zeros, zeros).get(0).maxAbsDiff(all.get(0)));
        assertTrue(call(part, steps(x, 2, 5)).get(0).maxAbsDiff(rest.get(0)) > 1e-3);
    }

    @Test
    void wrongStatesFailNamingTheLayerAndBothShapes() {
        ConvLSTM l = ConvLSTM.conv2d(2, 2, 2).name("dec");
        LayerShapeException e = assertThrows(LayerShapeException.class, () -> l.build(
                List.of(new int[] {3, 4, 4, 2}, new int[] {4, 4, 2}, new int[] {3, 3, 2}), new Rng(1)));
        assertTrue(e.getMessage().contains("'dec'") && e.getMessage().contains("ConvLSTM2D")
                && e.getMessage().contains("initial state h") && e.getMessage().contains("(None, 3, 3, 2)")
                && e.getMessage().contains("(None, 4, 4, 2)"), e.getMessage());
        e = assertThrows(LayerShapeException.class, () -> l.build(
                List.of(new int[] {3, 4, 4, 2}, new int[] {3, 3, 2}), new Rng(1)));
        assertTrue(e.getMessage().contains("'dec'") && e.getMessage().contains("[x, h, c]")
                && e.getMessage().contains("2 inputs"), e.getMessage());
        e = assertThrows(LayerShapeException.class, () -> l.build(
                List.of(new int[] {3, 4, 4, 2}, new int[] {3, 3, 2}, new int[] {9}), new Rng(1)));
        assertTrue(e.getMessage().contains("initial state c (input 2)") && e.getMessage().contains("(None, 9)"),
                e.getMessage());
        // at run time: a state of the wrong batch or spatial size
        l.build(List.of(new int[] {3, 4, 4, 2}, new int[] {3, 3, 2}, new int[] {3, 3, 2}), new Rng(1));
        Tensor x = Tensor.zeros(2, 3, 4, 4, 2);
        Exception r = assertThrows(LayerShapeException.class, () -> call(l, x, Tensor.zeros(2, 3, 3, 2),
                Tensor.zeros(1, 3, 3, 2)));
        assertTrue(r.getMessage().contains("'dec'") && r.getMessage().contains("(1, 3, 3, 2)")
                && r.getMessage().contains("(2, 3, 3, 2)"), r.getMessage());
        assertEquals(1, call(l, x, Tensor.zeros(2, 3, 3, 2), Tensor.zeros(2, 3, 3, 2)).size());
    }

    @Test
    void returnStateWithInitialStatesGivesTheStateShapes() {
        ConvLSTM l = ConvLSTM.conv1d(4, 3).returnState(true);
        List<int[]> out = l.computeOutputShapes(List.of(new int[] {6, 8, 2}, new int[] {6, 4}, new int[] {6, 4}));
        List<int[]> want = new ArrayList<>(List.of(new int[] {6, 4}, new int[] {6, 4}, new int[] {6, 4}));
        assertEquals(want.size(), out.size());
        for (int k = 0; k < want.size(); k++) {
            assertArrayEquals(want.get(k), out.get(k));
        }
    }
}
