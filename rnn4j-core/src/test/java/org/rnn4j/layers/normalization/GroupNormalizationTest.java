package org.rnn4j.layers.normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.testing.GradientCheck.randn;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/** Gradients, masks, weights, config and a direct per-group reference for {@link GroupNormalization}. */
class GroupNormalizationTest {
    static GroupNormalization built(GroupNormalization l, int... sample) {
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
    void gradientsChannelsLast() {
        GradientCheck.check(built(new GroupNormalization().groups(2), 5, 4), randn(1, 1.5f, 3, 5, 4), null, true);
        GradientCheck.check(built(new GroupNormalization().groups(3), 2, 3, 6), randn(2, 1.5f, 2, 2, 3, 6), null, true);
    }

    @Test
    void gradientsChannelsFirstInstanceAndNoAffine() {
        GradientCheck.check(built(new GroupNormalization().groups(2).axis(1), 4, 3), randn(3, 1.5f, 2, 4, 3), null, true);
        GradientCheck.check(built(new GroupNormalization().groups(-1).axis(-2), 3, 5, 2), randn(4, 1.5f, 2, 3, 5, 2),
                null, true);
        GradientCheck.check(built(new GroupNormalization().groups(1).scale(false).center(false), 3, 4),
                randn(5, 1f, 2, 3, 4), null, true);
        GradientCheck.check(built(new GroupNormalization().groups(2).scale(false), 6), randn(6, 1f, 4, 6), null, true);
    }

    /** Direct reference: mean and variance over each group's channels and all positions. */
    @Test
    void matchesAPerGroupReference() {
        GroupNormalization l = built(new GroupNormalization().groups(2).epsilon(1e-5), 3, 4);
        Tensor x = randn(7, 2f, 2, 3, 4);
        Tensor y = l.forward(x);
        float[] g = l.gamma().value().data();
        float[] b = l.beta().value().data();
        for (int s = 0; s < 2; s++) {
            for (int grp = 0; grp < 2; grp++) {
                double sum = 0;
                double sq = 0;
                for (int t = 0; t < 3; t++) {
                    for (int c = 2 * grp; c < 2 * grp + 2; c++) {
                        sum += x.get(s, t, c);
                    }
                }
                double mean = sum / 6;
                for (int t = 0; t < 3; t++) {
                    for (int c = 2 * grp; c < 2 * grp + 2; c++) {
                        sq += (x.get(s, t, c) - mean) * (x.get(s, t, c) - mean);
                    }
                }
                double rstd = 1 / Math.sqrt(sq / 6 + 1e-5);
                for (int t = 0; t < 3; t++) {
                    for (int c = 2 * grp; c < 2 * grp + 2; c++) {
                        assertEquals((x.get(s, t, c) - mean) * rstd * g[c] + b[c], y.get(s, t, c), 1e-5);
                    }
                }
            }
        }
    }

    /** Keras 3.15 passes the mask through and still counts masked steps in the statistics. */
    @Test
    void masksPassThroughAndDoNotChangeTheStatistics() {
        GroupNormalization l = built(new GroupNormalization().groups(2), 3, 4);
        Mask m = new Mask(new boolean[] {true, true, false, true, false, false}, 2, 3);
        Tensor x = randn(8, 1f, 2, 3, 4);
        assertSame(m, l.computeMask(x, m));
        assertArrayEquals(l.forward(x).data(), l.forward(x, m, false).data());
        GradientCheck.check(l, x, m, true);
    }

    @Test
    void weightsConfigAndInstanceGroups() {
        GroupNormalization l = new GroupNormalization().groups(-1).name("gn");
        l.build(new int[] {3, 4}, new Rng(1));
        assertEquals(List.of("gamma", "beta"), l.weights().stream().map(Variable::name).toList());
        assertArrayEquals(new int[] {4}, l.gamma().shape());
        assertEquals(8, l.countParams());
        Map<String, Object> c = l.config();
        assertEquals(4, c.get("groups"), "groups=-1 becomes the channel count when built, as Keras's build");
        assertEquals(-1, c.get("axis"));
        GroupNormalization back = GroupNormalization.fromConfig(c);
        assertEquals(4, back.groups());
        GroupNormalization noAffine = new GroupNormalization().groups(2).center(false).scale(false);
        noAffine.build(new int[] {4}, new Rng(1));
        assertTrue(noAffine.weights().isEmpty());
        assertThrows(LayerShapeException.class, () -> new GroupNormalization().groups(1).axis(3).build(new int[] {3, 4},
                new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> GroupNormalization.fromConfig(
                Map.of("groups", 2, "gamma_constraint", Map.of("class_name", "UnitNorm"))));
    }
}
