package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Variable;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/** Computing gradients apart from applying them gives the training step's numbers (what a Spark driver relies on). */
class GradientsApartTest {
    private static Sequential model() {
        Sequential m = new Sequential().seed(5);
        m.add(new LSTM(6).inputShape(5, 3));
        m.add(new Dense(2));
        m.compile(new Adam(0.01), "mse");
        return m;
    }

    private static List<float[]> weights(Model m) {
        List<float[]> w = new ArrayList<>();
        for (Variable v : m.weights()) {
            w.add(v.value().data().clone());
        }
        return w;
    }

    @Test
    void computeThenApplyEqualsTrainOnBatchBitForBit() {
        Tensor x = GradientCheck.randn(1, 1f, 8, 5, 3);
        Tensor y = GradientCheck.randn(2, 1f, 8, 2);
        Sequential a = model();
        Sequential b = model();
        for (int step = 0; step < 3; step++) {
            double lossA = a.trainOnBatch(x, y).get("loss");
            Trainer.Gradients g = b.computeGradients(List.of(x), List.of(y), true);
            b.applyGradients(g.values);
            assertEquals(lossA, g.loss, 0.0, "step " + step + " loss");
        }
        List<float[]> wa = weights(a);
        List<float[]> wb = weights(b);
        for (int i = 0; i < wa.size(); i++) {
            assertArrayEquals(wa.get(i), wb.get(i), "weight " + i);
        }
    }

    @Test
    void shardGradientsWeightedBySizeSumToTheWholeBatchGradient() {
        Tensor x = GradientCheck.randn(3, 1f, 10, 5, 3);
        Tensor y = GradientCheck.randn(4, 1f, 10, 2);
        Sequential m = model();
        List<float[]> whole = m.computeGradients(List.of(x), List.of(y), false).values;
        Trainer.Gradients first = m.computeGradients(List.of(x.slice(0, 4)), List.of(y.slice(0, 4)), false);
        Trainer.Gradients second = m.computeGradients(List.of(x.slice(4, 10)), List.of(y.slice(4, 10)), false);
        for (int i = 0; i < whole.size(); i++) {
            for (int j = 0; j < whole.get(i).length; j++) {
                double sum = 0.4 * first.values.get(i)[j] + 0.6 * second.values.get(i)[j];
                assertTrue(Math.abs(sum - whole.get(i)[j]) < 1e-5, "weight " + i + "[" + j + "]");
            }
        }
    }
}
