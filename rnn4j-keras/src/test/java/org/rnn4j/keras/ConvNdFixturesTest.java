package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.io.Npy;
import org.rnn4j.layers.Layer;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * Real Keras 3.15 files (made by conv_nd.gen.py.txt): Conv3D + 3D pooling, channels_first Conv1D
 * + pooling, and a causal dilated (TCN-style) stack with grouped, separable and depthwise convs.
 * Each predicts Keras's numbers within 1e-5 from .keras and .h5, has Keras's summary rows, and
 * predicts the same after our own .keras round trip.
 */
class ConvNdFixturesTest {
    @ParameterizedTest
    @ValueSource(strings = {"conv3d_pool.keras", "conv3d_pool.h5", "conv1d_cf.keras", "conv1d_cf.h5",
            "sep_tcn.keras", "sep_tcn.h5"})
    void predictsKerasNumbers(String file) throws Exception {
        Path dir = Path.of(ConvNdFixturesTest.class.getResource(file).toURI()).getParent();
        String name = file.substring(0, file.indexOf('.'));
        Model m = KerasModels.load(dir.resolve(file));
        Tensor x = Npy.read(dir.resolve(name + ".x.npy"));
        Tensor y = Npy.read(dir.resolve(name + ".y.npy"));
        float diff = m.predict(x).maxAbsDiff(y);
        assertTrue(diff <= 1e-5f, file + ": max |diff| " + diff);

        List<String> rows = Files.readAllLines(dir.resolve(name + ".params.txt"));
        List<Layer> layers = m.layers().stream().filter(l -> !(l instanceof org.rnn4j.layers.InputLayer)).toList();
        assertEquals(rows.size(), layers.size(), file + ": layer count");
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i).split(" ");
            Layer l = layers.get(i);
            assertEquals(r[0], l.name(), file + " row " + i);
            String shape = java.util.Arrays.stream(l.outputShape()).mapToObj(Integer::toString)
                    .collect(java.util.stream.Collectors.joining(","));
            assertEquals(r[1], shape, file + " row " + i + " shape");
            assertEquals(Long.parseLong(r[2]), l.countParams(), file + " row " + i + " params");
        }

        Path again = Files.createTempFile("convnd", ".keras");
        try {
            KerasModels.save(m, again);
            assertEquals(0f, KerasModels.load(again).predict(x).maxAbsDiff(m.predict(x)), file + ": our round trip");
        } finally {
            Files.deleteIfExists(again);
        }
    }
}
