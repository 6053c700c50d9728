package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.rnn4j.io.Npy;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * The 15 real-world tf.keras / Keras 2.x files of shared/fixtures/keras2-wild (which stock Keras 3
 * cannot load): each chain-shaped model loads and predicts the Keras 3 reference outputs within
 * 1e-5; the two multi-input Functional models are refused by load() with a message saying why,
 * and load and match through loadGraph().
 */
class KerasWildTest {
    /** Functional models with two inputs: not a chain, so loaded as a KerasGraph. */
    static final Set<String> MULTI_INPUT = Set.of("k224_seq2seq_katakana", "tf210_twoinput_lstm_concat");

    @TestFactory
    Stream<DynamicTest> wildFilesLoadAndPredict() throws Exception {
        Path dir = Fixtures.dir("keras2-wild");
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> c : Fixtures.wildCases()) {
            String name = (String) c.get("name");
            Path file = dir.resolve((String) c.get("file"));
            tests.add(DynamicTest.dynamicTest(name + " (Keras " + c.get("keras_version") + ")", () -> {
                if (MULTI_INPUT.contains(name)) {
                    // Not a chain: load() says why and points to loadGraph(), which runs the graph.
                    KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasModels.load(file));
                    assertTrue(e.getMessage().contains("2 inputs") && e.getMessage().contains("loadGraph"),
                            e.getMessage());
                    KerasGraph g = KerasModels.loadGraph(file);
                    Tensor got = g.predict(Npy.read(dir.resolve(name + ".x0.npy")), Npy.read(dir.resolve(name + ".x1.npy")));
                    Tensor y = Npy.read(dir.resolve(name + ".y.npy"));
                    assertArrayEquals(y.shape(), got.shape(), name + ": output shape");
                    float diff = got.maxAbsDiff(y);
                    assertTrue(diff <= KerasFixturesTest.TOLERANCE, name + ": max |diff| " + diff);
                    return;
                }
                Sequential m = KerasModels.load(file);
                Tensor x = Npy.read(dir.resolve(name + ".x.npy"));
                Tensor y = Npy.read(dir.resolve(name + ".y.npy"));
                Tensor got = m.predict(x);
                assertArrayEquals(y.shape(), got.shape(), name + ": output shape");
                float diff = got.maxAbsDiff(y);
                assertTrue(diff <= KerasFixturesTest.TOLERANCE, name + ": max |diff| " + diff);
            }));
        }
        return tests.stream();
    }
}
