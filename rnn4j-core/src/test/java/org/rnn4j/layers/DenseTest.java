package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

class DenseTest {
    @Test
    void computesAffineMapWithActivation() {
        Dense d = new Dense(2).activation("relu");
        d.build(new int[] {3}, new Rng(1));
        d.weights().get(0).assign(Tensor.of(new float[] {1, -1, 2, 0, 0, 3}, 3, 2));
        d.weights().get(1).assign(Tensor.of(new float[] {0.5f, -10f}, 2));
        Tensor y = d.forward(Tensor.of(new float[] {1, 2, 3}, 1, 3));
        // [1*1+2*2+3*0+0.5, relu(-1+0+9-10)] = [5.5, 0]
        assertArrayEquals(new float[] {5.5f, 0f}, y.data(), 1e-6f);
    }

    @Test
    void appliesToLastAxisOfRank3Input() {
        Dense d = new Dense(4);
        d.build(new int[] {5, 3}, new Rng(2));
        assertArrayEquals(new int[] {5, 4}, d.outputShape());
        Tensor y = d.forward(GradientCheck.randn(3, 1f, 2, 5, 3));
        assertArrayEquals(new int[] {2, 5, 4}, y.shape());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        for (String act : new String[] {"linear", "tanh", "sigmoid", "softmax", "gelu", "elu"}) {
            Dense d = new Dense(3).activation(act);
            d.build(new int[] {4}, new Rng(5));
            GradientCheck.check(d, GradientCheck.randn(6, 1f, 2, 4), null, true);
        }
        Dense batchOne = new Dense(2);
        batchOne.build(new int[] {2, 3}, new Rng(7));
        GradientCheck.check(batchOne, GradientCheck.randn(8, 1f, 1, 2, 3), null, true);
    }

    @Test
    void glorotUniformStaysWithinKerasLimit() {
        Dense d = new Dense(10);
        d.build(new int[] {6}, new Rng(9));
        float limit = (float) Math.sqrt(6.0 / (6 + 10));
        for (float w : d.weights().get(0).value().data()) {
            assertTrue(Math.abs(w) <= limit);
        }
        assertEquals(70, d.countParams());
    }

    @Test
    void rejectsWrongInputWidthNamingTheLayer() {
        Dense d = new Dense(2).name("head");
        d.build(new int[] {3}, new Rng(1));
        var e = assertThrows(IllegalArgumentException.class, () -> d.forward(Tensor.zeros(1, 4)));
        assertTrue(e.getMessage().contains("head") && e.getMessage().contains("(None, 3)")
                && e.getMessage().contains("(None, 4)"), e.getMessage());
    }

    @Test
    void unknownActivationSuggestsClosest() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Dense(2).activation("rleu"));
        assertTrue(e.getMessage().contains("Did you mean 'relu'?"), e.getMessage());
    }
}
