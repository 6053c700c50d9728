package org.rnn4j.layers.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Layer;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * Finite-difference gradient checks of the activation layers (inputs kept away from their kinks,
 * where the derivative is not defined), and PReLU's alpha gradient and parameter count.
 * Forward values against Keras: RegistrySamplesTest's real Keras samples of each class.
 */
class ActivationLayersGradientTest {
    /** N(0,1) values, each at least 0.05 from every kink (the check perturbs by 1e-2). */
    private static Tensor input(long seed, float[] kinks, int... shape) {
        Tensor x = GradientCheck.randn(seed, 1f, shape);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            for (float k : kinks) {
                if (Math.abs(d[i] - k) < 0.05f) {
                    d[i] = k + (d[i] >= k ? 0.05f : -0.05f) + Math.signum(d[i] - k) * 0.01f;
                }
            }
        }
        return x;
    }

    private static void check(Layer layer, Tensor x) {
        layer.build(new int[][] {java.util.Arrays.copyOfRange(x.shape(), 1, x.shape().length)}[0], new Rng(3));
        GradientCheck.check(layer, x, null, true, 1e-3, 2e-3);
    }

    @Test
    void leakyRelu() {
        check(new LeakyReLU(0.2), input(1, new float[] {0}, 3, 5));
    }

    @Test
    void elu() {
        check(new ELU(0.7), input(2, new float[] {0}, 3, 5));
    }

    @Test
    void reluWithMaxValueSlopeAndThreshold() {
        check(new ReLU(0.8, 0.1, 0.1), input(3, new float[] {0.1f, 0.8f}, 4, 6));
        check(new ReLU(), input(4, new float[] {0}, 4, 6));
    }

    @Test
    void softmaxOverAnAxis() {
        check(new Softmax(1), input(5, new float[0], 2, 4, 3));
        check(new Softmax(), input(6, new float[0], 2, 4, 3));
    }

    @Test
    void preluWithSharedAxesChecksInputAndAlpha() {
        PReLU p = new PReLU().sharedAxes(1);
        Tensor x = input(7, new float[] {0}, 3, 6, 4);
        p.build(new int[] {6, 4}, new Rng(3));
        assertEquals(4, p.countParams(), "alpha is shared over the time axis: one per channel");
        // non-zero alpha so its gradient and the negative branch are both exercised
        float[] a = p.weights().get(0).value().data();
        for (int i = 0; i < a.length; i++) {
            a[i] = 0.1f + 0.2f * i;
        }
        GradientCheck.check(p, x, null, true, 1e-3, 2e-3);
    }
}
