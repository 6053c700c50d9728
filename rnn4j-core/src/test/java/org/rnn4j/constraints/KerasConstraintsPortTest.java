package org.rnn4j.constraints;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras 3.15's keras/src/constraints/constraints_test.py, same inputs (the (100, 100) example array
 * is uniform in [-50, 50) with a 0 at [0, 0]; ours comes from our own generator) and tolerances.
 */
class KerasConstraintsPortTest {
    private static Tensor example() {
        Rng rng = new Rng(3537);
        Tensor t = Tensor.zeros(100, 100);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) (rng.nextDouble() * 100.0 - 50.0);
        }
        t.data()[0] = 0f;
        return t;
    }

    private static float[] columnNorms(Tensor t) {
        int rows = t.dim(0);
        int cols = t.dim(1);
        float[] n = new float[cols];
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (int i = 0; i < rows; i++) {
                s += (double) t.data()[i * cols + j] * t.data()[i * cols + j];
            }
            n[j] = (float) Math.sqrt(s);
        }
        return n;
    }

    private static Tensor applied(Constraint c, Tensor x) {
        Tensor y = x.copy();
        c.apply(y);
        return y;
    }

    @Test
    void maxNorm() {
        // Keras's x is the transpose of [[0,0,0],[1,0,0],[3,0,0],[3,3,3]]: one vector per column
        Tensor x = Tensor.of(new float[][] {{0, 1, 3, 3}, {0, 0, 0, 3}, {0, 0, 0, 3}});
        float r = (float) (2.0 / Math.sqrt(3));
        float[] want = {0, 1, 2, r, 0, 0, 0, r, 0, 0, 0, r};
        assertArrayEquals(want, applied(new MaxNorm(2.0, 0), x).data(), 1e-6f);
    }

    @Test
    void nonNeg() {
        Tensor y = applied(new NonNeg(), example());
        for (float v : y.data()) {
            assertTrue(v >= 0f);
        }
        assertArrayEquals(new float[25], applied(new NonNeg(), Tensor.full(-3f, 5, 5)).data());
        assertArrayEquals(Tensor.full(3f, 5, 5).data(), applied(new NonNeg(), Tensor.full(3f, 5, 5)).data());
        assertArrayEquals(new float[25], applied(new NonNeg(), Tensor.zeros(5, 5)).data());
    }

    @Test
    void unitNorm() {
        for (float n : columnNorms(applied(new UnitNorm(), example()))) {
            assertEquals(1f, n, 1e-6 + 1e-6);
        }
    }

    @Test
    void minMaxNorm() {
        for (float n : columnNorms(applied(new MinMaxNorm(0.2, 0.5, 1.0, 0), example()))) {
            assertTrue(n >= 0.2f && n <= 0.5f + 1e-6f, "norm " + n);
        }
    }

    @Test
    void getByName() {
        assertInstanceOf(UnitNorm.class, Constraints.get("unit_norm"));
        assertNull(Constraints.get(null));
        assertThrows(IllegalArgumentException.class, () -> Constraints.get("typo"));
    }

    @Test
    void configsRoundTrip() {
        Tensor x = example();
        Constraint[] cs = {new MaxNorm(3.0, 1), new UnitNorm(1), new MinMaxNorm(0.5, 2.0, 0.7, 1), new NonNeg()};
        Object[] want = {Map.of("max_value", 3.0, "axis", 1), Map.of("axis", 1),
            Map.of("min_value", 0.5, "max_value", 2.0, "rate", 0.7, "axis", 1), Map.of()};
        for (int i = 0; i < cs.length; i++) {
            assertEquals(want[i], cs[i].config());
            Constraint back = Constraints.get(Constraints.serialize(cs[i]));
            assertEquals(cs[i].getClass(), back.getClass());
            assertEquals(cs[i].config(), back.config());
            assertArrayEquals(applied(cs[i], x).data(), applied(back, x).data(), 1e-6f);
        }
    }
}
