package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.callbacks.History;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Conv2D;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.MaxPooling2D;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/** The seed's recurrent models learn small seeded tasks (each a few seconds at most). */
class RecurrentLearningTest {
    private static FitOptions quiet(int epochs) {
        return FitOptions.epochs(epochs).verbose(0);
    }

    /**
     * Six noisy sine waves (different frequencies and phases); from a window of 4 steps of all six,
     * predict the next value of the first two. The naive baseline repeats the last observed value.
     */
    @Test
    void seedLstmBeatsPersistenceOnNoisySine() {
        Rng rng = new Rng(42);
        int len = 700;
        int features = 6;
        float[][] series = new float[len][features];
        for (int f = 0; f < features; f++) {
            double freq = 0.25 + 0.05 * f;
            double phase = f;
            for (int t = 0; t < len; t++) {
                series[t][f] = (float) (Math.sin(freq * t + phase) + 0.1 * rng.normal());
            }
        }
        int n = len - 4;
        float[] x = new float[n * 4 * features];
        float[] y = new float[n * 2];
        float[] last = new float[n * 2];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < 4; s++) {
                System.arraycopy(series[i + s], 0, x, (i * 4 + s) * features, features);
            }
            for (int k = 0; k < 2; k++) {
                y[i * 2 + k] = series[i + 4][k];
                last[i * 2 + k] = series[i + 3][k];
            }
        }
        int train = 560;
        Tensor xs = Tensor.of(x, n, 4, features);
        Tensor ys = Tensor.of(y, n, 2);
        Sequential m = new Sequential().seed(7);
        m.add(new LSTM(10).activation("relu").inputShape(4, 6));
        m.add(new Dense(10).activation("relu"));
        m.add(new Dense(2));
        m.compile(new Adam(0.01), "mean_squared_error");
        m.fit(xs.slice(0, train), ys.slice(0, train), quiet(40).batchSize(32));
        double modelMse = m.evaluate(xs.slice(train, n), ys.slice(train, n)).get("loss");
        double baseline = 0;
        for (int i = train * 2; i < n * 2; i++) {
            baseline += (last[i] - y[i]) * (last[i] - y[i]);
        }
        baseline /= (n - train) * 2;
        assertTrue(modelMse < baseline, "LSTM test MSE " + modelMse + " vs persistence " + baseline);
    }

    /** Class = whether feature 0 rises over the sequence; separable, needs the order of steps. */
    @Test
    void gruClassifierExceeds95Percent() {
        Rng rng = new Rng(5);
        int n = 400;
        int steps = 8;
        float[] x = new float[n * steps * 3];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int label = rng.nextInt(2);
            y[i] = label;
            float slope = (label == 1 ? 1 : -1) * rng.uniform(0.05f, 0.2f);
            for (int t = 0; t < steps; t++) {
                int o = (i * steps + t) * 3;
                x[o] = slope * t + rng.uniform(-0.05f, 0.05f);
                x[o + 1] = rng.uniform(-1, 1);
                x[o + 2] = rng.uniform(-1, 1);
            }
        }
        Sequential m = new Sequential().seed(3);
        m.add(new GRU(8).inputShape(steps, 3));
        m.add(new Dense(1).activation("sigmoid"));
        m.compile(new Adam(0.02), "binary_crossentropy", "accuracy");
        Tensor xs = Tensor.of(x, n, steps, 3);
        Tensor ys = Tensor.of(y, n, 1);
        m.fit(xs.slice(0, 300), ys.slice(0, 300), quiet(15).batchSize(32));
        double acc = m.evaluate(xs.slice(300, n), ys.slice(300, n)).get("accuracy");
        assertTrue(acc > 0.95, "GRU held-out accuracy " + acc);
    }

    @Test
    void seedBidirectionalModelReducesTrainingLossBy90Percent() {
        Rng rng = new Rng(8);
        int n = 64;
        float[] x = new float[n * 6 * 4];
        float[] y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            double s0 = 0;
            double s1 = 0;
            for (int t = 0; t < 6; t++) {
                for (int f = 0; f < 4; f++) {
                    float v = rng.uniform(-1, 1);
                    x[(i * 6 + t) * 4 + f] = v;
                    s0 += f == 0 ? v : 0;
                    s1 += t == 0 ? v : 0;
                }
            }
            y[2 * i] = (float) (s0 / 3);
            y[2 * i + 1] = (float) (s1 / 2);
        }
        Sequential m = new Sequential().seed(11);
        m.add(new Bidirectional(new LSTM(10).activation("relu")).inputShape(6, 4));
        m.add(new Dense(10).activation("relu"));
        m.add(new Dense(2));
        m.compile(new Adam(0.01), "mean_squared_error");
        Tensor xs = Tensor.of(x, n, 6, 4);
        Tensor ys = Tensor.of(y, n, 2);
        double before = m.evaluate(xs, ys).get("loss");
        m.fit(xs, ys, quiet(150).batchSize(16));
        double after = m.evaluate(xs, ys).get("loss");
        assertTrue(after <= 0.1 * before, "Bidirectional loss " + before + " -> " + after);
    }

    @Test
    void seedConvLstmModelReducesTrainingLossBy90Percent() {
        Rng rng = new Rng(9);
        int n = 16;
        int frame = 12 * 9;
        float[] x = new float[n * 8 * frame];
        float[] y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            float a = rng.uniform(-1, 1);
            float b = rng.uniform(-1, 1);
            for (int t = 0; t < 8; t++) {
                for (int p = 0; p < frame; p++) {
                    int row = p / 9;
                    x[(i * 8 + t) * frame + p] = (row < 6 ? a : b) * (t + 1) / 8f + 0.1f * rng.uniform(-1, 1);
                }
            }
            y[2 * i] = a;
            y[2 * i + 1] = b;
        }
        Sequential m = new Sequential().seed(13);
        m.add(new TimeDistributed(new Conv2D(64, 2).activation("relu")).inputShape(8, 12, 9, 1));
        m.add(new TimeDistributed(new MaxPooling2D()));
        m.add(new TimeDistributed(new Flatten()));
        m.add(new LSTM(10).activation("relu"));
        m.add(new Dense(10).activation("relu"));
        m.add(new Dense(2));
        m.compile(new Adam(0.01), "mean_squared_error");
        Tensor xs = Tensor.of(x, n, 8, 12, 9, 1);
        Tensor ys = Tensor.of(y, n, 2);
        double before = m.evaluate(xs, ys).get("loss");
        History h = m.fit(xs, ys, quiet(60).batchSize(8));
        double after = m.evaluate(xs, ys).get("loss");
        assertTrue(after <= 0.1 * before, "TimeDistributed(Conv2D)+LSTM loss " + before + " -> " + after + " " + h.get("loss"));
    }

    /** Same seed, same run: weights, shuffles and (recurrent) dropout masks all come from the model's Rng. */
    @Test
    void sameSeedGivesBitIdenticalRecurrentHistories() {
        Rng rng = new Rng(21);
        int n = 48;
        float[] x = new float[n * 5 * 3];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.uniform(-1, 1);
        }
        for (int i = 0; i < n; i++) {
            y[i] = x[i * 15] + x[i * 15 + 14];
        }
        java.util.List<Double> first = null;
        for (int run = 0; run < 2; run++) {
            Sequential m = new Sequential().seed(99);
            m.add(new LSTM(6).dropout(0.2).recurrentDropout(0.2).returnSequences(true).inputShape(5, 3));
            m.add(new GRU(4).dropout(0.1));
            m.add(new Dense(1));
            m.compile("adam", "mse", "mae");
            History h = m.fit(Tensor.of(x, n, 5, 3), Tensor.of(y, n, 1), quiet(4).batchSize(8).validationSplit(0.25));
            java.util.List<Double> all = new java.util.ArrayList<>();
            h.history().values().forEach(all::addAll);
            if (first == null) {
                first = all;
            } else {
                org.junit.jupiter.api.Assertions.assertEquals(first, all);
            }
        }
    }
}
