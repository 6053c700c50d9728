package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.callbacks.History;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Conv2D;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.MaxPooling2D;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Variable;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/**
 * The seed's recurrent models trained by {@code fit} against Keras 3.15: same data, same initial
 * weights ({@code 0.3 sin(k j)} per weight), Adam(0.01), mse, metric mae, no shuffling, 3 epochs
 * (LSTM/GRU: batch 16 and validation_split 0.25; Bidirectional, TimeDistributed(Conv2D)+LSTM:
 * batch 8). Expected histories were printed by real Keras.
 */
class KerasRecurrentFitParityTest {
    private static Tensor[] data() {
        int n = 48;
        float[] x = new float[n * 4 * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.11f);
        }
        float[] y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            y[2 * i] = (float) Math.cos(i * 0.3);
            y[2 * i + 1] = (float) (Math.sin(i * 0.7) * 0.5);
        }
        return new Tensor[] {Tensor.of(x, n, 4, 6), Tensor.of(y, n, 2)};
    }

    private static History train(Layer recurrent) {
        Sequential m = new Sequential().seed(1);
        m.add(recurrent);
        m.add(new Dense(10).activation("relu"));
        m.add(new Dense(2));
        Tensor[] d = data();
        return train(m, d[0], d[1], 16, 0.25);
    }

    /** Sets every weight to {@code 0.3 sin(k j)}, {@code k = 0.37 + 0.1 i} for weight i, then fits 3 epochs. */
    private static History train(Sequential m, Tensor x, Tensor y, int batch, double split) {
        List<Tensor> ws = new ArrayList<>();
        List<Variable> vars = m.weights();
        for (int i = 0; i < vars.size(); i++) {
            float k = 0.37f + 0.1f * i;
            Tensor t = Tensor.zeros(vars.get(i).shape());
            for (int j = 0; j < t.size(); j++) {
                t.data()[j] = (float) Math.sin(j * k) * 0.3f;
            }
            ws.add(t);
        }
        m.setWeights(ws);
        m.compile(new Adam(0.01), "mse", "mae");
        return m.fit(x, y, FitOptions.epochs(3).batchSize(batch).shuffle(false).validationSplit(split).verbose(0));
    }

    private static Tensor sines(float k, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) Math.sin(i * k);
        }
        return t;
    }

    @Test
    void bidirectionalHistoryMatchesKeras() {
        Sequential m = new Sequential().seed(1);
        m.add(new Bidirectional(new LSTM(10).activation("relu")).inputShape(6, 4));
        m.add(new Dense(10).activation("relu"));
        m.add(new Dense(2));
        Tensor y = data()[1].slice(0, 16);
        check(train(m, sines(0.11f, 16, 6, 4), y, 8, 0).get("loss"), 0.340644687, 0.321094871, 0.312763572);
    }

    @Test
    void timeDistributedConvLstmHistoryMatchesKeras() {
        Sequential m = new Sequential().seed(1);
        m.add(new TimeDistributed(new Conv2D(4, 2).activation("relu")).inputShape(5, 6, 5, 1));
        m.add(new TimeDistributed(new MaxPooling2D()));
        m.add(new TimeDistributed(new Flatten()));
        m.add(new LSTM(10).activation("relu"));
        m.add(new Dense(10).activation("relu"));
        m.add(new Dense(2));
        Tensor y = data()[1].slice(0, 8);
        check(train(m, sines(0.13f, 8, 5, 6, 5, 1), y, 8, 0).get("loss"), 0.312679231, 0.290950775, 0.272468716);
    }

    @Test
    void lstmHistoryMatchesKeras() {
        History h = train(new LSTM(10).activation("relu").inputShape(4, 6));
        check(h.get("loss"), 0.33573696, 0.321258873, 0.320085049);
        check(h.get("mae"), 0.493238658, 0.485223293, 0.483187199);
        check(h.get("val_loss"), 0.297487378, 0.33198306, 0.366549969);
        check(h.get("val_mae"), 0.448317647, 0.479061455, 0.507801235);
    }

    @Test
    void gruHistoryMatchesKeras() {
        History h = train(new GRU(10).inputShape(4, 6));
        check(h.get("loss"), 0.35551092, 0.32222718, 0.325651675);
        check(h.get("mae"), 0.506202281, 0.479976654, 0.479577392);
        check(h.get("val_loss"), 0.304311842, 0.370785087, 0.428146362);
        check(h.get("val_mae"), 0.459406465, 0.519644976, 0.560952306);
    }

    private static void check(List<Double> got, double... expected) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got.get(i), 1e-5, "epoch " + i + ": " + got);
        }
    }
}
