package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.callbacks.ModelCheckpoint;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.LSTM;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/** {@code model.save("x.keras")} and {@code ModelCheckpoint("x.keras")} reach the Keras saver through ServiceLoader. */
class SaveThroughCoreTest {
    private static Sequential model() {
        var m = new Sequential().seed(3);
        m.add(new LSTM(4).inputShape(5, 2));
        m.add(new Dense(1));
        m.compile("adam", "mse");
        return m;
    }

    private static Tensor data(int n, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) Math.sin(0.37 * i + n);
        }
        return t;
    }

    @Test
    void sequentialSaveWritesAKerasFileThatLoadsBack(@TempDir Path dir) throws Exception {
        Sequential m = model();
        Tensor x = data(1, 3, 5, 2);
        Path file = dir.resolve("forecaster.keras");
        m.save(file);
        Sequential back = (Sequential) KerasModels.load(file);
        assertEquals(0f, m.predict(x).maxAbsDiff(back.predict(x)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left beside the model");
        }
    }

    @Test
    void modelCheckpointWritesKerasFilesEachEpoch(@TempDir Path dir) throws Exception {
        Sequential m = model();
        Tensor x = data(2, 16, 5, 2);
        Tensor y = data(3, 16, 1);
        String pattern = dir.resolve("ckpt-{epoch:02d}.keras").toString();
        m.fit(x, y, FitOptions.epochs(2).batchSize(8).verbose(0).callbacks(new ModelCheckpoint(pattern)));
        Path last = dir.resolve("ckpt-02.keras");
        assertTrue(Files.exists(dir.resolve("ckpt-01.keras")) && Files.exists(last));
        assertEquals(0f, m.predict(x).maxAbsDiff(KerasModels.load(last).predict(x)));
    }

    @Test
    void loadingKeepsSavedNamesWithoutRenamingTheNextLayers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.keras");
        model().save(file);
        org.rnn4j.Rnn4j.clearSession();
        Sequential loaded = (Sequential) KerasModels.load(file);
        assertEquals("lstm", loaded.layers().get(0).name().replaceAll("_\\d+$", ""));
        assertEquals("dense", new Dense(1).name(), "a load must not advance Keras's name counters");
        assertEquals("lstm", new LSTM(1).name());
    }

    /** The permissions a plain new file gets in {@code dir} (0666 less this process's umask). */
    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> normalPermissions(Path dir) throws Exception {
        Path probe = Files.createFile(dir.resolve("probe"));
        var p = Files.getPosixFilePermissions(probe);
        Files.delete(probe);
        return p;
    }

    @Test
    void savedKerasFilesGetNormalPermissionsNot0600(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.keras");
        Path b = dir.resolve("b.keras");
        model().save(a);
        Models.save(model(), b);
        assertEquals(normalPermissions(dir), Files.getPosixFilePermissions(a));
        assertEquals(normalPermissions(dir), Files.getPosixFilePermissions(b));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file is left beside the models");
        }
    }

    @Test
    void weightsH5IsKeras3sSaveWeightsLayout(@TempDir Path dir) throws Exception {
        Sequential m = model();
        Path file = dir.resolve("m.weights.h5");
        m.save(file);
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(file)) {
            // Dense's kernel: layers/<snake_case class>/vars/0, the model's own values.
            Object kernel = h5.getDatasetByPath("layers/dense/vars/0").getData();
            float[][] k = (float[][]) kernel;
            float[] expected = m.layers().get(1).weights().get(0).value().data();
            assertEquals(expected.length, k.length * k[0].length);
            for (int i = 0; i < k.length; i++) {
                for (int j = 0; j < k[0].length; j++) {
                    assertEquals(expected[i * k[0].length + j], k[i][j], 0f);
                }
            }
        }
        assertEquals(normalPermissions(dir), Files.getPosixFilePermissions(file));
    }

    @Test
    void legacyH5AndUnknownExtensionsAreExactErrors(@TempDir Path dir) {
        var h5 = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> model().save(dir.resolve("x.h5")));
        assertTrue(h5.getMessage().contains("legacy Keras HDF5 model format (.h5) is not supported"), h5.getMessage());
        assertTrue(!h5.getMessage().contains("add the rnn4j-keras module"), h5.getMessage());
        var txt = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> model().save(dir.resolve("x.txt")));
        assertTrue(txt.getMessage().contains("unknown file extension; use '.keras'"), txt.getMessage());
        assertEquals(0, dir.toFile().list().length, "nothing written");
    }
}
