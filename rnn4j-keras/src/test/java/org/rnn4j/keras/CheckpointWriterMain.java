package org.rnn4j.keras;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.rnn4j.callbacks.Callback;
import org.rnn4j.callbacks.ModelCheckpoint;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.LSTM;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/**
 * The child JVM of {@link CheckpointCrashTest}: trains a small LSTM "forever", one step per epoch,
 * with a {@link ModelCheckpoint} to {@code args[0]/ckpt.keras} after every epoch. Just before each
 * checkpoint it appends {@code run iterations weightsHash} to {@code args[0]/log.txt} (flushed), so
 * every state the file can hold is listed before the file can hold it.
 */
public final class CheckpointWriterMain {
    private CheckpointWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Sequential m = new Sequential().seed(Long.parseLong(args[1]));
        m.add(new LSTM(16).inputShape(6, 3));
        m.add(new Dense(2));
        m.compile(new Adam(0.01), "mean_squared_error");
        java.util.Random r = new java.util.Random(3);
        float[] x = new float[16 * 6 * 3];
        float[] y = new float[16 * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) r.nextGaussian();
        }
        PrintStream log = new PrintStream(new FileOutputStream(dir.resolve("log.txt").toFile(), true), true, StandardCharsets.UTF_8);
        Callback logger = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                log.println(args[1] + " " + model().optimizer().iterations() + " " + CheckpointCrashTest.hash(model()));
            }
        };
        Callback first = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                if (epoch == 0) { // runs after the first checkpoint landed: the parent's cue to pick a moment
                    System.out.println("checkpointed");
                    System.out.flush();
                }
            }
        };
        m.fit(Tensor.of(x, 16, 6, 3), Tensor.of(y, 16, 2), FitOptions.epochs(Integer.MAX_VALUE).verbose(0).batchSize(16)
                .callbacks(logger, new ModelCheckpoint(dir.resolve("ckpt.keras").toString()), first));
    }
}
