package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.layers.merging.Concatenate;
import org.rnn4j.layers.preprocessing.StringLookup;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.StringTensor;
import org.rnn4j.tensor.Tensor;

/** Models whose input has dtype "string": predicted on Java strings through their leading StringLookup. */
class StringInputModelTest {
    private static final List<String> VOCAB = List.of("the", "cat", "sat");

    @Test
    void predictOnStringsEqualsPredictOnTheLookedUpIds() {
        SymbolicTensor in = Input.ofType("string", 3);
        StringLookup lookup = new StringLookup().outputMode("count").vocabulary(VOCAB);
        Model m = new Model(List.of(in), List.of(new Dense(2).name("out").call(lookup.call(in))));
        String[][] rows = {{"the", "cat", "the"}, {"dog", "sat", "on"}};
        Tensor y = m.predict(rows);
        Tensor ids = lookup.encodeStrings(StringTensor.rows(rows));
        assertArrayEquals(new float[] {1, 2, 1, 0, 3, 0}, ids.data());
        assertArrayEquals(m.predict(ids).data(), y.data());
        assertArrayEquals(new int[] {2, 2}, y.shape());
    }

    @Test
    void mixedInputsAndTrainingOnEncodedInputs() {
        SymbolicTensor words = Input.ofType("string", 2).name("words");
        SymbolicTensor num = Input.of(1).name("num");
        SymbolicTensor hot = new StringLookup().outputMode("multi_hot").vocabulary(VOCAB).call(words);
        Model m = new Model(List.of(words, num), List.of(new Dense(1).name("out").call(new Concatenate().call(hot, num))));
        List<Object> xs = List.of(StringTensor.rows(new String[][] {{"cat", "x"}, {"sat", "the"}}),
                Tensor.of(new float[] {0.5f, -1f}, 2, 1));
        List<Tensor> y = m.predictInputs(xs);
        assertArrayEquals(new int[] {2, 1}, y.get(0).shape());
        m.compile(CompileOptions.optimizer(new SGD(0.1, 0, false)).loss("mse"));
        double before = m.evaluate(m.encodeInputs(xs), List.of(Tensor.of(new float[] {1, -1}, 2, 1)), 32, 0).get("loss");
        for (int i = 0; i < 5; i++) {
            m.trainOnBatch(m.encodeInputs(xs), List.of(Tensor.of(new float[] {1, -1}, 2, 1)));
        }
        double after = m.evaluate(m.encodeInputs(xs), List.of(Tensor.of(new float[] {1, -1}, 2, 1)), 32, 0).get("loss");
        assertTrue(after < before, before + " -> " + after);
    }

    @Test
    void invertedLookupGivesStringsAsTheModelOutput() {
        Sequential seq = new Sequential();
        seq.add(new StringLookup().maskToken("").invert(true).vocabulary(VOCAB));
        seq.build(3);
        assertEquals("float32", seq.inputs().get(0).dtype(), "an inverted lookup reads ids");
        assertEquals("string", seq.outputs().get(0).dtype());
        Tensor ids = Tensor.of(new float[] {0, 1, 2, 3, 9, 2}, 2, 3);
        StringTensor words = (StringTensor) seq.predictOutputs(List.of(ids)).get(0);
        assertArrayEquals(new int[] {2, 3}, words.shape());
        List<String> got = new java.util.ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            got.add(words.get(i));
        }
        assertEquals(List.of("", "[UNK]", VOCAB.get(0), VOCAB.get(1), "[UNK]", VOCAB.get(0)), got);
        Exception e = assertThrows(IllegalArgumentException.class, () -> seq.predictOutputs(List.of(Tensor.of(
                new float[] {0.5f, 1, 2}, 1, 3))));
        assertTrue(e.getMessage().contains("integer"), e.getMessage());
    }

    @Test
    void clearErrorsForWhatIsNotSupported() {
        SymbolicTensor in = Input.ofType("string", 2);
        SymbolicTensor a = new StringLookup(VOCAB).call(in);
        SymbolicTensor b = new StringLookup(VOCAB).call(in);
        Model two = new Model(List.of(in), List.of(new Concatenate().call(a, b)));
        Exception e = assertThrows(IllegalArgumentException.class, () -> two.predict(new String[][] {{"the", "cat"}}));
        assertTrue(e.getMessage().contains("exactly one StringLookup"), e.getMessage());
        SymbolicTensor f = Input.of(2);
        Model floats = new Model(List.of(f), List.of(new Dense(1).call(f)));
        Exception g = assertThrows(IllegalArgumentException.class, () -> floats.predict(new String[][] {{"a", "b"}}));
        assertTrue(g.getMessage().contains("not string"), g.getMessage());
        SymbolicTensor ids = Input.of(2);
        SymbolicTensor words = new StringLookup().invert(true).vocabulary(VOCAB).call(ids);
        Exception inner = assertThrows(IllegalArgumentException.class,
                () -> new Model(List.of(ids), List.of(new StringLookup(VOCAB).call(words))));
        assertTrue(inner.getMessage().contains("returns strings only as model outputs"), inner.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StringTensor.rows(new String[][] {{"a"}, {"b", "c"}}));
        assertEquals("string", Input.ofType("string", 1).dtype());
    }
}
