package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.rnn4j.callbacks.History;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.LSTM;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.regularizers.L1L2;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * The test that matters most: N synchronous steps on local Spark give the weights of the same
 * steps on one machine, for any number of partitions.
 */
class SparkTrainerEquivalenceTest {
    private static final int N = 40;
    private static final int BATCH = 16; // 3 steps per epoch, the last one partial
    private static final int EPOCHS = 3;
    private static final Tensor X = GradientCheck.randn(11, 1f, N, 6, 3);
    private static final Tensor Y = GradientCheck.randn(12, 1f, N, 2);

    private static Sequential lstmSgd() {
        Sequential m = new Sequential().seed(21);
        m.add(new LSTM(5).inputShape(6, 3));
        m.add(new Dense(2));
        m.compile(new SGD(0.1), "mse");
        return m;
    }

    private static Sequential gruAdam() {
        Sequential m = new Sequential().seed(22);
        m.add(new GRU(5).inputShape(6, 3));
        m.add(new Dense(2).kernelRegularizer(new L1L2(0f, 0.01f)));
        m.compile(new Adam(0.01), "mse");
        return m;
    }

    private static FitOptions options(boolean shuffle) {
        return FitOptions.epochs(EPOCHS).batchSize(BATCH).shuffle(shuffle).verbose(0);
    }

    private static List<float[]> onSpark(Supplier<Sequential> make, int partitions, Aggregation mode, boolean shuffle) {
        SparkSession spark = TestSpark.get();
        Sequential m = make.get();
        new SparkTrainer(spark, m).partitions(partitions).aggregation(mode).fit(X, Y, options(shuffle));
        return TestSpark.weights(m);
    }

    private static List<float[]> plainFit(Supplier<Sequential> make) {
        Sequential m = make.get();
        m.fit(X, Y, options(false));
        return TestSpark.weights(m);
    }

    private static List<float[]> reference(Supplier<Sequential> make, int partitions, boolean shuffle) {
        Sequential m = make.get();
        TestSpark.shardedReference(m, X, Y, partitions, BATCH, EPOCHS, shuffle);
        return TestSpark.weights(m);
    }

    private static void assertBitIdentical(List<float[]> expected, List<float[]> actual, String what) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), what + ": weight " + i);
        }
    }

    private static void checkModel(Supplier<Sequential> make) {
        List<float[]> plain = plainFit(make);
        List<float[]> start = TestSpark.weights(make.get());
        assertTrue(TestSpark.maxDiff(start, plain) > 1e-3, "training moved the weights");
        for (int p : new int[] {1, 2, 4}) {
            List<float[]> exact = onSpark(make, p, Aggregation.EXACT, false);
            assertBitIdentical(reference(make, p, false), exact, "exact, " + p + " partitions vs the sharded reference");
            double d = TestSpark.maxDiff(plain, exact);
            assertTrue(d <= 1e-5, "exact, " + p + " partitions vs fit: max |diff| " + d);
        }
        List<float[]> fast = onSpark(make, 4, Aggregation.FAST, false);
        double d = TestSpark.maxDiff(plain, fast);
        assertTrue(d <= 1e-4, "fast, 4 partitions vs fit: max |diff| " + d);
    }

    @Test
    void lstmWithSgdMatchesSingleMachineFitForOneTwoAndFourPartitions() {
        checkModel(SparkTrainerEquivalenceTest::lstmSgd);
    }

    @Test
    void gruWithAdamAndL2MatchesSingleMachineFitForOneTwoAndFourPartitions() {
        checkModel(SparkTrainerEquivalenceTest::gruAdam);
    }

    @Test
    void keyedShuffleGivesTheSameBatchesWhateverThePartitioning() {
        List<float[]> two = onSpark(SparkTrainerEquivalenceTest::gruAdam, 2, Aggregation.EXACT, true);
        assertBitIdentical(reference(SparkTrainerEquivalenceTest::gruAdam, 2, true), two, "shuffled, 2 partitions");
        List<float[]> four = onSpark(SparkTrainerEquivalenceTest::gruAdam, 4, Aggregation.EXACT, true);
        double d = TestSpark.maxDiff(two, four);
        assertTrue(d <= 1e-5, "shuffled: 2 vs 4 partitions, max |diff| " + d);
        assertTrue(TestSpark.maxDiff(two, plainFit(SparkTrainerEquivalenceTest::gruAdam)) > 1e-5,
                "the shuffle changed the batches");
    }

    @Test
    void progressLineShowsStepsPerSecondAndExecutorsAndHistoryHasTheLoss() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Sequential m = lstmSgd();
        History h = new SparkTrainer(TestSpark.get(), m).partitions(2)
                .fit(X, Y, FitOptions.epochs(2).batchSize(BATCH).shuffle(false).verbose(1)
                        .output(new PrintStream(buf, true, StandardCharsets.UTF_8)).terminal(false)
                        .validationData(X.slice(0, 8), Y.slice(0, 8)));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("Epoch 2/2"), out);
        assertTrue(out.contains("3/3"), out);
        assertTrue(out.contains("steps/s - 1 executor (2 cores, local)"), out);
        assertEquals(2, h.history().get("loss").size());
        assertEquals(2, h.history().get("val_loss").size());
        Sequential plain = lstmSgd();
        History ph = plain.fit(X, Y, FitOptions.epochs(2).batchSize(BATCH).shuffle(false).verbose(0));
        assertEquals(ph.history().get("loss").get(1), h.history().get("loss").get(1), 1e-6);
    }
}
