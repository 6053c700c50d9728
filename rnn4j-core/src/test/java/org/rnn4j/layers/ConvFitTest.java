package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.callbacks.History;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/** The seed's TimeDistributed(Conv2D) + LSTM model, small, trained with fit() and Adam. */
class ConvFitTest {
    @Test
    void seedTimeDistributedConvLstmModelCutsItsLossByNinetyPercent() {
        Sequential model = new Sequential().seed(7);
        model.add(new TimeDistributed(new Conv2D(8, 2).activation("relu")).inputShape(4, 6, 5, 1));
        model.add(new TimeDistributed(new MaxPooling2D()));
        model.add(new TimeDistributed(new Flatten()));
        model.add(new LSTM(10).activation("relu"));
        model.add(new Dense(10).activation("relu"));
        model.add(new Dense(2));
        model.compile("adam", "mean_squared_error");
        Tensor x = GradientCheck.randn(1, 1f, 32, 4, 6, 5, 1);
        // A learnable target with unit variance: scaled sums over each half of the frames.
        Tensor y = Tensor.zeros(32, 2);
        int per = 4 * 6 * 5;
        for (int b = 0; b < 32; b++) {
            for (int i = 0; i < per; i++) {
                y.data()[b * 2 + (i < per / 2 ? 0 : 1)] += x.data()[b * per + i] / (float) Math.sqrt(per / 2.0);
            }
        }
        History h = model.fit(x, y, FitOptions.epochs(120).batchSize(8).verbose(0));
        double first = h.get("loss").get(0);
        double last = h.last("loss");
        assertTrue(last < 0.1 * first, "loss " + first + " -> " + last);
    }
}
