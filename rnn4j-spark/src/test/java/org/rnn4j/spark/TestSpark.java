package org.rnn4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.rnn4j.layers.Variable;
import org.rnn4j.models.Model;
import org.rnn4j.models.Trainer;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.KeyedRandom;

/** One local Spark for every test class of the module (starting Spark is the expensive part). */
final class TestSpark {
    private static SparkSession spark;

    private TestSpark() {
    }

    /** {@code local[2,2]}: two task threads, and a failed task is tried once more (as on a cluster). */
    static synchronized SparkSession get() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .master("local[2,2]")
                    .appName("rnn4j-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("ERROR");
        }
        return spark;
    }

    static List<float[]> weights(Model m) {
        List<float[]> w = new ArrayList<>();
        for (Variable v : m.weights()) {
            w.add(v.value().data().clone());
        }
        return w;
    }

    static double maxDiff(List<float[]> a, List<float[]> b) {
        double d = 0;
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < a.get(i).length; j++) {
                d = Math.max(d, Math.abs((double) a.get(i)[j] - b.get(i)[j]));
            }
        }
        return d;
    }

    /**
     * The single-machine run that sums the same shards in the same order as the Spark trainer: sample
     * i in shard {@code i mod P}, each shard's samples in epoch order, shards summed in order.
     */
    static void shardedReference(Model model, Tensor x, Tensor y, int partitions, int batchSize, int epochs,
                                 boolean shuffle) {
        int n = x.dim(0);
        int steps = (n + batchSize - 1) / batchSize;
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = shuffle ? KeyedRandom.permutation(n, model.seed(), epoch) : identity(n);
            for (int step = 0; step < steps; step++) {
                int from = step * batchSize;
                int to = Math.min(n, from + batchSize);
                GradientSum total = new GradientSum();
                for (int p = 0; p < partitions; p++) {
                    List<Integer> rows = new ArrayList<>();
                    for (int k = from; k < to; k++) {
                        if (order[k] % partitions == p) {
                            rows.add(order[k]);
                        }
                    }
                    if (rows.isEmpty()) {
                        continue;
                    }
                    int[] r = rows.stream().mapToInt(Integer::intValue).toArray();
                    Trainer.Gradients g = model.computeGradients(List.of(x.gather(r)), List.of(y.gather(r)), false);
                    total.merge(new GradientSum().add(g.samples, g.loss, g.outputLosses, g.values));
                }
                List<float[]> grads = total.meanGradients();
                List<Variable> trainable = model.trainableWeights();
                for (int i = 0; i < trainable.size(); i++) {
                    Regularizer reg = trainable.get(i).regularizer();
                    if (reg != null) {
                        reg.addGradient(trainable.get(i).value().data(), grads.get(i));
                    }
                }
                model.applyGradients(grads);
            }
        }
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }
}
