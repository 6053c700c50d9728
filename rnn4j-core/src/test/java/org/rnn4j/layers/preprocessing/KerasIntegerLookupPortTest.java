package org.rnn4j.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras 3.15.1's keras/src/layers/preprocessing/integer_lookup_test.py: its literal-valued
 * assertions with the same vocabularies, adapt data, options and inputs. Keras's unbatched calls
 * (a 1-D list as one sample) run as a batch of one row; one_hot of a 1-D list runs as a column.
 * Not ported: a vocabulary file outside the model (rnn4j rejects it by name) and sparse output;
 * the farmhash/SipHash OOV cases are in KerasLookupOovInvertPortTest.
 */
class KerasIntegerLookupPortTest {
    private static final long[] ADAPT = {1, 1, 1, 2, 2, 3};

    private static Tensor row(float... v) {
        return Tensor.of(v, 1, v.length);
    }

    private static Tensor call(IntegerLookup l, Tensor x) {
        l.build(java.util.Arrays.copyOfRange(x.shape(), 1, x.rank()), new Rng(1));
        return l.forward(x);
    }

    private static void assertAllClose(float[] want, Tensor got) {
        assertArrayEquals(want, got.data(), 1e-6f);
    }

    private static List<Long> longs(long... v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }

    @Test
    void config() {
        IntegerLookup l = new IntegerLookup().oovToken(1L).maskToken(0L).vocabulary(longs(1, 2, 3));
        IntegerLookup back = IntegerLookup.fromConfig(l.config());
        assertEquals(l.config(), back.config());
    }

    @Test
    void adaptFlow() {
        IntegerLookup in = new IntegerLookup().adapt(ADAPT);
        assertAllClose(new float[] {1, 2, 0}, call(in, row(1, 2, 4)));
        IntegerLookup batch = new IntegerLookup().adapt(ADAPT);
        assertAllClose(new float[] {1, 2, 0, 2, 3, 0}, call(batch, Tensor.of(new float[] {1, 2, 4, 2, 3, 5}, 2, 3)));
        IntegerLookup oneHot = new IntegerLookup().outputMode("one_hot").adapt(ADAPT);
        assertAllClose(new float[] {0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0},
                call(oneHot, Tensor.of(new float[] {1, 2, 4}, 3, 1)));
        IntegerLookup multiHot = new IntegerLookup().outputMode("multi_hot").adapt(ADAPT);
        assertAllClose(new float[] {1, 1, 1, 0}, call(multiHot, row(1, 2, 4)));
        IntegerLookup tfIdf = new IntegerLookup().outputMode("tf_idf").adapt(ADAPT);
        assertArrayEquals(new float[] {1.133732f, 0.916291f, 1.098612f, 0f}, call(tfIdf, row(1, 2, 4)).data(), 1e-6f);
        IntegerLookup count = new IntegerLookup().outputMode("count").adapt(ADAPT);
        assertAllClose(new float[] {1, 3, 2, 1}, call(count, row(1, 2, 3, 4, 1, 2, 1)));
    }

    /** test_fixed_vocabulary, test_set_vocabulary and test_tf_data_compatibility: the same lookup. */
    @Test
    void fixedAndSetVocabulary() {
        for (int i = 0; i < 3; i++) {
            IntegerLookup l = i == 0 ? new IntegerLookup(longs(1, 2, 3, 4)) : new IntegerLookup().vocabulary(longs(1, 2, 3, 4));
            Tensor x = i == 2 ? Tensor.of(new float[] {2, 3, 4, 5}, 4, 1) : row(2, 3, 4, 5);
            assertAllClose(new float[] {2, 3, 4, 0}, call(l, x));
        }
    }

