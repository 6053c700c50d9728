package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.Flatten;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/** Build, save .keras, load: same outputs, and the zip has Keras 3's layout. */
class RoundTripTest {
    @TempDir
    Path tmp;

    static Tensor randn(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        Rng r = new Rng(seed);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.normal();
        }
        return t;
    }

    static Sequential mlp() {
        Sequential m = new Sequential("round_trip").seed(7);
        m.add(new Flatten().name("flatten").inputShape(3, 2));
        m.add(new Dense(10).activation("relu").name("hidden"));
        m.add(new Dropout(0.25).name("drop"));
        m.add(new Dense(2).activation("tanh").name("out"));
        return m;
    }

    @Test
    void saveThenLoadGivesTheSameOutputs() throws Exception {
        Sequential m = mlp();
        Tensor x = randn(1, 5, 3, 2);
        Tensor before = m.predict(x);
        Path file = tmp.resolve("m.keras");
        KerasModels.save(m, file);
        Sequential back = (Sequential) KerasModels.load(file);
        assertEquals(0f, back.predict(x).maxAbsDiff(before));
        assertEquals(m.countParams(), back.countParams());
        assertEquals("round_trip", back.name());
        List<String> names = new ArrayList<>();
        back.layers().forEach(l -> names.add(l.name()));
        assertEquals(List.of("flatten", "hidden", "drop", "out"), names);
        assertEquals(m.summaryString(), back.summaryString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void zipHasKerasLayout() throws Exception {
        Sequential m = mlp();
        Path file = tmp.resolve("layout.keras");
        KerasModels.save(m, file);
        List<String> entries = new ArrayList<>();
        try (ZipFile z = new ZipFile(file.toFile())) {
            z.stream().map(ZipEntry::getName).forEach(entries::add);
            assertEquals(List.of("metadata.json", "config.json", "model.weights.h5"), entries);
            Map<String, Object> meta = (Map<String, Object>) Json.parse(
                    new String(z.getInputStream(z.getEntry("metadata.json")).readAllBytes(), StandardCharsets.UTF_8), "m");
            assertTrue(((String) meta.get("keras_version")).startsWith("3."));
            Map<String, Object> cfg = (Map<String, Object>) Json.parse(
                    new String(z.getInputStream(z.getEntry("config.json")).readAllBytes(), StandardCharsets.UTF_8), "c");
            assertEquals("keras", cfg.get("module"));
            assertEquals("Sequential", cfg.get("class_name"));
            assertTrue(cfg.containsKey("registered_name"));
            List<Object> layers = (List<Object>) ((Map<String, Object>) cfg.get("config")).get("layers");
            Map<String, Object> input = (Map<String, Object>) layers.get(0);
            assertEquals("InputLayer", input.get("class_name"));
            assertEquals(Arrays.asList(null, 3L, 2L), ((Map<String, Object>) input.get("config")).get("batch_shape"));
            Map<String, Object> hidden = (Map<String, Object>) layers.get(2);
            assertEquals("keras.layers", hidden.get("module"));
            assertEquals("Dense", hidden.get("class_name"));
            assertEquals(Map.of("input_shape", Arrays.asList(null, 6L)), hidden.get("build_config"));
            byte[] h5 = z.getInputStream(z.getEntry("model.weights.h5")).readAllBytes();
            try (HdfFile f = HdfFile.fromBytes(h5)) {
                Dataset k = f.getDatasetByPath("layers/dense/vars/0");
                assertEquals(List.of(6, 10), Arrays.stream(k.getDimensions()).boxed().toList());
                float[] flat = (float[]) k.getDataFlat();
                assertEquals(0f, Tensor.of(flat, 6, 10).maxAbsDiff(m.getLayer("hidden").weights().get(0).value()));
                assertNotNull(f.getDatasetByPath("layers/dense/vars/1"));
                assertNotNull(f.getDatasetByPath("layers/dense_1/vars/1"));
            }
        }
    }

    @Test
    void compiledModelKeepsItsOptimizerState() throws Exception {
        // No Dropout: its training masks come from each model's own random stream.
        Sequential m = new Sequential("compiled").seed(11);
        m.add(new Dense(6).activation("relu").inputShape(3, 2));
        m.add(new Flatten());
        m.add(new Dense(2).activation("tanh"));
        m.compile(new org.rnn4j.optimizers.Adam(0.01), "mean_squared_error", "mae");
        Tensor x = randn(2, 8, 3, 2);
        Tensor y = randn(3, 8, 2);
        FitOptions opts = FitOptions.epochs(2).batchSize(4).shuffle(false).verbose(0);
        m.fit(x, y, opts);
        Path file = tmp.resolve("compiled.keras");
        KerasModels.save(m, file);
        Sequential back = (Sequential) KerasModels.load(file);
        assertTrue(back.isCompiled());
        assertEquals("Adam", back.optimizer().className());
        assertEquals(m.optimizer().iterations(), back.optimizer().iterations());
        assertEquals(4, back.optimizer().iterations());
        assertEquals(m.optimizer().variables().size(), back.optimizer().variables().size());
        // Training on from the same state gives the same weights: the Adam slots were restored.
        m.fit(x, y, opts);
        back.fit(x, y, opts);
        assertEquals(0f, back.predict(x).maxAbsDiff(m.predict(x)), 1e-6f);
    }

    @Test
    void saveIsAtomicAndLeavesNoTempFiles() throws Exception {
        Path file = tmp.resolve("atomic.keras");
        Files.writeString(file, "old content");
        KerasModels.save(mlp(), file);
        assertTrue(KerasModels.load(file).countParams() > 0);
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(file), s.toList());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void spatialDropoutConfigHasOnlyKeysKeras3Accepts() {
        Map<String, Object> m = LayerSerializer.serialize(new org.rnn4j.layers.SpatialDropout1D(0.25));
        Map<String, Object> cfg = (Map<String, Object>) m.get("config");
        assertFalse(cfg.containsKey("trainable"), "Keras 3's SpatialDropout1D(...) rejects trainable: " + cfg);
        assertEquals(0.25, ((Number) cfg.get("rate")).doubleValue(), 1e-7);
    }

    @Test
    void fixedNormalizationStatisticsTravelInTheConfig() throws Exception {
        Sequential m = new Sequential("fixed_norm").seed(2);
        m.add(new org.rnn4j.layers.Normalization().meanAndVariance(new float[] {1f, -2f}, new float[] {4f, 0.25f})
                .inputShape(3, 2));
        m.add(new Flatten());
        m.add(new Dense(1));
        m.add(new org.rnn4j.layers.Normalization().invert(true).meanAndVariance(new float[] {10f}, new float[] {9f}));
        Tensor x = randn(4, 2, 3, 2);
        Path file = tmp.resolve("fixed.keras");
        KerasModels.save(m, file);
        Sequential back = (Sequential) KerasModels.load(file);
        assertEquals(0f, back.predict(x).maxAbsDiff(m.predict(x)));
        assertEquals(2, back.weights().size(), "fixed statistics are not weights");
    }

    @Test
    void unbuiltModelIsRefused() {
        Sequential m = new Sequential();
        m.add(new Dense(3));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KerasModels.save(m, tmp.resolve("x.keras")));
        assertTrue(e.getMessage().contains("not built"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("x.keras")));
    }
}
