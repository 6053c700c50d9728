package org.rnn4j.layers.normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * UnitNormalization: the literal-valued assertions of Keras 3.15's
 * normalization/unit_normalization_test.py, gradient checks and config round trips.
 */
class UnitNormalizationTest {
    private static UnitNormalization built(UnitNormalization l, int... shape) {
        l.build(shape, new Rng(1));
        return l;
    }

    private static double squaredL2(Tensor y, int... fixed) {
        // sum of squares over the elements whose leading coordinates equal `fixed` (-1 = any)
        int[] shape = y.shape();
        double s = 0;
        int[] c = new int[shape.length];
        for (int i = 0; i < y.size(); i++) {
            boolean take = true;
            for (int k = 0; k < fixed.length; k++) {
                take &= fixed[k] == -1 || fixed[k] == c[k];
            }
            if (take) {
                s += (double) y.data()[i] * y.data()[i];
            }
            for (int ax = shape.length - 1; ax >= 0; ax--) {
                if (++c[ax] < shape[ax]) {
                    break;
                }
                c[ax] = 0;
            }
        }
        return s;
    }

    @Test
    void basics() {  // test_un_basics: axis -1 on (2, 3) and axis (1, 2) on (1, 3, 3)
        UnitNormalization a = built(new UnitNormalization().axis(-1), 3);
        assertArrayEquals(new int[] {2, 3}, a.forward(GradientCheck.randn(1, 1f, 2, 3)).shape());
        UnitNormalization b = built(new UnitNormalization().axes(1, 2), 3, 3);
        assertArrayEquals(new int[] {1, 3, 3}, b.forward(GradientCheck.randn(1, 1f, 1, 3, 3)).shape());
        assertEquals(0, a.weights().size());
        Tensor x = GradientCheck.randn(1, 1f, 2, 3);
        Mask m = new Mask(new boolean[] {true, false}, 2, 1);
        assertSame(m, a.computeMask(x, m), "supports_masking=True");
    }

    @Test
    void invalidAxis() {  // test_invalid_axis: axis={"axis": -1}
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("axis", Map.of("axis", -1));
        Exception e = assertThrows(Exception.class, () -> LayerRegistry.fromConfig("UnitNormalization", c));
        String msg = e.getMessage() + (e.getCause() == null ? "" : e.getCause().getMessage());
        assertTrue(msg.contains("expected an int or a list/tuple of ints"), msg);
        assertThrows(LayerShapeException.class, () -> built(new UnitNormalization().axis(3), 3, 3));
    }

    @Test
    void correctness() {  // test_correctness: 8 assertAllClose(squared_l2_norm(...), 1.0)
        Tensor y = new UnitNormalization().axis(-1).forward(GradientCheck.randn(2, 1f, 2, 3));
        assertEquals(1.0, squaredL2(y, 0), 1e-6);
        assertEquals(1.0, squaredL2(y, 1), 1e-6);
        y = new UnitNormalization().axes(1, 2).forward(GradientCheck.randn(3, 1f, 2, 3, 3));
        assertEquals(1.0, squaredL2(y, 0), 1e-6);
        assertEquals(1.0, squaredL2(y, 1), 1e-6);
        Tensor x = GradientCheck.randn(4, 1f, 2, 3, 2);
        y = new UnitNormalization().axis(1).forward(x);
        for (int b = 0; b < 2; b++) {
            for (int k = 0; k < 2; k++) {
                double s = 0;
                for (int j = 0; j < 3; j++) {
                    s += y.get(b, j, k) * y.get(b, j, k);
                }
                assertEquals(1.0, s, 1e-6);
            }
        }
        assertEquals(x.get(1, 2, 1) / Math.sqrt(x.get(1, 0, 1) * x.get(1, 0, 1) + x.get(1, 1, 1) * x.get(1, 1, 1)
                + x.get(1, 2, 1) * x.get(1, 2, 1)), y.get(1, 2, 1), 1e-6);
    }

    @Test
    void zeroSliceStaysZeroAsKerasClampsTheInverseNorm() {
        Tensor x = Tensor.of(new float[] {0, 0, 0, 3, 4, 0}, 2, 3);
        Tensor y = new UnitNormalization().forward(x);
        assertArrayEquals(new float[] {0, 0, 0, 0.6f, 0.8f, 0}, y.data(), 1e-7f);
    }

    @Test
    void gradients() {
        GradientCheck.check(built(new UnitNormalization(), 4), GradientCheck.randn(5, 1f, 3, 4), null, true, 1e-3, 1e-3);
        GradientCheck.check(built(new UnitNormalization().axes(1, 2), 3, 2), GradientCheck.randn(6, 1f, 2, 3, 2),
                null, true, 1e-3, 1e-3);
        GradientCheck.check(built(new UnitNormalization().axis(0), 3), GradientCheck.randn(7, 1f, 2, 3), null, true,
                1e-3, 1e-3);
    }

    @Test
    void configRoundTrips() throws Exception {
        for (UnitNormalization l : List.of(new UnitNormalization().name("u1"), new UnitNormalization().axes(1, 2),
                new UnitNormalization().axis(1))) {
            Map<String, Object> cfg = l.config();
            assertEquals(cfg, LayerRegistry.fromConfig("UnitNormalization", new LinkedHashMap<>(cfg)).config());
        }
        assertEquals(-1, new UnitNormalization().config().get("axis"));
        assertEquals(List.of(1, 2), new UnitNormalization().axes(1, 2).config().get("axis"));
    }
}
