package org.rnn4j.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.StringTensor;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras 3.15.1's keras/src/layers/preprocessing/string_lookup_test.py: its literal-valued
 * assertions, same vocabularies, adapt data and inputs (a 1-D list runs as one row; generators
 * and datasets are adapted as the rows they yield). Not ported: a vocabulary file outside the
 * model and sparse inputs/outputs, which rnn4j rejects by name. invert=True and
 * num_oov_indices > 1 (FarmHash/SipHash) are in KerasLookupOovInvertPortTest.
 */
class KerasStringLookupPortTest {
    private static Tensor call(StringLookup l, String... row) {
        l.build(new int[] {row.length}, new Rng(1));
        return l.call(StringTensor.of(row, 1, row.length));
    }

    @Test
    void config() {
        StringLookup l = new StringLookup().oovToken("[OOV]").maskToken("[MASK]").vocabulary(List.of("a", "b", "c"));
        assertEquals(l.config(), StringLookup.fromConfig(l.config()).config());
        assertEquals(List.of("a", "b", "c"), l.config().get("vocabulary"));
    }

    @Test
    void adaptFlow() {
        StringLookup l = new StringLookup().adapt("a", "a", "a", "b", "b", "c");
        assertArrayEquals(new float[] {2, 3, 0}, call(l, "b", "c", "d").data());
        assertTrue(l.vocabulary().contains("a"));
    }

    @Test
    void adaptWithGeneratorStepsAndDataset() {
        List<String> v = new StringLookup().adapt(StringTensor.rows(new String[][] {{"cat", "dog"}, {"bird", "cat"}}))
                .vocabulary();
        assertTrue(v.contains("cat"));
        assertTrue(v.contains("dog"));
        assertTrue(v.contains("bird"));
        String[] row = {"cat", "dog", "bird"};
        assertTrue(new StringLookup().adapt(StringTensor.rows(new String[][] {row, row, row})).vocabulary().contains("cat"));
        assertTrue(new StringLookup().adapt(StringTensor.rows(new String[][] {{"cat", "dog"}, {"bird", "cat"},
            {"dog", "bird"}})).vocabulary().contains("cat"));
    }

    /** test_fixed_vocabulary, test_set_vocabulary and test_tf_data_compatibility: the same lookup. */
    @Test
    void fixedAndSetVocabulary() {
        assertArrayEquals(new float[] {2, 3, 0}, call(new StringLookup(List.of("a", "b", "c")), "b", "c", "d").data());
        assertArrayEquals(new float[] {2, 3, 0}, call(new StringLookup().vocabulary(List.of("a", "b", "c")), "b", "c", "d").data());
        StringLookup batched = new StringLookup(List.of("a", "b", "c"));
        batched.build(new int[] {1}, new Rng(1));
        assertArrayEquals(new float[] {2, 3, 0}, batched.call(StringTensor.column("b", "c", "d")).data());
    }

    @Test
    void tensorAsVocab() {
        StringLookup l = new StringLookup(List.of("a", "b", "c", "d"));
        l.build(new int[] {3}, new Rng(1));
        Tensor y = l.call(StringTensor.rows(new String[][] {{"a", "c", "d"}, {"d", "z", "b"}}));
        assertArrayEquals(new float[] {1, 3, 4, 4, 0, 2}, y.data());
    }

    /** test_torch_backend_compatibility, forward half: the OOV token itself is out of vocabulary. */
    @Test
    void forwardLookupOfTheOovToken() {
        assertArrayEquals(new float[] {1, 2, 0, 0},
                call(new StringLookup().oovToken("[OOV]").vocabulary(List.of("a", "b", "c")), "a", "b", "[OOV]", "d").data());
    }

    @Test
    void countMultiHotMaskAndVocabulary() {
        StringLookup count = new StringLookup().outputMode("count").vocabulary(List.of("a", "b"));
        Tensor c = call(count, "a", "a", "a", "b", "b");
        assertEquals(count.vocabulary().size(), c.dim(c.rank() - 1));
        assertArrayEquals(new float[] {0, 1, 1}, call(new StringLookup().outputMode("multi_hot").vocabulary(List.of("a", "b")),
                "a", "b").data());
        assertEquals(0f, call(new StringLookup().maskToken("[MASK]").vocabulary(List.of("a")), "[MASK]", "a").data()[0]);
        assertEquals(List.of("a", "b", "c"), new StringLookup(List.of("a", "b", "c")).vocabulary(false));
    }
}
