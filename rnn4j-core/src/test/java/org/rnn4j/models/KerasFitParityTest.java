package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.callbacks.History;
import org.rnn4j.layers.Dense;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.regularizers.L1L2;
import org.rnn4j.tensor.Tensor;

/**
 * A whole {@code fit} against Keras 3.15: same data, same initial weights, Adam(0.01), mse with
 * an L2 kernel regularizer, metric mae, batch 8, no shuffling, validation_split 0.25, 3 epochs.
 * Expected numbers were printed by real Keras ({@code history.history}, TensorFlow backend).
 */
class KerasFitParityTest {
    @Test
    void historyMatchesKeras() {
        int n = 40;
        float[] x = new float[n * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.37f);
        }
        float[] y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            y[2 * i] = (float) Math.cos(i * 0.2);
            y[2 * i + 1] = (float) (Math.sin(i * 0.5) * 0.5);
        }
        Sequential m = new Sequential().seed(1);
        m.add(new Dense(4).activation("tanh").kernelRegularizer(L1L2.l2(0.01f)).inputShape(3));
        m.add(new Dense(2));
        float[] k1 = new float[12];
        for (int i = 0; i < 12; i++) {
            k1[i] = (i - 6) / 10f;
        }
        float[] k2 = new float[8];
        for (int i = 0; i < 8; i++) {
            k2[i] = (i - 3) / 7f;
        }
        m.setWeights(List.of(Tensor.of(k1, 3, 4), Tensor.of(new float[] {0.1f, -0.1f, 0.2f, 0f}, 4),
                Tensor.of(k2, 4, 2), Tensor.of(new float[] {0.05f, -0.05f}, 2)));
        m.compile(new Adam(0.01), "mse", "mae");
        Tensor xs = Tensor.of(x, n, 3);
        Tensor ys = Tensor.of(y, n, 2);
        History h = m.fit(xs, ys, FitOptions.epochs(3).batchSize(8).shuffle(false).validationSplit(0.25).verbose(0));
        check(h.get("loss"), 0.368444353, 0.335850358, 0.323738247);
        check(h.get("mae"), 0.492542714, 0.478744537, 0.472660452);
        check(h.get("val_loss"), 0.349431545, 0.335933745, 0.334277004);
        check(h.get("val_mae"), 0.48471123, 0.470261723, 0.469770133);
        // optimizer.variables after the fit: iteration, learning_rate, then momentum/velocity per weight
        List<Tensor> state = m.optimizer().variables();
        assertEquals(2 + 2 * 4, state.size());
        assertEquals(12f, state.get(0).data()[0]);
        assertEquals(0.01f, state.get(1).data()[0]);
        assertEquals(-0.030136723071336746, state.get(2).data()[0], 1e-6);
        assertEquals(-0.011391375213861465, state.get(2).data()[1], 1e-6);
        assertEquals(3.674397885333747e-05, state.get(3).data()[0], 1e-8);
        assertEquals(4.3378181544539984e-06, state.get(3).data()[1], 1e-9);
        Map<String, Double> e = m.evaluate(xs, ys);
        assertEquals(0.32344523072242737, e.get("loss"), 2e-6);
        assertEquals(0.47046154737472534, e.get("mae"), 2e-6);
    }

    private static void check(List<Double> got, double... expected) {
        assertEquals(expected.length, got.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got.get(i), 2e-6, "epoch " + i + ": " + got);
        }
    }
}
