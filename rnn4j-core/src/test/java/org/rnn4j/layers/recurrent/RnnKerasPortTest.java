package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * The literal-valued assertions of Keras 3.15.1's keras/src/layers/rnn/rnn_test.py, with its
 * custom cells ({@link KerasTestCells}) written against the public Cell interface. Shapes here
 * exclude the batch axis (rnn4j's convention), so Keras's {@code (3, 5)} is {@code [5]}.
 */
class RnnKerasPortTest {
    private static final float TOL = 1e-5f;

    private static Cell one(int u) {
        return new KerasTestCells.OneState(u);
    }

    private static Cell two(int u) {
        return new KerasTestCells.TwoStates(u);
    }

    private static Tensor ones(int... shape) {
        return Tensor.full(1f, shape);
    }

    private static Tensor arange(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return Tensor.of(v, shape);
    }

    /** Builds on first use (as Keras's first call) and runs on x (+ initial states). */
    private static List<Tensor> call(RNN r, Tensor x, Mask mask, Tensor... states) {
        List<Tensor> in = new ArrayList<>();
        in.add(x);
        in.addAll(List.of(states));
        if (!r.isBuilt()) {
            List<int[]> shapes = new ArrayList<>();
            shapes.add(new int[] {x.dim(1), x.dim(2)});
            for (Tensor s : states) {
                shapes.add(new int[] {s.dim(1)});
            }
            r.build(shapes, new Rng(1));
        }
        return r.forwardAll(in, Collections.singletonList(mask), false, new LayerContext());
    }

    private static void close(float[][] rows, Tensor got) {
        int n = rows[0].length;
        assertArrayEquals(new int[] {rows.length, n}, got.shape());
        for (int r = 0; r < rows.length; r++) {
            for (int j = 0; j < n; j++) {
                assertEquals(rows[r][j], got.data()[r * n + j], TOL * Math.max(1, Math.abs(rows[r][j])));
            }
        }
    }

    private static void close(float[][][] v, Tensor got) {
        List<Float> flat = new ArrayList<>();
        for (float[][] a : v) {
            for (float[] b : a) {
                for (float c : b) {
                    flat.add(c);
                }
            }
        }
        assertArrayEquals(new int[] {v.length, v[0].length, v[0][0].length}, got.shape());
        for (int i = 0; i < flat.size(); i++) {
            assertEquals(flat.get(i), got.data()[i], TOL * Math.max(1, Math.abs(flat.get(i))));
        }
    }

    private static float[][] rep(int rows, float v) {
        float[][] m = new float[rows][2];
        for (float[] r : m) {
            r[0] = v;
            r[1] = v;
        }
        return m;
    }

    // test_basics: 8 run_layer_test calls (output shape, trainable weight count)
    @Test
    void basics() {
        Object[][] cases = {
            {one(5), false, new int[] {5}, 2}, {one(5), false, new int[] {5}, 2}, {one(5), false, new int[] {5}, 2},
            {one(5), true, new int[] {2, 5}, 2}, {one(5), false, new int[] {5}, 2},
            {two(5), false, new int[] {5}, 3}, {two(5), false, new int[] {5}, 3}, {two(5), true, new int[] {2, 5}, 3}};
        for (int i = 0; i < cases.length; i++) {
            RNN r = new RNN((Cell) cases[i][0]).returnSequences((Boolean) cases[i][1]);
            if (i == 4) {
                r.goBackwards(true).unroll(true);
            }
            r.build(new int[] {2, 4}, new Rng(1));
            assertArrayEquals((int[]) cases[i][2], r.outputShape(), "case " + i);
            assertEquals((int) cases[i][3], r.weights().size(), "case " + i);
            assertArrayEquals((int[]) cases[i][2], Shape.drop(call(r, GradientCheck.randn(i, 1f, 3, 2, 4), null).get(0)));
        }
    }

    /** Shape helper: a tensor's shape without the batch axis. */
    static final class Shape {
        static int[] drop(Tensor t) {
            return java.util.Arrays.copyOfRange(t.shape(), 1, t.rank());
        }
    }

    // test_compute_output_shape_single_state (6), _two_states (8), test_dynamic_shapes (14)
    @Test
    void computeOutputShapes() {
        for (int[] in : new int[][] {{4, 5}, {-1, 3}}) {
            int t = in[0];
            for (boolean twoStates : new boolean[] {false, true}) {
                int states = twoStates ? 2 : 1;
                RNN a = new RNN(twoStates ? two(8) : one(8));
                assertArrayEquals(new int[] {8}, a.computeOutputShape(in));
                RNN b = new RNN(twoStates ? two(8) : one(8)).returnSequences(true);
                assertArrayEquals(new int[] {t, 8}, b.computeOutputShape(in));
                List<int[]> c = new RNN(twoStates ? two(8) : one(8)).returnState(true).computeOutputShapes(List.of(in));
                assertEquals(1 + states, c.size());
                assertArrayEquals(new int[] {8}, c.get(0));
                for (int k = 1; k <= states; k++) {
                    assertArrayEquals(new int[] {8}, c.get(k));
                }
                List<int[]> d = new RNN(twoStates ? two(8) : one(8)).returnSequences(true).returnState(true)
                        .computeOutputShapes(List.of(in));
                assertArrayEquals(new int[] {t, 8}, d.get(0));
                for (int k = 1; k <= states; k++) {
                    assertArrayEquals(new int[] {8}, d.get(k));
                }
            }
        }
    }

    // test_forward_pass_single_state (6)
    @Test
    void forwardPassSingleState() {
        Tensor x = ones(1, 2, 3);
        close(new float[][] {{9, 9}}, call(new RNN(one(2)), x, null).get(0));
        close(new float[][][] {{{3, 3}, {9, 9}}}, call(new RNN(one(2)).returnSequences(true), x, null).get(0));
        List<Tensor> o = call(new RNN(one(2)).returnState(true), x, null);
        close(new float[][] {{9, 9}}, o.get(0));
        close(new float[][] {{9, 9}}, o.get(1));
        o = call(new RNN(one(2)).returnSequences(true).returnState(true), x, null);
        close(new float[][][] {{{3, 3}, {9, 9}}}, o.get(0));
        close(new float[][] {{9, 9}}, o.get(1));
    }

    // test_forward_pass_two_states (8)
    @Test
    void forwardPassTwoStates() {
        Tensor x = ones(1, 2, 3);
        close(new float[][] {{18, 18}}, call(new RNN(two(2)), x, null).get(0));
        close(new float[][][] {{{6, 6}, {18, 18}}}, call(new RNN(two(2)).returnSequences(true), x, null).get(0));
        List<Tensor> o = call(new RNN(two(2)).returnState(true), x, null);
        close(new float[][] {{18, 18}}, o.get(0));
        close(new float[][] {{9, 9}}, o.get(1));
        close(new float[][] {{9, 9}}, o.get(2));
        o = call(new RNN(two(2)).returnSequences(true).returnState(true), x, null);
        close(new float[][][] {{{6, 6}, {18, 18}}}, o.get(0));
        close(new float[][] {{9, 9}}, o.get(1));
        close(new float[][] {{9, 9}}, o.get(2));
    }

    // test_passing_initial_state_single_state (3), _two_states (4)
    @Test
    void passingInitialStates() {
        Tensor x = ones(2, 3, 2);
        close(rep(2, 22), call(new RNN(one(2)), x, null, ones(2, 2)).get(0));
        List<Tensor> o = call(new RNN(one(2)).returnState(true), x, null, ones(2, 2));
        close(rep(2, 22), o.get(0));
        close(rep(2, 22), o.get(1));
        close(rep(2, 44), call(new RNN(two(2)), x, null, ones(2, 2), ones(2, 2)).get(0));
        o = call(new RNN(two(2)).returnState(true), x, null, ones(2, 2), ones(2, 2));
        close(rep(2, 44), o.get(0));
        close(rep(2, 22), o.get(1));
        close(rep(2, 22), o.get(2));
    }

    // test_statefulness_single_state (3), _two_states (4)
    @Test
    void statefulness() {
        Tensor x = ones(1, 2, 3);
        RNN a = new RNN(one(2)).stateful(true);
        call(a, x, null);
        close(rep(1, 45), call(a, x, null).get(0));
        RNN b = new RNN(one(2)).stateful(true).returnState(true);
        call(b, x, null);
        List<Tensor> o = call(b, x, null);
        close(rep(1, 45), o.get(0));
        close(rep(1, 45), o.get(1));
        RNN c = new RNN(two(2)).stateful(true);
        call(c, x, null);
        close(rep(1, 90), call(c, x, null).get(0));
        RNN d = new RNN(two(2)).stateful(true).returnState(true);
        call(d, x, null);
        o = call(d, x, null);
        close(rep(1, 90), o.get(0));
        close(rep(1, 45), o.get(1));
        close(rep(1, 45), o.get(2));
        // and resetStates starts the sequence again (Keras's reset_state)
        d.resetStates();
        close(rep(1, 18), call(d, x, null).get(0));
    }

    // test_go_backwards (3)
    @Test
    void goBackwards() {
        Tensor x = arange(2, 3, 4);
        RNN a = new RNN(one(2)).goBackwards(true);
        call(a, x, null);
        close(new float[][] {{202, 202}, {538, 538}}, call(a, x, null).get(0));
        RNN b = new RNN(one(2)).stateful(true).returnState(true);
        call(b, x, null);
        List<Tensor> o = call(b, x, null);
        close(new float[][] {{954, 954}, {3978, 3978}}, o.get(0));
        close(new float[][] {{954, 954}, {3978, 3978}}, o.get(1));
    }

    // test_stateful_batch_size_mismatch_raises (1)
    @Test
    void statefulBatchSizeMismatchRaises() {
        RNN r = new RNN(two(2)).stateful(true);
        call(r, GradientCheck.randn(1, 1f, 4, 5, 3), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> call(r, GradientCheck.randn(2, 1f, 1, 5, 3), null));
        assertTrue(e.getMessage().contains("batch size"), e.getMessage());
    }

    // test_masking (4; unroll=True and False give the same numbers)
    @Test
    void masking() {
        Tensor x = arange(2, 4, 3);
        Mask mask = new Mask(new boolean[] {true, true, true, false, true, true, false, false}, 2, 4);
        for (boolean unroll : new boolean[] {false, true}) {
            close(new float[][] {{57, 57}, {126, 126}}, call(new RNN(one(2)).unroll(unroll), x, mask).get(0));
            close(new float[][][] {{{3, 3}, {18, 18}, {57, 57}, {57, 57}},
                {{39, 39}, {126, 126}, {126, 126}, {126, 126}}},
                    call(new RNN(one(2)).returnSequences(true).unroll(unroll), x, mask).get(0));
        }
    }

    /** Not in Keras's file: the custom cells' backward passes by finite differences through RNN. */
    @Test
    void customCellGradients() {
        long seed = 5;
        for (int opt = 0; opt < 8; opt++) {
            Cell cell = (opt & 4) != 0 ? two(2) : one(2);
            RNN r = new RNN(cell).returnSequences((opt & 1) != 0).goBackwards((opt & 2) != 0).returnState(true);
            List<int[]> shapes = new ArrayList<>();
            shapes.add(new int[] {3, 2});
            List<Tensor> in = new ArrayList<>();
            in.add(GradientCheck.randn(seed, 0.3f, 2, 3, 2));
            for (int k = 0; k < cell.stateSizes().length; k++) {
                shapes.add(new int[] {2});
                in.add(GradientCheck.randn(seed + 1 + k, 0.3f, 2, 2));
            }
            r.build(shapes, new Rng(1));
            CellParityTest.randomize(r.weights(), seed);
            Mask mask = CellParityTest.randomMask(seed, 2, 3);
            GradientCheck.checkAll(r, in, Collections.singletonList(mask), null, 1e-2, 1e-3);
            seed++;
        }
    }
}
