package org.rnn4j.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.models.Input;
import org.rnn4j.tensor.StringTensor;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * The assertions of Keras 3.15.1's string_lookup_test.py, integer_lookup_test.py and
 * index_lookup_test.py about {@code invert=True} for strings, {@code num_oov_indices > 1},
 * {@code oov_method} and {@code salt} (IndexLookup's cases run through StringLookup/IntegerLookup
 * with the same arguments). Where Keras only asserts a range or an inequality, the exact buckets
 * real Keras 3.15.1 gives for the same inputs are asserted too (marked "Keras's buckets").
 */
class KerasLookupOovInvertPortTest {
    private static final List<String> ABC = List.of("a", "b", "c");
    private static final String[] OOV = {"x", "y", "z", "w", "v", "u"};

    private static float[] call(StringLookup l, String... row) {
        l.build(new int[] {row.length}, new Rng(1));
        return l.call(StringTensor.of(row, 1, row.length)).data();
    }

    private static float[] call(IntegerLookup l, long... row) {
        l.build(new int[] {row.length}, new Rng(1));
        float[] v = new float[row.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = row[i];
        }
        return l.forward(Tensor.of(v, 1, v.length)).data();
    }

    private static List<String> inverted(StringLookup l, float[] ids, int... shape) {
        l.build(Arrays.copyOfRange(shape, 1, shape.length), new Rng(1));
        StringTensor s = l.lookupTokens(Tensor.of(ids, shape));
        assertArrayEquals(shape, s.shape());
        String[] out = new String[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i);
        }
        return List.of(out);
    }

    private static List<Long> longs(long... v) {
        return Arrays.stream(v).boxed().toList();
    }

    // ---------------------------------------------------------------- string_lookup_test.py

    /** test_torch_backend_compatibility, inverse half, and test_invert_lookup_basic. */
    @Test
    void invertLookupBasic() {
        assertEquals(List.of("a", "b", "[OOV]"), inverted(new StringLookup().oovToken("[OOV]").invert(true)
                .vocabulary(ABC), new float[] {1, 2, 0}, 1, 3));
        assertEquals(List.of("a", "b", "[UNK]"), inverted(new StringLookup().invert(true).vocabulary(ABC),
                new float[] {1, 2, 0}, 1, 3));
    }

    @Test
    void oneHotSymbolicOutputShapeNestedInput() {
        StringLookup l = new StringLookup().maxTokens(20).numOovIndices(4).oovToken("[UNK]").outputMode("one_hot")
                .padToMaxTokens(true).vocabulary(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i"));
        SymbolicTensor out = l.call(Input.ofType("string", 2, 2));
        assertArrayEquals(new int[] {2, 2, 20}, out.shape(), "(None, 2, 2, 20)");
        String[] x = {"a", "b", "c", "d", "a", "b", "c", "d"};
        Tensor eager = l.call(StringTensor.of(x, 2, 2, 2));
        assertArrayEquals(new int[] {2, 2, 2, 20}, eager.shape());
        assertArrayEquals(out.shape(), Arrays.copyOfRange(eager.shape(), 1, 4));
    }

    @Test
    void saltSiphashStrings() {
        float[] farm = call(new StringLookup().numOovIndices(4).vocabulary(ABC), OOV);
        float[] sip = call(new StringLookup().numOovIndices(4).salt(137, 42).vocabulary(ABC), OOV);
        assertFalse(Arrays.equals(farm, sip));
        assertArrayEquals(new float[] {2, 1, 1, 3, 1, 3}, farm, "Keras's buckets (FarmHash64)");
        assertArrayEquals(new float[] {3, 0, 0, 1, 3, 2}, sip, "Keras's buckets (SipHash)");
    }

    // ---------------------------------------------------------------- integer_lookup_test.py

    @Test
    void oovMethodFarmhash() {
        float[] y = call(new IntegerLookup().numOovIndices(2).oovMethod("farmhash").vocabulary(longs(12, 36, 1138, 42)),
                12, 36, 1138, 42, 100, 200);
        assertArrayEquals(new float[] {2, 3, 4, 5}, Arrays.copyOf(y, 4));
        assertTrue((y[4] == 0 || y[4] == 1) && (y[5] == 0 || y[5] == 1), Arrays.toString(y));
        assertArrayEquals(new float[] {1, 1}, Arrays.copyOfRange(y, 4, 6), "Keras's buckets");
    }

    @Test
    void oovMethodInvalidValue() {
        assertThrows(IllegalArgumentException.class, () -> new IntegerLookup().numOovIndices(2).oovMethod("invalid_method"));
    }

    @Test
    void oovMethodIgnoredWhenSingleOovIndex() {
        assertArrayEquals(call(new IntegerLookup().oovMethod("floormod").vocabulary(longs(1, 2, 3)), 99, 100, 101),
                call(new IntegerLookup().oovMethod("farmhash").vocabulary(longs(1, 2, 3)), 99, 100, 101));
    }

    @Test
    void oovMethodFarmhashOutputIsCorrect() {
        assertArrayEquals(new float[] {3, 1, 3, 1}, call(new IntegerLookup().numOovIndices(4).oovMethod("farmhash")
                .vocabulary(longs(10, 20, 30)), 100, 200, 300, 400));
    }

    @Test
    void saltSiphashIntegers() {
        long[] oov = {100, 300, 700, 1100, 1700, 2000};
        float[] farm = call(new IntegerLookup().numOovIndices(4).oovMethod("farmhash").vocabulary(longs(10, 20, 30)), oov);
        float[] sip = call(new IntegerLookup().numOovIndices(4).oovMethod("farmhash").salt(137, 42)
                .vocabulary(longs(10, 20, 30)), oov);
        assertFalse(Arrays.equals(farm, sip));
        assertArrayEquals(new float[] {3, 3, 2, 2, 0, 1}, farm, "Keras's buckets (FarmHash64)");
        assertArrayEquals(new float[] {1, 1, 2, 1, 1, 0}, sip, "Keras's buckets (SipHash)");
    }

    // ---------------------------------------------------------------- index_lookup_test.py

    @Test
    void invert() {
        StringLookup l = new StringLookup().maxTokens(7).maskToken("").oovToken("[OOV]").invert(true)
                .vocabulary(List.of("one", "two", "three"));
        assertEquals(List.of("one", "two", "[OOV]"), inverted(l, new float[] {2, 3, 1}, 1, 3));
        StringLookup batch = new StringLookup().maxTokens(7).maskToken("").oovToken("[OOV]").invert(true)
                .vocabulary(List.of("one", "two", "three"));
        assertEquals(List.of("one", "two", "[OOV]", "two"), inverted(batch, new float[] {2, 3, 1, 3}, 1, 4));
    }

    @Test
    void saveAndLoadAssetsWithMultipleOovIndices() {
        StringLookup l = new StringLookup().maxTokens(10).numOovIndices(2).maskToken("<mask>").oovToken("[OOV]")
                .setVocabulary(List.of("apple", "banana"));
        List<String> before = l.vocabulary(true);
        assertEquals(5, before.size());
        assertEquals("<mask>", before.get(0));
        assertEquals("[OOV]", before.get(1));
        assertEquals("[OOV]", before.get(2));
        Map<String, byte[]> assets = l.saveAssets();
        StringLookup again = new StringLookup().maxTokens(10).numOovIndices(2).maskToken("<mask>").oovToken("[OOV]");
        again.loadAssets(assets);
        assertEquals(before, again.vocabulary(true));
    }

    @Test
    void oovMethodIgnoredForStringDtype() {
        String[] data = {"aaa", "bbb", "ccc", "ddd", "eee", "fff"};
        float[] floormod = call(new StringLookup().maxTokens(10).numOovIndices(4).maskToken("").oovToken("[OOV]")
                .oovMethod("floormod").vocabulary(List.of("cat", "dog", "fish")), data);
        float[] farmhash = call(new StringLookup().maxTokens(10).numOovIndices(4).maskToken("").oovToken("[OOV]")
                .oovMethod("farmhash").vocabulary(List.of("cat", "dog", "fish")), data);
        assertArrayEquals(floormod, farmhash);
        assertArrayEquals(new float[] {2, 4, 2, 1, 4, 4}, farmhash, "Keras's buckets");
    }

    private static IntegerLookup saltBase() {
        return new IntegerLookup().maxTokens(10).numOovIndices(2).oovToken(-1L).oovMethod("farmhash");
    }

    @Test
    void saltConfigSerialization() {
        IntegerLookup l = saltBase().salt(137, 42).vocabulary(longs(1, 2, 3));
        assertEquals(List.of(137L, 42L), l.config().get("salt"));
        assertEquals(l.config(), IntegerLookup.fromConfig(l.config()).config());
    }

    @Test
    void saltValidAndInvalidFormats() {
        assertArrayEquals(new long[] {137, 42}, saltBase().salt(137, 42).salt());
        assertArrayEquals(new long[] {99, 99}, saltBase().salt(99).salt());
        Map<String, Object> base = Map.of("max_tokens", 10, "num_oov_indices", 2, "oov_token", -1,
                "oov_method", "farmhash");
        for (Object bad : new Object[] {"bad", List.of(1, 2, 3)}) {
            Map<String, Object> c = new java.util.HashMap<>(base);
            c.put("salt", bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IntegerLookup.fromConfig(c));
            assertTrue(e.getMessage().contains("can only be a tuple of 2 integers"), e.getMessage());
        }
    }

    @Test
    void saltRequiresFarmhash() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new IntegerLookup().maxTokens(10)
                .numOovIndices(2).oovMethod("floormod").salt(137, 42).vocabulary(longs(1, 2, 3)));
        assertTrue(e.getMessage().contains("`salt` can only be used when `oov_method='farmhash'`"), e.getMessage());
    }

    @Test
    void saltProducesDifferentOutputThanFarmhash() {
        long[] ints = {100, 200, 300, 400, 500, 600};
        IntegerLookup intFarm = new IntegerLookup().maxTokens(10).numOovIndices(4).oovMethod("farmhash")
                .vocabulary(longs(1, 2, 3));
        IntegerLookup intSip = new IntegerLookup().maxTokens(10).numOovIndices(4).oovMethod("farmhash").salt(137, 42)
                .vocabulary(longs(1, 2, 3));
        float[] f = call(intFarm, ints);
        float[] s = call(intSip, ints);
        assertFalse(Arrays.equals(f, s), "dtype=int64");
        assertArrayEquals(new float[] {3, 1, 3, 1, 3, 1}, f, "Keras's buckets");
        assertArrayEquals(new float[] {1, 2, 1, 3, 0, 3}, s, "Keras's buckets");
        StringLookup strFarm = new StringLookup().maxTokens(10).numOovIndices(4).oovToken("[OOV]").oovMethod("farmhash")
                .vocabulary(ABC);
        StringLookup strSip = new StringLookup().maxTokens(10).numOovIndices(4).oovToken("[OOV]").oovMethod("farmhash")
                .salt(137, 42).vocabulary(ABC);
        float[] fs = call(strFarm, OOV);
        float[] ss = call(strSip, OOV);
        assertFalse(Arrays.equals(fs, ss), "dtype=string");
        assertArrayEquals(new float[] {2, 1, 1, 3, 1, 3}, fs, "Keras's buckets");
        assertArrayEquals(new float[] {3, 0, 0, 1, 3, 2}, ss, "Keras's buckets");
    }
}
