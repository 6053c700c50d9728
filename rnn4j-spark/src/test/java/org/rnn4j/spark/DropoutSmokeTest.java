package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.callbacks.History;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.LSTM;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * Models with dropout train on Spark (each executor copy draws its masks from its own stream;
 * masks keyed by sample, equal to one machine's, are not wired yet).
 */
class DropoutSmokeTest {
    @Test
    void aModelWithDropoutTrainsAndItsLossFalls() {
        Tensor x = GradientCheck.randn(81, 1f, 48, 5, 2);
        float[] t = new float[48];
        for (int i = 0; i < 48; i++) {
            t[i] = x.data()[i * 10] + 0.5f * x.data()[i * 10 + 9];
        }
        Tensor y = Tensor.of(t, 48, 1);
        Sequential m = new Sequential().seed(82);
        m.add(new LSTM(8).dropout(0.1).inputShape(5, 2));
        m.add(new Dropout(0.1));
        m.add(new Dense(1));
        m.compile(new Adam(0.02), "mse");
        History h = new SparkTrainer(TestSpark.get(), m).partitions(2)
                .fit(x, y, FitOptions.epochs(8).batchSize(16).verbose(0));
        List<Double> loss = h.history().get("loss");
        assertTrue(loss.get(loss.size() - 1) < 0.8 * loss.get(0), "loss " + loss);
    }
}
