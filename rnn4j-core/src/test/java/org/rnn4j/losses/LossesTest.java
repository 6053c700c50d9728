package org.rnn4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

class LossesTest {
    private static final Tensor T = Tensor.of(new float[] {0f, 1f, 0.5f, 2f, -1f, 0.25f}, 2, 3);
    private static final Tensor P = Tensor.of(new float[] {0.2f, 0.7f, 1.9f, 1.5f, -0.5f, 0.3f}, 2, 3);
    private static final Tensor TB = Tensor.of(new float[] {0, 1, 1, 1, 0, 0}, 2, 3);
    private static final Tensor PB = Tensor.of(new float[] {0.1f, 0.8f, 0.6f, 0.7f, 0.3f, 1e-9f}, 2, 3);
    private static final Tensor Z = Tensor.of(new float[] {-2f, 1.5f, 0.3f, 0.7f, -0.2f, 4f}, 2, 3);
    private static final Tensor TC = Tensor.of(new float[] {0, 1, 0, 1, 0, 0}, 2, 3);
    private static final Tensor PC = Tensor.of(new float[] {0.2f, 0.5f, 0.3f, 0.6f, 0.3f, 0.3f}, 2, 3);

    /** Values printed by Keras 3.15 for the same inputs. */
    @Test
    void valuesMatchKeras() {
        assertEquals(0.432083338, new MeanSquaredError().compute(T, P), 1e-6);
        assertEquals(0.491666675, new MeanAbsoluteError().compute(T, P), 1e-6);
        assertEquals(33333400, new MeanAbsolutePercentageError().compute(T, P), 33333400 * 1e-6);
        assertEquals(0.202708334, new Huber().compute(T, P), 1e-6);
        assertEquals(0.178595483, new LogCosh().compute(T, P), 1e-6);
        assertEquals(0.258779943, new BinaryCrossentropy().compute(TB, PB), 1e-6);
        assertEquals(0.983695269, new BinaryCrossentropy(true).compute(TB, Z), 1e-6);
        assertEquals(0.440460563, new BinaryCrossentropy(false, 0.1).compute(TB, PB), 1e-6);
        assertEquals(0.693147182, new CategoricalCrossentropy().compute(TC, PC), 1e-6);
        assertEquals(1.81840122, new CategoricalCrossentropy(true).compute(TC, Z), 1e-6);
        assertEquals(0.786927581, new CategoricalCrossentropy(false, 0.2).compute(TC, PC), 1e-6);
        assertEquals(0.693147182, new SparseCategoricalCrossentropy().compute(Tensor.of(new float[] {1, 0}, 2), PC), 1e-6);
        assertEquals(0.168401241, new SparseCategoricalCrossentropy(true)
                .compute(Tensor.of(new float[] {1, 2}, 2, 1), Z), 1e-6);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(3);
        int[][] shapes = {{4, 3}, {1, 1}, {2, 5, 3}};
        for (int[] shape : shapes) {
            Tensor t = random(rng, shape, -2, 2);
            Tensor p = random(rng, shape, -2, 2);
            Tensor tPos = random(rng, shape, 0.5f, 2);
            Tensor probs = random(rng, shape, 0.05f, 0.95f);
            Tensor bits = bits(rng, shape);
            check(new MeanSquaredError(), t, p);
            check(new MeanAbsoluteError(), t, p);
            check(new MeanAbsolutePercentageError(), tPos, p);
            check(new Huber(), t, p);
            check(new Huber(0.3), t, p);
            check(new LogCosh(), t, p);
            check(new BinaryCrossentropy(), bits, probs);
            check(new BinaryCrossentropy(false, 0.2), bits, probs);
            check(new BinaryCrossentropy(true), bits, p);
            Tensor oneHot = oneHot(rng, shape);
            check(new CategoricalCrossentropy(), oneHot, probs);
            check(new CategoricalCrossentropy(true), oneHot, p);
            check(new CategoricalCrossentropy(true, 0.1), oneHot, p);
            check(new CategoricalCrossentropy(false, 0.1), oneHot, probs);
            Tensor labels = labels(oneHot);
            check(new SparseCategoricalCrossentropy(), labels, probs);
            check(new SparseCategoricalCrossentropy(true), labels, p);
            check(new BinaryFocalCrossentropy(), bits, probs);
            check(new BinaryFocalCrossentropy(true, 0.3, 1.5, false, 0.1), bits, probs);
            check(new BinaryFocalCrossentropy(false, 0.25, 3.0, true, 0), bits, p);
            check(new BinaryFocalCrossentropy(true, 0.4, 0.0, true, 0.2), bits, p);
            check(new CategoricalFocalCrossentropy(), oneHot, probs);
            check(new CategoricalFocalCrossentropy(0.5, 1.0, true, 0.1), oneHot, p);
            if (shape[shape.length - 1] == 3) {
                check(new CategoricalFocalCrossentropy(new double[] {0.1, 0.2, 0.7}, 2.0, false, 0.0), oneHot, probs);
            }
            // sample weights (per sample, per timestep, scalar) under every reduction
            int[] vShape = java.util.Arrays.copyOf(shape, shape.length - 1);
            Tensor perValue = random(rng, vShape, 0f, 2f);
            Tensor perSample = random(rng, new int[] {shape[0], 1}, 0f, 2f);
            for (String reduction : new String[] {"sum_over_batch_size", "sum", "mean_with_sample_weight", "none"}) {
                for (Tensor sw : new Tensor[] {perValue, perSample, Tensor.of(new float[] {1.7f})}) {
                    check(new MeanSquaredError().reduction(reduction), t, p, sw);
                    check(new Huber(0.5).reduction(reduction), t, p, sw);
                    check(new BinaryCrossentropy(true, 0.1).reduction(reduction), bits, p, sw);
                    check(new CategoricalCrossentropy(false, 0.1).reduction(reduction), oneHot, probs, sw);
                    check(new SparseCategoricalCrossentropy(true).reduction(reduction), labels, p, sw);
                    check(new CategoricalFocalCrossentropy(0.25, 2.0, true, 0).reduction(reduction), oneHot, p, sw);
                }
            }
            // ignore_class: the ignored positions get zero gradient and leave the mean
            Tensor withIgnored = labels.copy();
            withIgnored.data()[0] = -1;
            for (String reduction : new String[] {"sum_over_batch_size", "sum", "mean_with_sample_weight", "none"}) {
                check(new SparseCategoricalCrossentropy(true, -1).reduction(reduction), withIgnored, p, null);
                check(new SparseCategoricalCrossentropy(false, -1).reduction(reduction), withIgnored, probs, perValue);
            }
        }
    }

