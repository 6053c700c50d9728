package org.rnn4j.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.models.Input;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras 3.15.1's keras/src/layers/preprocessing/category_encoding_test.py, dense cases: same
 * inputs, options and expected values. Keras's unbatched calls (a 1-D array as one sample) run
 * here as a batch of one sample, so an expected {@code (6,)} is checked as {@code (1, 6)}; a
 * 1-D one_hot input runs as a column {@code (n, 1)}, which Keras's one_hot squeezes to the same
 * {@code (n, depth)}. Not ported: test_count_weighted_output (no {@code count_weights} input).
 */
class KerasCategoryEncodingPortTest {
    private static Tensor ints(int rows, int cols, float... v) {
        return Tensor.of(v, rows, cols);
    }

    private static Tensor call(CategoryEncoding l, Tensor x) {
        l.build(java.util.Arrays.copyOfRange(x.shape(), 1, x.rank()), new Rng(1));
        return l.forward(x);
    }

    private static void assertAllClose(float[] want, Tensor got) {
        assertArrayEquals(want, got.data(), 1e-6f);
    }

    /** Keras's symbolic call: the output shape and dtype of a model input of the same shape. */
    private static void assertSymbolic(CategoryEncoding fresh, int[] sample, int... wantSample) {
        SymbolicTensor out = fresh.call(Input.ofType("int32", sample));
        assertArrayEquals(wantSample, out.shape());
        assertEquals("float32", out.dtype());
    }

    @Test
    void countOutput() {
        Tensor y = call(new CategoryEncoding(6).outputMode("count"), ints(1, 4, 1, 2, 3, 1));
        assertArrayEquals(new int[] {1, 6}, y.shape());
        assertAllClose(new float[] {0, 2, 1, 1, 0, 0}, y);
        assertSymbolic(new CategoryEncoding(6).outputMode("count"), new int[] {4}, 6);
    }

    @Test
    void batchedCountOutput() {
        Tensor y = call(new CategoryEncoding(6).outputMode("count"), ints(2, 4, 1, 2, 3, 1, 0, 3, 1, 0));
        assertArrayEquals(new int[] {2, 6}, y.shape());
        assertAllClose(new float[] {0, 2, 1, 1, 0, 0, 2, 1, 0, 1, 0, 0}, y);
        assertSymbolic(new CategoryEncoding(6).outputMode("count"), new int[] {4}, 6);
    }

    @Test
    void multiHot() {
        Tensor y = call(new CategoryEncoding(6).outputMode("multi_hot"), ints(1, 4, 3, 2, 0, 1));
        assertAllClose(new float[] {1, 1, 1, 1, 0, 0}, y);
        assertArrayEquals(new int[] {1, 6}, y.shape());
        assertSymbolic(new CategoryEncoding(6), new int[] {4}, 6);
    }

    @Test
    void batchedMultiHot() {
        CategoryEncoding l = new CategoryEncoding(6).outputMode("multi_hot");
        Tensor y = call(l, ints(2, 4, 3, 2, 0, 1, 3, 2, 0, 1));
        assertAllClose(new float[] {1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0}, y);
        assertArrayEquals(new int[] {2, 6}, y.shape());
        assertSymbolic(new CategoryEncoding(6).outputMode("multi_hot"), new int[] {4}, 6);
        assertArrayEquals(new int[] {6}, l.computeOutputShape(new int[] {4}));
    }

    @Test
    void oneHot() {
        CategoryEncoding l = new CategoryEncoding(6).outputMode("one_hot");
        Tensor y = call(l, ints(4, 1, 3, 2, 0, 1));
        assertAllClose(new float[] {0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}, y);
        assertArrayEquals(new int[] {4, 6}, y.shape());
        assertSymbolic(new CategoryEncoding(6).outputMode("one_hot"), new int[] {1}, 6);
        // compute_output_shape with one extra dimension of size 1 and without
        assertArrayEquals(new int[] {6}, l.computeOutputShape(new int[] {1}));
        assertArrayEquals(new int[] {4, 6}, l.computeOutputShape(new int[] {4}));
    }

    private static final float[] BATCHED_ONE_HOT = {
        0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
        0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};

    @Test
    void batchedOneHot() {
        Tensor y = call(new CategoryEncoding(6).outputMode("one_hot"), ints(2, 4, 3, 2, 0, 1, 3, 2, 0, 1));
        assertAllClose(BATCHED_ONE_HOT, y);
        assertArrayEquals(new int[] {2, 4, 6}, y.shape());
        assertSymbolic(new CategoryEncoding(6).outputMode("one_hot"), new int[] {4}, 4, 6);
    }

    /** test_tf_data_compatibility: num_tokens=4, one_hot (a batch of 4 scalars). */
    @Test
    void tfDataCompatibility() {
        assertAllClose(new float[] {0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0},
                call(new CategoryEncoding(4).outputMode("one_hot"), ints(4, 1, 3, 2, 0, 1)));
    }

    @Test
    void encodeOneHotSingleAndBatchedSamples() {
        assertAllClose(new float[] {0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0},
                call(new CategoryEncoding(4).outputMode("one_hot"), ints(4, 1, 1, 2, 3, 1)));
        Tensor y = call(new CategoryEncoding(4).outputMode("one_hot"), ints(2, 4, 3, 2, 0, 1, 3, 2, 0, 1));
        assertAllClose(new float[] {0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0,
            0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0}, y);
    }

    @Test
    void countSingleAndBatchedSamples() {
        assertAllClose(new float[] {0, 2, 1, 1}, call(new CategoryEncoding(4).outputMode("count"), ints(1, 4, 1, 2, 3, 1)));
        assertAllClose(new float[] {0, 2, 1, 1, 2, 1, 0, 1},
                call(new CategoryEncoding(4).outputMode("count"), ints(2, 4, 1, 2, 3, 1, 0, 3, 1, 0)));
    }

    @Test
    void errors() {
        Exception none = assertThrows(IllegalArgumentException.class,
                () -> CategoryEncoding.fromConfig(Map.of("output_mode", "multi_hot")));
        assertTrue(none.getMessage().contains("num_tokens must be set to use this layer"));
        for (int bad : new int[] {0, -1}) {
            Exception e = assertThrows(IllegalArgumentException.class, () -> new CategoryEncoding(bad));
            assertTrue(e.getMessage().contains("`num_tokens` must be >= 1"));
        }
        Exception mode = assertThrows(IllegalArgumentException.class,
                () -> new CategoryEncoding(4).outputMode("invalid_mode"));
        assertTrue(mode.getMessage().contains("Unknown arg for output_mode: invalid_mode"));
    }
}
