package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.io.Npy;
import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.Layer;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * Small Keras 3.15.1 files kept as test resources (generators beside them, *.gen.py.txt).
 * A Functional model whose graph is a chain (Input -> LSTM -> GRU -> Dense -> Dense), saved by
 * Keras 3.15.1 as .keras and .h5 (resources; generator in func_chain.gen.py.txt), loads into a
 * functional Model with the layer names of the file and the same outputs.
 */
class FunctionalChainTest {
    @ParameterizedTest
    @ValueSource(strings = {"func_chain.keras", "func_chain.h5"})
    void functionalChainLoads(String file) throws Exception {
        Path dir = Path.of(FunctionalChainTest.class.getResource(file).toURI()).getParent();
        Model m = KerasModels.load(dir.resolve(file));
        assertEquals("func_chain", m.name());
        assertEquals(List.of("enc", "gru_x", "hidden", "zz_out"), layerNames(m));
        Tensor y = Npy.read(dir.resolve("func_chain.y.npy"));
        float diff = m.predict(Npy.read(dir.resolve("func_chain.x.npy"))).maxAbsDiff(y);
        assertTrue(diff <= 1e-5f, file + ": max |diff| " + diff);
    }

    /** An adapted Normalization (mean, variance, int64 count) before an LSTM. */
    @ParameterizedTest
    @ValueSource(strings = {"norm_lstm.keras", "norm_lstm.h5"})
    void normalizationStatisticsLoad(String file) throws Exception {
        Path dir = Path.of(FunctionalChainTest.class.getResource(file).toURI()).getParent();
        Model m = KerasModels.load(dir.resolve(file));
        assertEquals("Normalization", layersOf(m).get(0).className());
        Tensor y = Npy.read(dir.resolve("norm_lstm.y.npy"));
        float diff = m.predict(Npy.read(dir.resolve("norm_lstm.x.npy"))).maxAbsDiff(y);
        assertTrue(diff <= 1e-5f, file + ": max |diff| " + diff);
        // and through our own writer
        Path again = java.nio.file.Files.createTempFile("norm", ".keras");
        try {
            KerasModels.save(m, again);
            assertEquals(0f, KerasModels.load(again).predict(Npy.read(dir.resolve("norm_lstm.x.npy"))).maxAbsDiff(
                    m.predict(Npy.read(dir.resolve("norm_lstm.x.npy")))));
        } finally {
            java.nio.file.Files.deleteIfExists(again);
        }
    }

    /** Keras 3 serializes an Embedding's mask as a NotEqual op feeding the LSTM's mask argument. */
    @ParameterizedTest
    @ValueSource(strings = {"masked_chain.keras", "masked_chain.h5"})
    void maskedFunctionalChainLoads(String file) throws Exception {
        Path dir = Path.of(FunctionalChainTest.class.getResource(file).toURI()).getParent();
        Model m = KerasModels.load(dir.resolve(file));
        assertEquals(List.of("embedding", "lstm", "dense"), layerNames(m));
        float diff = m.predict(Npy.read(dir.resolve("masked_chain.x.npy"))).maxAbsDiff(Npy.read(dir.resolve("masked_chain.y.npy")));
        assertTrue(diff <= 1e-5f, file + ": max |diff| " + diff);
    }

    /** Two inputs: encoder LSTM(return_state) -> decoder LSTM(initial_state), RepeatVector, Concatenate. */
    @ParameterizedTest
    @ValueSource(strings = {"seq2seq.keras", "seq2seq.h5"})
    void twoInputGraphLoads(String file) throws Exception {
        Path dir = Path.of(FunctionalChainTest.class.getResource(file).toURI()).getParent();
        org.junit.jupiter.api.Assumptions.assumeTrue(org.rnn4j.saving.LayerRegistry.recurrentStatesSupported()
                && org.rnn4j.saving.LayerRegistry.has("Concatenate"),
                "needs LSTM return_state/initial_state and Concatenate, not merged into this build yet");
        Model g = KerasModels.load(dir.resolve(file));
        assertEquals(List.of("enc_in", "dec_in"), g.inputNames());
        Tensor y = g.predict(List.of(Npy.read(dir.resolve("seq2seq.x0.npy")), Npy.read(dir.resolve("seq2seq.x1.npy")))).get(0);
        Tensor expected = Npy.read(dir.resolve("seq2seq.y.npy"));
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(y.shape()));
        float diff = y.maxAbsDiff(expected);
        assertTrue(diff <= 1e-5f, file + ": max |diff| " + diff);
    }

    /**
     * Conv1D causal, SpatialDropout1D, MaxPooling1D same, Activation, GRU reset_after=false,
     * GlobalMax/AveragePooling1D, RepeatVector, SimpleRNN go_backwards, Reshape, Flatten, Dense.
     */
    @ParameterizedTest
    @ValueSource(strings = {"misc.keras", "misc.h5"})
    void everyOtherLayerTypeLoads(String file) throws Exception {
        Path dir = Path.of(FunctionalChainTest.class.getResource(file).toURI()).getParent();
        Model m = KerasModels.load(dir.resolve(file));
        assertEquals(12, layersOf(m).size());
        float diff = m.predict(Npy.read(dir.resolve("misc.x.npy"))).maxAbsDiff(Npy.read(dir.resolve("misc.y.npy")));
        assertTrue(diff <= 1e-5f, file + ": max |diff| " + diff);
    }

    /** The model's layers without its InputLayers. */
    static List<Layer> layersOf(Model m) {
        return m.layers().stream().filter(l -> !(l instanceof InputLayer)).toList();
    }

    static List<String> layerNames(Model m) {
        return layersOf(m).stream().map(Layer::name).toList();
    }
}
