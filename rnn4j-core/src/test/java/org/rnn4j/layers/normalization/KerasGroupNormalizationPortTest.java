package org.rnn4j.layers.normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.regularizers.L1L2;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras 3.15.1's keras/src/layers/normalization/group_normalization_test.py: its literal-valued
 * assertions (same inputs, options and atol=1e-3) and its error cases. Not ported: the float16
 * autocast checks (rnn4j computes in float32 only) and the constraint case of run_layer_test
 * (constraints are rejected by name).
 */
class KerasGroupNormalizationPortTest {
    private static Tensor run(GroupNormalization l, float[] x, int... shape) {
        int[] sample = java.util.Arrays.copyOfRange(shape, 1, shape.length);
        l.build(sample, new Rng(1));
        return l.forward(Tensor.of(x, shape));
    }

    private static void assertAllClose(float[] want, Tensor got, double atol) {
        assertEquals(want.length, got.data().length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got.data()[i], atol, "element " + i);
        }
    }

    private static GroupNormalization plain(int groups, int axis) {
        return new GroupNormalization().groups(groups).axis(axis).scale(false).center(false);
    }

    /** test_groupnorm: shapes, weight count and the two regularizer losses. */
    @Test
    void groupnorm() {
        GroupNormalization l = new GroupNormalization().gammaRegularizer(L1L2.l2(0.01f))
                .betaRegularizer(L1L2.l2(0.01f));
        l.build(new int[] {4, 32}, new Rng(1));
        assertArrayEquals(new int[] {4, 32}, l.computeOutputShape(new int[] {4, 32}));
        assertEquals(2, l.weights().size());
        assertTrue(l.weights().stream().allMatch(v -> v.trainable() && v.regularizer() != null));
        GroupNormalization four = new GroupNormalization().groups(4);
        four.build(new int[] {4, 4}, new Rng(1));
        assertEquals(2, four.weights().size());
    }

    @Test
    void undefinedDimError() {
        LayerShapeException e = assertThrows(LayerShapeException.class,
                () -> new GroupNormalization().computeOutputShape(new int[] {2, 2, 2, -1}));
        assertTrue(e.getMessage().contains("input tensor should have a defined dimension but the layer received an input with shape"));
    }

    @Test
    void groupsBiggerThanDimAndNotAMultiple() {
        Exception big = assertThrows(IllegalArgumentException.class,
                () -> new GroupNormalization().groups(5).build(new int[] {2, 2, 4}, new Rng(1)));
        assertTrue(big.getMessage().contains("cannot be more than the number of channels"), big.getMessage());
        Exception multiple = assertThrows(IllegalArgumentException.class,
                () -> new GroupNormalization().groups(3).build(new int[] {2, 2, 4}, new Rng(1)));
        assertTrue(multiple.getMessage().contains("must be a multiple of the number of channels"), multiple.getMessage());
    }

    @Test
    void groupsRejectsInvalidValues() {
        for (int bad : new int[] {0, -2}) {
            Exception e = assertThrows(IllegalArgumentException.class, () -> new GroupNormalization().groups(bad));
            assertTrue(e.getMessage().contains("argument `groups`"));
        }
        new GroupNormalization().groups(-1);
    }

    private static final float[] INSTANCE_IN = {-1, 1, 0, 2, 1, 3, -4, -2};

    @Test
    void groupsInstanceNorm() {
        Tensor a = run(plain(-1, -1), INSTANCE_IN, 1, 2, 4);
        Tensor b = run(plain(4, -1), INSTANCE_IN, 1, 2, 4);
        assertTrue(a.maxAbsDiff(b) <= 1e-6);
    }

    @Test
    void correctnessInstanceNorm() {
        assertAllClose(new float[] {-1, -1, 1, 1, 1, 1, -1, -1}, run(plain(4, -1), INSTANCE_IN, 1, 2, 4), 1e-3);
    }

    @Test
    void correctness1d() {
        float[] in = {-1, -1, 1, 1, 2, 2, 0, -2};
        assertAllClose(new float[] {-0.898f, -0.898f, 0.539f, 0.539f, 1.257f, 1.257f, -0.180f, -1.616f},
                run(plain(1, -1), in, 1, 8), 1e-3);
        assertAllClose(new float[] {-1, -1, 1, 1, 0.904f, 0.904f, -0.301f, -1.507f}, run(plain(2, 1), in, 1, 8), 1e-3);
    }

    @Test
    void correctness2d() {
        float[] in = {-1, -1, 2, 2, 1, 1, 0, -2};
        assertAllClose(new float[] {-0.898f, -0.898f, 1.257f, 1.257f, 0.539f, 0.539f, -0.180f, -1.616f},
                run(plain(1, -1), in, 1, 2, 4), 1e-3);
        assertAllClose(new float[] {-1, -1, 0.904f, 0.904f, 1, 1, -0.301f, -1.507f}, run(plain(2, 2), in, 1, 2, 4), 1e-3);
    }

    @Test
    void broadcasting2dChannelsFirst() {
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) {
            x[i] = i;
        }
        float[] block = {-1.5274f, -1.0910f, -0.6546f, -0.2182f, 0.2182f, 0.6546f, 1.0910f, 1.5274f};
        float[] want = new float[16];
        System.arraycopy(block, 0, want, 0, 8);
        System.arraycopy(block, 0, want, 8, 8);
        assertAllClose(want, run(new GroupNormalization().groups(2).axis(1), x, 1, 4, 2, 2), 1e-3);
    }
}
