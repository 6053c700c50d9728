package org.rnn4j.layers.normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rnn4j.testing.GradientCheck.randn;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

class LayerNormalizationTest {
    private static LayerNormalization built(LayerNormalization l, int... sample) {
        l.build(sample, new Rng(1));
        Rng rng = new Rng(2);
        for (Variable v : l.weights()) {
            float[] d = v.value().data();
            for (int i = 0; i < d.length; i++) {
                d[i] += (float) (0.3 * rng.normal());
            }
        }
        return l;
    }

    @Test
    void gradientsLastAxis() {
        GradientCheck.check(built(new LayerNormalization(), 5, 6), randn(1, 1.5f, 3, 5, 6), null, true);
    }

    @Test
    void gradientsTimeAxisAndTwoAxes() {
        GradientCheck.check(built(new LayerNormalization().axis(1), 5, 4), randn(2, 1.5f, 2, 5, 4), null, true);
        GradientCheck.check(built(new LayerNormalization().axis(-2, -1).epsilon(1e-5), 3, 4, 5),
                randn(3, 1.5f, 2, 3, 4, 5), null, true);
        GradientCheck.check(built(new LayerNormalization().axis(1, 3), 3, 4, 5), randn(4, 1.5f, 2, 3, 4, 5), null, true);
    }

    @Test
    void gradientsWithoutScaleOrCenter() {
        GradientCheck.check(built(new LayerNormalization().scale(false), 7), randn(5, 1f, 4, 7), null, true);
        GradientCheck.check(built(new LayerNormalization().center(false).scale(false), 2, 7), randn(6, 1f, 4, 2, 7),
                null, true);
    }

    @Test
    void weightsMasksAndErrors() {
        LayerNormalization l = new LayerNormalization().axis(-2, -1);
        l.build(new int[] {3, 4, 5}, new Rng(1));
        assertEquals(List.of("gamma", "beta"), l.weights().stream().map(Variable::name).toList());
        assertArrayEquals(new int[] {4, 5}, l.gamma().shape());
        Mask m = new Mask(new boolean[] {true, false}, 1, 2);
        assertSame(m, new LayerNormalization().computeMask(Tensor.zeros(1, 2, 3), m));
        assertThrows(LayerShapeException.class, () -> new LayerNormalization().axis(0).build(new int[] {3}, new Rng(1)));
        assertThrows(LayerShapeException.class, () -> new LayerNormalization().axis(3).build(new int[] {3, 4}, new Rng(1)));
        LayerNormalization plain = new LayerNormalization().axis(-1).name("ln_plain");
        plain.build(new int[] {4}, new Rng(1));
        Tensor y = plain.forward(Tensor.of(new float[] {1, 2, 3, 4}, 1, 4));
        // (x - 2.5) / sqrt(1.25 + 1e-3)
        assertEquals((float) (-1.5 / Math.sqrt(1.251)), y.get(0, 0), 1e-6);
    }
}
