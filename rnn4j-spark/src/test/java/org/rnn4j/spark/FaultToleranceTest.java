package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.callbacks.Callback;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.LSTM;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/** A lost task is retried with the same result; a driver restart resumes from the last checkpoint. */
class FaultToleranceTest {
    private static final Tensor X = GradientCheck.randn(31, 1f, 30, 5, 2);
    private static final Tensor Y = GradientCheck.randn(32, 1f, 30, 1);
    private static final AtomicInteger FAILED_TASKS = new AtomicInteger();
    private static boolean listening;

    private static Sequential model() {
        Sequential m = new Sequential().seed(41);
        m.add(new LSTM(4).inputShape(5, 2));
        m.add(new Dense(1));
        m.compile(new Adam(0.02), "mse");
        return m;
    }

    private static FitOptions options() {
        return FitOptions.epochs(3).batchSize(8).shuffle(true).verbose(0); // 4 steps per epoch
    }

    private static synchronized void listen() {
        if (!listening) {
            TestSpark.get().sparkContext().addSparkListener(new SparkListener() {
                @Override
                public void onTaskEnd(SparkListenerTaskEnd end) {
                    if (end.reason() instanceof ExceptionFailure
                            && ((ExceptionFailure) end.reason()).description().contains("injected failure")) {
                        FAILED_TASKS.incrementAndGet();
                    }
                }
            });
            listening = true;
        }
    }

    private static void assertSameWeights(List<float[]> expected, List<float[]> actual) {
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "weight " + i);
        }
    }

    @Test
    void aTaskFailingOnceIsRetriedAndTheResultIsUnchanged() throws InterruptedException {
        listen();
        Sequential clean = model();
        new SparkTrainer(TestSpark.get(), clean).partitions(2).fit(X, Y, options());

        int before = FAILED_TASKS.get();
        Sequential failing = model();
        new SparkTrainer(TestSpark.get(), failing).partitions(2).failTaskOnceForTesting(1, 5).fit(X, Y, options());
        for (int i = 0; i < 100 && FAILED_TASKS.get() == before; i++) {
            Thread.sleep(50); // listener events arrive asynchronously
        }
        assertEquals(before + 1, FAILED_TASKS.get(), "the injected failure happened once");
        assertSameWeights(TestSpark.weights(clean), TestSpark.weights(failing));
    }

    @Test
    void aDriverRestartResumesFromTheLastCheckpointAndEndsAtTheSameWeights(@TempDir Path dir) throws IOException {
        Sequential unbroken = model();
        new SparkTrainer(TestSpark.get(), unbroken).partitions(2).fit(X, Y, options());

        String ckpt = dir.resolve("ckpt").toUri().toString();
        Sequential first = model();
        Callback crash = new Callback() {
            private int steps;

            @Override
            public void onBatchEnd(int batch, Map<String, Double> logs) {
                if (++steps == 7) {
                    throw new IllegalStateException("driver lost");
                }
            }
        };
        assertThrows(IllegalStateException.class, () -> new SparkTrainer(TestSpark.get(), first).partitions(2)
                .checkpoint(ckpt, 3).fit(X, Y, options().callbacks(crash)));
        Checkpoints.State saved = Checkpoints.latest(TestSpark.get().sparkContext().hadoopConfiguration(), ckpt);
        assertEquals(6, saved.globalStep);
        assertEquals(1, saved.epoch);
        assertEquals(2, saved.nextStep);

        Sequential restarted = model(); // a new driver: fresh weights, fresh optimizer
        new SparkTrainer(TestSpark.get(), restarted).partitions(2).checkpoint(ckpt, 3).fit(X, Y, options());
        assertSameWeights(TestSpark.weights(unbroken), TestSpark.weights(restarted));
        assertEquals(unbroken.optimizer().iterations(), restarted.optimizer().iterations());
        try (Stream<Path> files = Files.list(dir.resolve("ckpt"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(s -> !s.startsWith(".")).sorted()
                    .toList();
            assertEquals(List.of("checkpoint-000000000009", "checkpoint-000000000012"), names);
        }
        assertTrue(Checkpoints.latest(TestSpark.get().sparkContext().hadoopConfiguration(), ckpt).globalStep == 12);
    }
}