    @Test
    void oneHotOutputWithHigherRankInput() {
        float[] want = {0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0};
        Tensor y = call(new IntegerLookup().outputMode("one_hot").vocabulary(longs(1, 2, 3)),
                Tensor.of(new float[] {1, 2, 3, 0}, 2, 2));
        assertArrayEquals(new int[] {2, 2, 4}, y.shape());
        assertAllClose(want, y);
        Tensor y3 = call(new IntegerLookup().outputMode("one_hot").vocabulary(longs(1, 2, 3)),
                Tensor.of(new float[] {1, 2, 3, 0}, 1, 2, 2));
        assertArrayEquals(new int[] {1, 2, 2, 4}, y3.shape());
        assertAllClose(want, y3);
    }

    @Test
    void multiHotCountAndTfIdfOutputShapes() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 0}, 2, 2);
        assertArrayEquals(new int[] {2, 4}, call(new IntegerLookup().outputMode("multi_hot").vocabulary(longs(1, 2, 3)), x).shape());
        assertArrayEquals(new int[] {2, 4}, call(new IntegerLookup().outputMode("count").vocabulary(longs(1, 2, 3)), x).shape());
        assertArrayEquals(new int[] {2, 4}, call(new IntegerLookup().outputMode("tf_idf")
                .vocabulary(longs(1, 2, 3), List.of(1f, 1f, 1f)), x).shape());
    }

    @Test
    void maxTokensAndGetVocabulary() {
        assertEquals(4, new IntegerLookup().maxTokens(4).adapt(1, 2, 3, 4, 5, 6, 1, 1, 2, 2).vocabulary().size());
        List<Long> vocab = new IntegerLookup().adapt(5, 5, 5, 10, 10, 15).vocabulary();
        assertEquals(-1L, vocab.get(0));
        assertEquals(5L, vocab.get(1));
        // test_adapt_with_steps: two batches of two of [1, 2, 3, 1, 1]
        assertTrue(new IntegerLookup().adapt(1, 2, 3, 1).vocabulary().contains(1L));
    }

    @Test
    void maskTokenInvertAndPadToMaxTokens() {
        assertAllClose(new float[] {0, 2, 3, 4}, call(new IntegerLookup().maskToken(0L).vocabulary(longs(1, 2, 3)),
                row(0, 1, 2, 3)));
        assertAllClose(new float[] {10, 20, 30, -1}, call(new IntegerLookup().invert(true).vocabulary(longs(10, 20, 30)),
                row(1, 2, 3, 0)));
        Tensor padded = call(new IntegerLookup().outputMode("multi_hot").maxTokens(5).padToMaxTokens(true)
                .vocabulary(longs(1, 2)), row(1, 2));
        assertEquals(5, padded.dim(padded.rank() - 1));
    }

    @Test
    void numOovIndices() {
        Tensor y = call(new IntegerLookup().numOovIndices(2).vocabulary(longs(1, 2, 3)), row(1, 2, 3, 999, 1000));
        assertArrayEquals(new float[] {2, 3, 4}, java.util.Arrays.copyOf(y.data(), 3));
        for (int i = 3; i < 5; i++) {
            assertTrue(y.data()[i] == 0 || y.data()[i] == 1, "OOV id " + y.data()[i]);
        }
        assertAllClose(new float[] {0, 1, 2}, call(new IntegerLookup().numOovIndices(0).vocabulary(longs(1, 2, 3)),
                row(1, 2, 3)));
    }

    @Test
    void invalidOptions() {
        assertThrows(IllegalArgumentException.class, () -> new IntegerLookup().maxTokens(1));
        assertThrows(IllegalArgumentException.class, () -> new IntegerLookup().numOovIndices(-1));
        assertThrows(IllegalArgumentException.class, () -> IntegerLookup.fromConfig(Map.of("vocabulary_dtype", "int32")));
        assertThrows(IllegalArgumentException.class, () -> IntegerLookup.fromConfig(
                Map.of("vocabulary", List.of(1, 2, 3), "num_oov_indices", 2, "oov_method", "invalid_method")));
    }
}
