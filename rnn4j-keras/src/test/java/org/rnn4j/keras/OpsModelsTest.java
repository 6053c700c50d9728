package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * Real Keras 3 models whose graphs hold operation nodes ({@code x + inputs}, {@code x * mask},
 * {@code x[:, -1, :]}, {@code keras.ops.mean}, the NotEqual/Any mask of {@code Masking -> LSTM},
 * an explicit {@code lstm(x, mask=m)}), made by tools/keras-refs/ops_models.py: each predicts
 * Keras's numbers within 1e-5, our saved copy reloads bit for bit and, with the venv, predicts the
 * same in Python Keras.
 */
class OpsModelsTest {
    static Path cases() throws Exception {
        return Path.of(OpsModelsTest.class.getResource("/ops-models").toURI());
    }

    static Set<String> names() throws Exception {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.list(cases())) {
            s.filter(p -> Files.isRegularFile(p.resolve("model.keras"))).forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    @Test
    void theFixturesAreThere() throws Exception {
        assertTrue(names().containsAll(List.of("masking_lstm", "embedding_mask_gru", "explicit_mask",
                "transformer_classifier", "ops_mix")), "fixtures: " + names());
    }

    @TestFactory
    Stream<DynamicTest> predictsKerasNumbersAndReloadsOurCopy(@TempDir Path tmp) throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : names()) {
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Path dir = cases().resolve(name);
                Model m = KerasModels.load(dir.resolve("model.keras"));
                KerasRoundTrips.predictsKerasAndReloads(m, dir, tmp.resolve(name + ".keras"), name, "Keras's file");
            }));
        }
        return tests.stream();
    }

    /** Keras's Masking -> LSTM: the masked steps really change the output (the mask is not lost). */
    @Test
    void theMaskOfMaskingReachesTheLstm() throws Exception {
        Path dir = cases().resolve("masking_lstm");
        Model m = KerasModels.load(dir.resolve("model.keras"));
        Tensor x = RegistrySamplesTest.read(dir, "x").get(0);
        float[] noisy = x.data().clone();
        // sample 0 has zero steps 4 and 5: make them real and the output must move
        int steps = x.shape()[1];
        int feats = x.shape()[2];
        for (int t = 4; t < steps; t++) {
            for (int f = 0; f < feats; f++) {
                noisy[(t) * feats + f] = 0.5f;
            }
        }
        float[] a = m.predict(List.of(x)).get(0).data();
        float[] b = m.predict(List.of(Tensor.of(noisy, x.shape()))).get(0).data();
        assertTrue(Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) > 1e-4, "unmasking steps must change the output");
    }

    @Test
    void anUnsupportedOpNamesItsModuleAndNode(@TempDir Path tmp) throws Exception {
        Path src = cases().resolve("ops_mix").resolve("model.keras");
        Path bad = tmp.resolve("bad.keras");
        Map<String, byte[]> zip = ZipTools.entries(src);
        String config = ZipTools.text(zip.get("config.json"));
        assertTrue(config.contains("\"class_name\": \"Negative\""));
        zip.put("config.json", ZipTools.bytes(config.replace("\"class_name\": \"Negative\"", "\"class_name\": \"Erfinv\"")));
        Files.write(bad, ZipTools.zip(zip));
        KerasFormatException e = org.junit.jupiter.api.Assertions.assertThrows(KerasFormatException.class,
                () -> KerasModels.load(bad));
        assertTrue(e.getMessage().contains("Erfinv") && e.getMessage().contains("keras.src.ops.numpy")
                && e.getMessage().contains("negative"), e.getMessage());
    }

    @Test
    void savedCopiesPredictTheSameInPythonKeras(@TempDir Path tmp) throws Exception {
        KerasRoundTrips.predictTheSameInPythonKeras(cases(), names(),
                (name, dir) -> KerasModels.load(dir.resolve("model.keras")), tmp);
    }
}
