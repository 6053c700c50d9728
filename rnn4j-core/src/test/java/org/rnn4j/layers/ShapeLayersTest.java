package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/** SpatialDropout1D, global poolings, Activation, RepeatVector, Reshape. */
class ShapeLayersTest {
    private static <L extends Layer> L built(L layer, int... in) {
        layer.build(in, new Rng(5));
        return layer;
    }

    @Test
    void spatialDropoutDropsWholeChannels() {
        SpatialDropout1D d = built(new SpatialDropout1D(0.5), 6, 40);
        Tensor x = Tensor.full(1f, 2, 6, 40);
        assertSame(x, d.forward(x, null, false));
        Tensor y = d.forward(x, null, true);
        int dropped = 0;
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < 40; c++) {
                float first = y.get(b, 0, c);
                assertTrue(first == 0f || first == 2f, "scaled by 1/(1-rate): " + first);
                for (int t = 1; t < 6; t++) {
                    assertEquals(first, y.get(b, t, c), "a channel is dropped for every step");
                }
                dropped += first == 0f ? 1 : 0;
            }
        }
        assertTrue(dropped > 10 && dropped < 70, "about half of 80 channels dropped: " + dropped);
        // The gradient uses the same channel mask.
        Tensor dx = d.backward(Tensor.full(1f, 2, 6, 40));
        assertArrayEquals(y.data(), dx.data());
        assertEquals(0.5, d.config().get("rate"));
    }

    @Test
    void spatialDropoutGradientCheck() {
        // Each training forward draws a new channel mask, so finite differences only work at
        // rate 0; the test above proves backward reuses the recorded mask exactly.
        SpatialDropout1D d = built(new SpatialDropout1D(0.0), 3, 2);
        GradientCheck.check(d, GradientCheck.randn(1, 1f, 1, 3, 2), null, true);
    }

    @Test
    void globalAveragePoolingRespectsTheMask() {
        GlobalAveragePooling1D g = built(new GlobalAveragePooling1D(), 3, 2);
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 3, 2);
        assertArrayEquals(new float[] {3, 4, 9, 10}, g.forward(x).data());
        Mask m = new Mask(new boolean[] {true, true, false, false, false, true}, 2, 3);
        assertArrayEquals(new float[] {2, 3, 11, 12}, g.forward(x, m, false).data());
        assertNull(g.computeMask(x, m));
        GradientCheck.check(g, GradientCheck.randn(2, 1f, 2, 3, 2), m, true);
        GlobalAveragePooling1D keep = built(new GlobalAveragePooling1D().keepdims(true), 1, 4);
        assertArrayEquals(new int[] {1, 4}, keep.outputShape());
        GradientCheck.check(keep, GradientCheck.randn(4, 1f, 1, 1, 4), null, true);
        // Keras divides by the number of real steps: a fully padded row is 0/0.
        Mask none = new Mask(new boolean[] {false, false, false, true, true, true}, 2, 3);
        assertTrue(Float.isNaN(g.forward(x, none, false).data()[0]));
    }

    @Test
    void globalMaxPooling() {
        GlobalMaxPooling1D g = built(new GlobalMaxPooling1D(), 4, 3);
        Tensor x = PoolingTest.distinct(6, 2, 4, 3);
        GradientCheck.check(g, x, null, true);
        GradientCheck.check(built(new GlobalMaxPooling1D().keepdims(true), 1, 2), PoolingTest.distinct(7, 1, 1, 2), null, true);
        assertArrayEquals(new float[] {3, 4, 0},
                g.forward(Tensor.of(new float[] {1, 4, 0, 3, 2, -1, 0, 0, 0, -5, -5, -5}, 1, 4, 3)).data());
        assertNull(g.computeMask(x, new Mask(new boolean[8], 2, 4)));
    }

    @Test
    void activationLayer() {
        Activation a = built(new Activation("tanh"), 3, 4);
        GradientCheck.check(a, GradientCheck.randn(8, 1f, 2, 3, 4), null, true);
        Activation s = built(new Activation("softmax"), 3);
        Tensor y = s.forward(Tensor.of(new float[] {1, 2, 3, 0, 0, 0}, 2, 3));
        assertEquals(1f, y.data()[0] + y.data()[1] + y.data()[2], 1e-6f);
        assertEquals(1f / 3, y.data()[4], 1e-6f);
        GradientCheck.check(s, GradientCheck.randn(9, 1f, 1, 3), null, true);
        assertEquals("softmax", s.config().get("activation"));
        Mask m = new Mask(new boolean[] {true, false, true}, 1, 3);
        assertSame(m, a.computeMask(Tensor.zeros(1, 3, 4), m));
        assertThrows(IllegalArgumentException.class, () -> new Activation("rleu"));
    }

    @Test
    void repeatVector() {
        RepeatVector r = built(new RepeatVector(3), 2);
        assertArrayEquals(new int[] {3, 2}, r.outputShape());
        assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2}, r.forward(Tensor.of(new float[] {1, 2}, 1, 2)).data());
        GradientCheck.check(r, GradientCheck.randn(10, 1f, 2, 2), null, true);
        GradientCheck.check(built(new RepeatVector(1), 3), GradientCheck.randn(11, 1f, 1, 3), null, true);
        assertEquals(3, r.config().get("n"));
        var e = assertThrows(LayerShapeException.class, () -> new RepeatVector(2).name("rep").build(new int[] {3, 4}, new Rng(1)));
        assertTrue(e.getMessage().contains("'rep'") && e.getMessage().contains("(None, 3, 4)"), e.getMessage());
    }

    @Test
    void maskingZeroesAndMasksPaddedSteps() {
        Masking m = built(new Masking(), 3, 2);
        Tensor x = Tensor.of(new float[] {1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 3}, 2, 3, 2);
        assertArrayEquals(new boolean[] {true, false, true, false, false, true}, m.computeMask(x, null).values());
        Masking minusOne = built(new Masking(-1), 2, 2);
        Tensor y = minusOne.forward(Tensor.of(new float[] {-1, -1, -1, 5}, 1, 2, 2));
        assertArrayEquals(new float[] {0, 0, -1, 5}, y.data());
        assertEquals(-1.0, minusOne.config().get("mask_value"));
        // Any probe of a padded step unmasks it (a jump), so finite differences run on real steps
        // and the padded steps' zero gradient is checked exactly.
        GradientCheck.check(m, GradientCheck.randn(13, 1f, 2, 3, 2), null, true);
        m.forward(x, null, true);
        assertArrayEquals(new float[] {1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1}, m.backward(Tensor.full(1f, 2, 3, 2)).data());
    }

    @Test
    void reshape() {
        Reshape r = built(new Reshape(3, -1), 2, 3);
        assertArrayEquals(new int[] {3, 2}, r.outputShape());
        GradientCheck.check(r, GradientCheck.randn(12, 1f, 2, 2, 3), null, true);
        assertEquals(List.of(3, -1), r.config().get("target_shape"));
        assertArrayEquals(new int[] {-1, 2}, built(new Reshape(-1, 2), -1, 4).outputShape());
        var e = assertThrows(LayerShapeException.class, () -> new Reshape(4, 2).name("rs").build(new int[] {3, 3}, new Rng(1)));
        assertTrue(e.getMessage().contains("'rs'") && e.getMessage().contains("(None, 3, 3)")
                && e.getMessage().contains("(4, 2)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Reshape(-1, -1));
    }
}
