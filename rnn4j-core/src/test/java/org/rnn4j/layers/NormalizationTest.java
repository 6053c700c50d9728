package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

class NormalizationTest {
    private static Tensor sample() {
        return Tensor.of(new float[] {1, 2, 3, 6, 5, 10, 7, 14}, 2, 2, 2);
    }

    @Test
    void adaptAndForwardMatchKeras() {
        // Keras 3.15: mean [4, 8], variance [5, 20]; outputs +-1.3416407, +-0.4472136; 5 params.
        Normalization n = new Normalization();
        n.adapt(sample());
        Sequential m = new Sequential();
        m.add(n.inputShape(2, 2));
        assertArrayEquals(new float[] {4, 8}, n.mean());
        assertArrayEquals(new float[] {5, 20}, n.variance());
        assertEquals(List.of("mean", "variance", "count"), n.weights().stream().map(Variable::name).toList());
        assertEquals(5, n.countParams());
        assertEquals(0, n.trainableParams());
        Tensor y = m.predict(sample());
        float[] expected = {-1.3416407f, -1.3416407f, -0.4472136f, -0.4472136f, 0.4472136f, 0.4472136f, 1.3416407f, 1.3416407f};
        assertArrayEquals(expected, y.data(), 1e-6f);
    }

    @Test
    void invertUndoesNormalization() {
        Normalization n = new Normalization();
        n.adapt(sample());
        n.build(new int[] {2}, null);
        Normalization inv = new Normalization().invert(true);
        inv.adapt(sample());
        inv.build(new int[] {2}, null);
        Tensor x = Tensor.of(new float[] {3, -1, 0.5f, 9}, 2, 2);
        assertArrayEquals(x.data(), inv.forward(n.forward(x)).data(), 1e-5f);
    }

    @Test
    void zeroVarianceIsClampedByEpsilonAsKeras() {
        Normalization n = new Normalization();
        n.adapt(Tensor.of(new float[] {3, 3, 3}, 3, 1));
        n.build(new int[] {1}, null);
        assertEquals((4f - 3f) / 1e-7f, n.forward(Tensor.of(new float[] {4}, 1, 1)).data()[0], 1f);
    }

    @Test
    void adaptAfterBuildUpdatesTheWeights() {
        Normalization n = new Normalization();
        n.build(new int[] {3, 2}, null);
        assertArrayEquals(new float[] {0, 0}, n.mean());
        assertArrayEquals(new float[] {1, 1}, n.variance());
        n.adapt(sample());
        assertArrayEquals(new float[] {4, 8}, n.weights().get(0).value().data());
        assertThrows(IllegalArgumentException.class, () -> n.adapt(Tensor.zeros(2, 3)));
    }

    @Test
    void givenMeanAndVarianceMakeNoWeightsAndGoInTheConfig() {
        // Keras: Normalization(mean=[4, 8], variance=[5, 20]) has no weights and the same outputs as adapt().
        Normalization n = new Normalization().meanAndVariance(new float[] {4, 8}, new float[] {5, 20});
        n.build(new int[] {2, 2}, null);
        assertEquals(0, n.weights().size());
        float[] expected = {-1.3416407f, -1.3416407f, -0.4472136f, -0.4472136f, 0.4472136f, 0.4472136f, 1.3416407f, 1.3416407f};
        assertArrayEquals(expected, n.forward(sample()).data(), 1e-6f);
        assertEquals(List.of(4.0, 8.0), n.config().get("mean"));
        // A single value applies to every feature.
        Normalization scalar = new Normalization().meanAndVariance(new float[] {1}, new float[] {4});
        scalar.build(new int[] {3}, null);
        assertArrayEquals(new float[] {0, 0.5f, 1}, scalar.forward(Tensor.of(new float[] {1, 2, 3}, 1, 3)).data(), 1e-6f);
        assertThrows(IllegalStateException.class, () -> scalar.adapt(Tensor.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> new Normalization().meanAndVariance(new float[] {1, 2}, new float[] {1}));
    }

    @Test
    void configHasKerasKeys() {
        var c = new Normalization().name("norm").config();
        assertEquals(List.of("name", "trainable", "dtype", "axis", "invert", "mean", "variance"), List.copyOf(c.keySet()));
        assertEquals(List.of(-1), c.get("axis"));
    }

    @Test
    void gradientCheck() {
        for (boolean invert : new boolean[] {false, true}) {
            for (int[] shape : new int[][] {{3, 4, 2}, {1, 1, 2}}) {
                Normalization n = new Normalization().invert(invert);
                n.adapt(GradientCheck.randn(5, 3f, 10, 2));
                n.build(new int[] {shape[1], shape[2]}, null);
                GradientCheck.check(n, GradientCheck.randn(9, 1f, shape), null, true);
            }
        }
    }
}
