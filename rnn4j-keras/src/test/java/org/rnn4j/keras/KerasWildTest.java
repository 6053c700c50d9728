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
import org.junit.jupiter.api.Assumptions;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * The 15 real-world tf.keras / Keras 2.x files of shared/fixtures/keras2-wild (which stock Keras 3
 * cannot load): each loads through KerasModels.load (Sequential and Functional alike, the two-input
 * models as functional Models) and predicts the Keras 3 reference outputs within 1e-5.
 */
class KerasWildTest {
    /** Functional models with two inputs. */
    static final Set<String> MULTI_INPUT = Set.of("k224_seq2seq_katakana", "tf210_twoinput_lstm_concat");

    @TestFactory
    Stream<DynamicTest> wildFilesLoadAndPredict() throws Exception {
        Path dir = Fixtures.dir("keras2-wild");
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> c : Fixtures.wildCases()) {
            String name = (String) c.get("name");
            Path file = dir.resolve((String) c.get("file"));
            tests.add(DynamicTest.dynamicTest(name + " (Keras " + c.get("keras_version") + ")", () -> {
                if (name.equals("k224_seq2seq_katakana")) {
                    Assumptions.assumeTrue(org.rnn4j.saving.LayerRegistry.recurrentStatesSupported(),
                            "needs LSTM initial states ([x, h, c] inputs), not merged into this build yet");
                }
                if (name.equals("tf210_twoinput_lstm_concat")) {
                    Assumptions.assumeTrue(org.rnn4j.saving.LayerRegistry.has("Concatenate"),
                            "needs org.rnn4j.layers.merging.Concatenate, not merged into this build yet");
                }
                Model m = KerasModels.load(file);
                List<Tensor> xs = new ArrayList<>();
                if (MULTI_INPUT.contains(name)) {
                    xs.add(Npy.read(dir.resolve(name + ".x0.npy")));
                    xs.add(Npy.read(dir.resolve(name + ".x1.npy")));
                } else {
                    xs.add(Npy.read(dir.resolve(name + ".x.npy")));
                }
                Tensor y = Npy.read(dir.resolve(name + ".y.npy"));
                Tensor got = m.predict(xs).get(0);
                assertArrayEquals(y.shape(), got.shape(), name + ": output shape");
                float diff = got.maxAbsDiff(y);
                assertTrue(diff <= KerasFixturesTest.TOLERANCE, name + ": max |diff| " + diff);
            }));
        }
        return tests.stream();
    }
}
