package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

class PoolingTest {
    /** Distinct values at least 0.05 apart, so a +-0.01 probe never changes an argmax. */
    static Tensor distinct(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        int[] p = new Rng(seed).permutation(t.size());
        for (int i = 0; i < p.length; i++) {
            t.data()[i] = (p[i] - p.length / 2f) * 0.05f;
        }
        return t;
    }

    private static <L extends Layer> L built(L layer, int... in) {
        layer.build(in, new Rng(1));
        return layer;
    }

    @Test
    void maxPooling1dGradients() {
        GradientCheck.check(built(new MaxPooling1D(), 7, 3), distinct(1, 2, 7, 3), null, true);
        GradientCheck.check(built(new MaxPooling1D(3).strides(2).padding("same"), 8, 2), distinct(2, 2, 8, 2), null, true);
        GradientCheck.check(built(new MaxPooling1D(2).strides(1), 5, 1), distinct(3, 1, 5, 1), null, true);
        // One step with "same": the window holds the single real step.
        MaxPooling1D one = built(new MaxPooling1D().padding("same"), 1, 2);
        assertArrayEquals(new int[] {1, 2}, one.outputShape());
        GradientCheck.check(one, distinct(4, 1, 1, 2), null, true);
    }

    @Test
    void maxPooling2dGradients() {
        GradientCheck.check(built(new MaxPooling2D(), 5, 7, 3), distinct(5, 2, 5, 7, 3), null, true);
        GradientCheck.check(built(new MaxPooling2D(3).strides(2).padding("same"), 6, 5, 2), distinct(6, 2, 6, 5, 2), null, true);
        GradientCheck.check(built(new MaxPooling2D(2, 3).strides(1), 4, 5, 1), distinct(7, 1, 4, 5, 1), null, true);
    }

    @Test
    void averagePoolingGradients() {
        GradientCheck.check(built(new AveragePooling1D(2), 7, 3), GradientCheck.randn(1, 1f, 2, 7, 3), null, true);
        GradientCheck.check(built(new AveragePooling1D(3).strides(2).padding("same"), 8, 2),
                GradientCheck.randn(2, 1f, 2, 8, 2), null, true);
        GradientCheck.check(built(new AveragePooling1D(2).padding("same"), 1, 2), GradientCheck.randn(3, 1f, 1, 1, 2), null, true);
        GradientCheck.check(built(new AveragePooling2D(2), 5, 7, 3), GradientCheck.randn(4, 1f, 2, 5, 7, 3), null, true);
        GradientCheck.check(built(new AveragePooling2D(3).strides(2).padding("same"), 6, 5, 2),
                GradientCheck.randn(5, 1f, 1, 6, 5, 2), null, true);
    }

    @Test
    void averagePoolingSamePaddingCountsOnlyRealElements() {
        AveragePooling1D p = built(new AveragePooling1D(2).padding("same"), 3, 1);
        // Windows {1, 2} and {3, pad}: the second mean is 3, not 1.5.
        assertArrayEquals(new float[] {1.5f, 3f}, p.forward(Tensor.of(new float[] {1, 2, 3}, 1, 3, 1)).data());
        assertEquals(List.of(2), p.config().get("pool_size"));
        assertEquals("average_pooling1d", p.name().replaceAll("_\\d+$", ""));
    }

    @Test
    void backwardRoutesToTheArgmaxOnly() {
        MaxPooling1D p = built(new MaxPooling1D(), 4, 1);
        Tensor x = Tensor.of(new float[] {1, 3, 2, -1}, 1, 4, 1);
        assertArrayEquals(new float[] {3, 2}, p.forward(x, null, true).data());
        assertArrayEquals(new float[] {0, 5, 7, 0}, p.backward(Tensor.of(new float[] {5, 7}, 1, 2, 1)).data());
    }

    @Test
    void kerasDefaultsAndShapes() {
        MaxPooling2D p = built(new MaxPooling2D(), 11, 8, 64);
        assertArrayEquals(new int[] {5, 4, 64}, p.outputShape());
        assertArrayEquals(new int[] {2, 2}, p.poolSize());
        assertArrayEquals(new int[] {2, 2}, p.strides());
        assertEquals(0, p.countParams());
        assertArrayEquals(new int[] {2}, new MaxPooling1D().strides());
        assertArrayEquals(new int[] {3}, new MaxPooling1D(3).strides());
        assertArrayEquals(new int[] {4, 4, 1}, built(new MaxPooling2D().padding("same"), 7, 8, 1).outputShape());
        assertEquals(List.of(2, 2), p.config().get("pool_size"));
        assertEquals(List.of(2, 2), p.config().get("strides"));
        assertEquals("valid", p.config().get("padding"));
        assertEquals("channels_last", p.config().get("data_format"));
    }

    @Test
    void poolLargerThanInputIsAClearError() {
        var e = assertThrows(LayerShapeException.class, () -> new MaxPooling2D(3).name("pool").build(new int[] {2, 5, 1}, new Rng(1)));
        assertTrue(e.getMessage().contains("'pool'") && e.getMessage().contains("(None, 2, 5, 1)"), e.getMessage());
    }
}
