package org.rnn4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.layers.Dense;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

class CallbacksTest {
    @TempDir
    Path dir;

    private static Sequential model() {
        Sequential m = new Sequential().seed(3);
        m.add(new Dense(4).activation("tanh").inputShape(2));
        m.add(new Dense(1));
        m.compile(new SGD(0.05), "mse");
        return m;
    }

    private static Tensor[] data() {
        Rng rng = new Rng(1);
        float[] x = new float[64 * 2];
        float[] y = new float[64];
        for (int i = 0; i < 64; i++) {
            x[2 * i] = rng.uniform(-1, 1);
            x[2 * i + 1] = rng.uniform(-1, 1);
            y[i] = x[2 * i] * 0.7f - x[2 * i + 1] * 0.2f;
        }
        return new Tensor[] {Tensor.of(x, 64, 2), Tensor.of(y, 64, 1)};
    }

    /** Replaces the monitored value with a scripted sequence, so the callback logic is tested exactly. */
    private static LambdaCallback script(String key, double... values) {
        return new LambdaCallback().onEpochEnd((e, logs) -> logs.put(key, values[e]));
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresBestWeights() {
        Sequential m = model();
        Tensor[] d = data();
        List<List<Tensor>> snapshots = new ArrayList<>();
        LambdaCallback record = new LambdaCallback().onEpochEnd((e, logs) -> snapshots.add(m.getWeights()));
        EarlyStopping es = new EarlyStopping().monitor("val_loss").patience(2).restoreBestWeights(true);
        History h = m.fit(d[0], d[1], FitOptions.epochs(20).verbose(0).validationSplit(0.25)
                .callbacks(script("val_loss", 5, 3, 4, 2, 6, 7, 8, 9, 1, 1), record, es));
        assertEquals(6, h.get("loss").size(), "best at epoch 3, no improvement at 4 and 5 -> stop after epoch 5");
        assertEquals(5, es.stoppedEpoch());
        assertEquals(3, es.bestEpoch());
        List<Tensor> now = m.getWeights();
        for (int i = 0; i < now.size(); i++) {
            assertEquals(0f, now.get(i).maxAbsDiff(snapshots.get(3).get(i)));
        }
        assertTrue(snapshots.get(5).get(0).maxAbsDiff(snapshots.get(3).get(0)) > 0);
    }

    @Test
    void earlyStoppingHonoursMinDeltaAndMaxMode() {
        Sequential m = model();
        Tensor[] d = data();
        EarlyStopping es = new EarlyStopping().monitor("score").mode("max").minDelta(0.5).patience(1);
        History h = m.fit(d[0], d[1], FitOptions.epochs(10).verbose(0)
                .callbacks(script("score", 1, 1.4, 1.3, 3, 3.2, 3.3, 9, 9, 9, 9), es));
        // 1.4 is not > 1 + 0.5: epoch 1 exceeds patience 1 -> stop at epoch 1
        assertEquals(2, h.get("loss").size());
        var err = assertThrows(IllegalArgumentException.class, () -> model().fit(d[0], d[1], FitOptions.epochs(2)
                .verbose(0).callbacks(script("score", 1, 2), new EarlyStopping().monitor("score"))));
        assertTrue(err.getMessage().contains("mode"), err.getMessage());
    }

    @Test
    void reduceLrOnPlateauScalesTheLearningRate() {
        Sequential m = model();
        Tensor[] d = data();
        ReduceLROnPlateau r = new ReduceLROnPlateau().monitor("val_loss").patience(1).factor(0.5).minLr(0.01);
        History h = m.fit(d[0], d[1], FitOptions.epochs(6).verbose(0)
                .callbacks(script("val_loss", 1, 1, 1, 1, 1, 1), r));
        // learning_rate is logged before the reduction of that epoch, as in Keras
        assertEquals(List.of(0.05, 0.05, 0.025, 0.0125, 0.01, 0.01),
                h.get("learning_rate").stream().map(v -> Math.round(v * 1e6) / 1e6).toList());
        assertEquals(0.01, m.optimizer().learningRate(), 1e-7);
    }

    @Test
    void modelCheckpointWritesAtomicallyAndKeepsThePreviousFileOnFailure() throws IOException {
        Sequential m = model();
        Tensor[] d = data();
        Path target = dir.resolve("ckpt.bin");
        int[] calls = {0};
        ModelWriter flaky = (model, path) -> {
            calls[0]++;
            Files.write(path, ("checkpoint " + calls[0] + " ").getBytes());
            if (calls[0] == 2) {
                Files.write(path, "partial".getBytes(), java.nio.file.StandardOpenOption.APPEND);
                throw new IOException("disk full");
            }
            Files.write(path, "complete".getBytes(), java.nio.file.StandardOpenOption.APPEND);
        };
        var e = assertThrows(UncheckedIOException.class, () -> m.fit(d[0], d[1],
                FitOptions.epochs(3).verbose(0).callbacks(new ModelCheckpoint(target.toString(), flaky))));
        assertTrue(e.getMessage().contains("epoch 2"), e.getMessage());
        assertEquals("checkpoint 1 complete", Files.readString(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void modelCheckpointSavesBestOnlyWithKerasPlaceholders() throws IOException {
        Sequential m = model();
        Tensor[] d = data();
        String pattern = dir.resolve("m-{epoch:02d}-{val_loss:.2f}.weights.bin").toString();
        m.fit(d[0], d[1], FitOptions.epochs(4).verbose(0).callbacks(script("val_loss", 0.5, 0.7, 0.25, 0.3),
                new ModelCheckpoint(pattern).saveBestOnly(true)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("m-01-0.50.weights.bin", "m-03-0.25.weights.bin"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        // the native weights file loads back into a model of the same architecture
        Sequential copy = model();
        NativeWeightsWriter.read(copy, dir.resolve("m-03-0.25.weights.bin"));
        Sequential again = model();
        new NativeWeightsWriter().write(m, dir.resolve("now.weights.bin"));
        NativeWeightsWriter.read(again, dir.resolve("now.weights.bin"));
        assertArrayEquals(m.getWeights().get(0).data(), again.getWeights().get(0).data());
        var err = assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(dir.resolve("x.keras").toString()));
        assertTrue(err.getMessage().contains("rnn4j-keras"), err.getMessage());
    }

    @Test
    void csvLoggerWritesSortedColumnsPerEpoch() throws IOException {
        Sequential m = model();
        Tensor[] d = data();
        Path csv = dir.resolve("log.csv");
        m.compile(new SGD(0.05), "mse", "mae");
        History h = m.fit(d[0], d[1], FitOptions.epochs(2).verbose(0).validationSplit(0.25)
                .callbacks(new CSVLogger(csv.toString())));
        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,loss,mae,val_loss,val_mae", lines.get(0));
        assertEquals(3, lines.size());
        String[] row = lines.get(2).split(",");
        assertEquals("1", row[0]);
        assertEquals(h.last("loss"), Double.parseDouble(row[1]));
        assertEquals("1.5e-05", CSVLogger.pythonRepr(1.5e-5));
        assertEquals("0.25", CSVLogger.pythonRepr(0.25));
        assertEquals("3.0", CSVLogger.pythonRepr(3.0));
    }

    @Test
    void fitPrintsKerasLinesWhenNotATerminal() {
        Sequential m = model();
        Tensor[] d = data();
        var buf = new java.io.ByteArrayOutputStream();
        var out = new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8);
        m.fit(d[0], d[1], FitOptions.epochs(2).batchSize(16).validationSplit(0.25).output(out).terminal(false));
        String[] lines = buf.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length, String.join("\n", lines));
        assertEquals("Epoch 1/2", lines[0]);
        assertTrue(lines[1].matches("3/3 \u2501{20} \\d+s \\d+(ms|us)/step - loss: \\d\\.\\d{4}(e-\\d\\d)?"
                + " - val_loss: \\d\\.\\d{4}(e-\\d\\d)?"), lines[1]);
        assertEquals("Epoch 2/2", lines[2]);
    }
}
