package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * A Keras 3.15 seq2seq file (tools/keras-refs/conv_lstm_states_refs.py): an encoder ConvLSTM2D with
 * return_state feeds its h and c to a decoder ConvLSTM2D as {@code initial_state}. It predicts
 * Keras's three outputs within 1e-5, our saved copy reloads bit for bit, writes the states as the
 * call's {@code initial_state} keyword, and predicts the same in Python Keras (skipped without the venv).
 */
class ConvLSTMStatesFileTest {
    static Path cases() throws Exception {
        return Path.of(ConvLSTMStatesFileTest.class.getResource("/conv-lstm-states").toURI());
    }

    @Test
    void seq2seqPredictsKerasAndSavesInitialStatesAsKerasDoes() throws Exception {
        Path dir = cases().resolve("seq2seq");
        Model m = KerasModels.load(dir.resolve("model.keras"));
        Path work = Files.createTempDirectory("rnn4j-convlstm-states-");
        try {
            List<Tensor> got = KerasRoundTrips.predictsKerasAndReloads(m, dir, work.resolve("model.keras"), "seq2seq",
                    "Keras's file");
            assertEquals(List.of(2, 2, 4, 4, 3), shape(got.get(0)));
            String config = ZipTools.text(ZipTools.entries(work.resolve("model.keras")).get("config.json"));
            assertTrue(config.contains("\"initial_state\""), "the decoder's states are written as Keras's initial_state");
        } finally {
            delete(work);
        }
    }

    @Test
    void ourCopyPredictsTheSameInPythonKeras() throws Exception {
        Path work = Files.createTempDirectory("rnn4j-convlstm-states-py-");
        try {
            KerasRoundTrips.predictTheSameInPythonKeras(cases(), List.of("seq2seq"),
                    (name, dir) -> KerasModels.load(dir.resolve("model.keras")), work);
        } finally {
            delete(work);
        }
    }

    private static List<Integer> shape(Tensor t) {
        return java.util.Arrays.stream(t.shape()).boxed().toList();
    }

    private static void delete(Path root) throws Exception {
        try (Stream<Path> w = Files.walk(root)) {
            w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
