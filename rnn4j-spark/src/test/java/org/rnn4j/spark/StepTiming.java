package org.rnn4j.spark;

import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.LSTM;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * Not a test: measures the time of one synchronous step on local Spark against plain {@code fit}
 * on one machine. Run: {@code java -cp <test classpath> org.rnn4j.spark.StepTiming [master] [partitions]}.
 */
public final class StepTiming {
    private StepTiming() {
    }

    private static Sequential model() {
        Sequential m = new Sequential().seed(1);
        m.add(new LSTM(32).inputShape(24, 8));
        m.add(new Dense(1));
        m.compile("adam", "mse");
        return m;
    }

    public static void main(String[] args) {
        String master = args.length > 0 ? args[0] : "local[2]";
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int n = 2048;
        int batch = 256;
        int epochs = 3;
        Tensor x = GradientCheck.randn(1, 1f, n, 24, 8);
        Tensor y = GradientCheck.randn(2, 1f, n, 1);
        FitOptions o = FitOptions.epochs(epochs).batchSize(batch).shuffle(true).verbose(0);

        Sequential warm = model();
        warm.fit(x, y, FitOptions.epochs(1).batchSize(batch).verbose(0));
        Sequential local = model();
        long t0 = System.nanoTime();
        local.fit(x, y, o);
        double localMs = (System.nanoTime() - t0) / 1e6 / (epochs * n / batch);

        SparkSession spark = SparkSession.builder().master(master).appName("rnn4j-step-timing")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        new SparkTrainer(spark, model()).partitions(partitions).fit(x, y, FitOptions.epochs(1).batchSize(batch).verbose(0));
        for (Aggregation mode : Aggregation.values()) {
            SparkTrainer t = new SparkTrainer(spark, model()).partitions(partitions).aggregation(mode);
            t.fit(x, y, o);
            System.out.printf(Locale.ROOT, "%s %s, %d partitions: %.1f ms/step on Spark vs %.1f ms/step plain fit (%s)%n",
                    master, mode, partitions, t.lastStats().millisPerStep(), localMs, t.lastStats());
        }
        spark.stop();
    }
}