    static void check(Loss loss, Tensor t, Tensor p) {
        check(loss, t, p, null);
    }

    static void check(Loss loss, Tensor t, Tensor p, Tensor sw) {
        float[] gd = new float[p.size()];
        assertEquals(loss.compute(t, p, sw), loss.computeWithGradient(t, p, sw, gd), 1e-12);
        Tensor g = Tensor.of(gd, p.shape());
        float[] x = p.data();
        double eps = 1e-3;
        for (int i = 0; i < x.length; i++) {
            float saved = x[i];
            x[i] = (float) (saved + eps);
            double plus = loss.compute(t, p, sw);
            x[i] = (float) (saved - eps);
            double minus = loss.compute(t, p, sw);
            x[i] = saved;
            double numeric = (plus - minus) / (2 * eps);
            double err = Math.abs(numeric - g.data()[i]) / Math.max(1e-2, Math.abs(numeric) + Math.abs(g.data()[i]));
            assertTrue(err < 2e-3, loss.name() + "/" + loss.reduction() + " " + java.util.Arrays.toString(p.shape()) + "[" + i + "]: numeric "
                    + numeric + " vs analytic " + g.data()[i]);
        }
    }

    private static Tensor random(Rng rng, int[] shape, float lo, float hi) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = rng.uniform(lo, hi);
        }
        return t;
    }

    private static Tensor bits(Rng rng, int[] shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = rng.nextInt(2);
        }
        return t;
    }

    private static Tensor oneHot(Rng rng, int[] shape) {
        Tensor t = Tensor.zeros(shape);
        int c = shape[shape.length - 1];
        for (int r = 0; r < t.size() / c; r++) {
            t.data()[r * c + rng.nextInt(c)] = 1f;
        }
        return t;
    }

    private static Tensor labels(Tensor oneHot) {
        int[] s = oneHot.shape();
        int c = s[s.length - 1];
        float[] l = new float[oneHot.size() / c];
        for (int r = 0; r < l.length; r++) {
            for (int j = 0; j < c; j++) {
                if (oneHot.data()[r * c + j] == 1f) {
                    l[r] = j;
                }
            }
        }
        return Tensor.of(l, java.util.Arrays.copyOf(s, s.length - 1));
    }

    @Test
    void identifiersFollowKeras() {
        assertTrue(Losses.get("mse") instanceof MeanSquaredError);
        assertTrue(Losses.get("MSE") instanceof MeanSquaredError);
        assertTrue(Losses.get("MeanSquaredError") instanceof MeanSquaredError);
        assertTrue(Losses.get("mae") instanceof MeanAbsoluteError);
        assertTrue(Losses.get("mape") instanceof MeanAbsolutePercentageError);
        assertTrue(Losses.get("huber") instanceof Huber);
        assertTrue(Losses.get("log_cosh") instanceof LogCosh);
        assertTrue(Losses.get("bce") instanceof BinaryCrossentropy);
        assertTrue(Losses.get("sparse_categorical_crossentropy") instanceof SparseCategoricalCrossentropy);
        assertEquals("mean_squared_error", Losses.get("mse").name());
        assertEquals(1.0, ((Huber) Losses.get("huber")).delta());
    }

    @Test
    void unknownLossSuggestsClosestAndListsValidNames() {
        var e = assertThrows(IllegalArgumentException.class, () -> Losses.get("mean_squared_loss"));
        assertTrue(e.getMessage().startsWith("Unknown loss 'mean_squared_loss'. Did you mean 'mean_squared_error'?"),
                e.getMessage());
        assertTrue(e.getMessage().contains("categorical_crossentropy"), e.getMessage());
    }

    @Test
    void shapeMismatchNamesBothShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new MeanSquaredError().compute(Tensor.zeros(4, 2), Tensor.zeros(4, 3)));
        assertTrue(e.getMessage().contains("(4, 2)") && e.getMessage().contains("(4, 3)"), e.getMessage());
        // Keras's squeeze_or_expand: (4,) targets against (4, 1) predictions are fine
        assertEquals(0.0, new MeanSquaredError().compute(Tensor.zeros(4), Tensor.zeros(4, 1)));
        var bad = assertThrows(IllegalArgumentException.class, () -> new SparseCategoricalCrossentropy()
                .compute(Tensor.of(new float[] {3}, 1), Tensor.of(new float[] {0.5f, 0.5f}, 1, 2)));
        assertTrue(bad.getMessage().contains("label 3.0"), bad.getMessage());
    }
}
