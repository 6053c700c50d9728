package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.kernels.ConvPoolFused;
import org.rnn4j.layers.Conv2D;
import org.rnn4j.layers.ConvPoolFusion;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.MaxPooling2D;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.Variable;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * A model whose TimeDistributed Conv2D + MaxPooling2D pair runs fused trains and predicts exactly
 * as with fusion off ({@code -Drnn4j.fuse=false}): the W5 model, three Adam steps.
 */
class ConvPoolFusionModelTest {
    private static Sequential w5() {
        Sequential m = new Sequential().seed(3);
        m.add(new TimeDistributed(new Conv2D(64, 2).activation("relu")).inputShape(4, 12, 9, 1));
        m.add(new TimeDistributed(new MaxPooling2D()));
        m.add(new TimeDistributed(new Flatten()));
        m.add(new LSTM(10).activation("relu"));
        m.add(new Dense(2));
        m.compile(new Adam(1e-3), "mean_squared_error");
        return m;
    }

    private record Run(List<Object> losses, List<float[]> weights, float[] prediction) {
    }

    private static Run train(boolean fuse) {
        String old = System.getProperty("rnn4j.fuse");
        System.setProperty("rnn4j.fuse", String.valueOf(fuse));
        try {
            Sequential m = w5();
            if (fuse) {
                assertNotNull(ConvPoolFusion.of(m.layers().get(0), m.layers().get(1)), "the pair is fusable");
            }
            Tensor x = GradientCheck.randn(5, 1f, 6, 4, 12, 9, 1);
            Tensor y = GradientCheck.randn(6, 1f, 6, 2);
            List<Object> losses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                losses.add(m.trainOnBatch(x, y));
            }
            List<float[]> ws = new ArrayList<>();
            for (Variable v : m.weights()) {
                ws.add(v.value().data().clone());
            }
            return new Run(losses, ws, m.predict(x, 6).data());
        } finally {
            if (old == null) {
                System.clearProperty("rnn4j.fuse");
            } else {
                System.setProperty("rnn4j.fuse", old);
            }
        }
    }

    @Test
    void fusedTrainingEqualsUnfusedBitForBit() {
        assumeTrue(ConvPoolFused.available(), "the fused kernels need the Vector API");
        Run fused = train(true);
        Run plain = train(false);
        assertEquals(plain.losses(), fused.losses());
        assertEquals(plain.weights().size(), fused.weights().size());
        for (int i = 0; i < plain.weights().size(); i++) {
            assertArrayEquals(plain.weights().get(i), fused.weights().get(i), "weight " + i);
        }
        assertArrayEquals(plain.prediction(), fused.prediction());
    }
}
