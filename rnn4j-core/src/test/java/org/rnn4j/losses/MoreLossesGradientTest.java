package org.rnn4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.losses.LossesTest.check;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * The gradients of the hinge, cosine, KL, Dice/Tversky, Circle, generalized cross-entropy and CTC losses against
 * central differences (LossesTest's check, every reduction and weight shape), their registry names, configs
 * and errors.
 */
class MoreLossesGradientTest {
    private static final String[] REDUCTIONS = {"sum_over_batch_size", "sum", "mean_with_sample_weight", "none"};

    private static Tensor random(Rng rng, int[] shape, float lo, float hi) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = rng.uniform(lo, hi);
        }
        return t;
    }

    private static Tensor signs(Rng rng, int[] shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = rng.nextInt(2) * 2 - 1;
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

    private static Tensor labels(Rng rng, int[] shape, int classes) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = rng.nextInt(classes);
        }
        return t;
    }

    @Test
    void elementwiseAndRowLossGradients() {
        Rng rng = new Rng(13);
        for (int[] shape : new int[][] {{4, 3}, {1, 1}, {2, 5, 3}}) {
            Tensor p = random(rng, shape, -2, 2);
            Tensor probs = random(rng, shape, 0.05f, 0.95f);
            Tensor pm1 = signs(rng, shape);
            Tensor bits = Tensor.zeros(shape);
            for (int i = 0; i < bits.size(); i++) {
                bits.data()[i] = (pm1.data()[i] + 1) / 2; // 0/1 targets take Keras's -1/1 conversion
            }
            Tensor soft = random(rng, shape, 0.05f, 0.95f);
            Tensor oneHot = oneHot(rng, shape);
            int[] vShape = java.util.Arrays.copyOf(shape, shape.length - 1);
            Tensor perValue = random(rng, vShape, 0f, 2f);
            Tensor perSample = random(rng, new int[] {shape[0], 1}, 0f, 2f);
            for (String reduction : REDUCTIONS) {
                for (Tensor sw : new Tensor[] {null, perValue, perSample, Tensor.of(new float[] {1.7f})}) {
                    check(new Hinge().reduction(reduction), pm1, p, sw);
                    check(new Hinge().reduction(reduction), bits, p, sw);
                    check(new SquaredHinge().reduction(reduction), bits, p, sw);
                    check(new CategoricalHinge().reduction(reduction), oneHot, p, sw);
                    check(new KLDivergence().reduction(reduction), soft, probs, sw);
                    check(new CosineSimilarity().reduction(reduction), p, random(rng, shape, -2, 2), sw);
                }
            }
            // KL: a prediction outside [1e-7, 1] is clipped and gets no gradient
            Tensor out = probs.copy();
            out.data()[0] = 1.5f;
            check(new KLDivergence(), soft, out);
            assertEquals(0f, new KLDivergence().gradient(soft, out).data()[0]);
        }
    }

    @Test
    void overlapLossGradients() {
        Rng rng = new Rng(5);
        int[] shape = {2, 3, 4};
        Tensor t = random(rng, shape, 0, 1);
        Tensor p = random(rng, shape, 0.05f, 0.95f);
        Tensor perSample = random(rng, new int[] {2}, 0.5f, 2f);
        int[][] axes = {null, {1, 2}, {-1}, {0, 2}, {1}};
        for (int[] axis : axes) {
            for (String reduction : REDUCTIONS) {
                // a scalar loss (axis=None) times a (2,) weight broadcasts to the weight, as in Keras
                Tensor sw = axis == null || (axis.length == 2 && axis[0] == 1) ? perSample : null;
                check(new Dice(axis).reduction(reduction), t, p, sw);
                check(new Tversky(0.3, 0.7, axis).reduction(reduction), t, p, sw);
                check(new Tversky(0.5, 0.5, axis).reduction(reduction), t, p, null);
            }
        }
        assertArrayEquals(new int[] {3}, new Dice(0, 2).call(t, p).shape());
        assertArrayEquals(new int[] {}, new Dice().call(t, p).shape());
        // Keras: a scalar loss times weights w reduced by sum_over_batch_size is loss * mean(w)
        double loss = new Dice().compute(t, p);
        assertEquals(loss * (perSample.data()[0] + perSample.data()[1]) / 2, new Dice().compute(t, p, perSample), 1e-7);
        assertArrayEquals(new int[] {2}, new Dice().reduction(null).computeValues(t, p, perSample).shape());
    }

    @Test
    void circleGradients() {
        Rng rng = new Rng(21);
        int n = 6;
        int dim = 4;
        Tensor emb = random(rng, new int[] {n, dim}, -1, 1);
        for (int i = 0; i < n; i++) {   // unit rows, as Circle expects (UnitNormalization before it)
            double s = 0;
            for (int k = 0; k < dim; k++) {
                s += emb.data()[i * dim + k] * emb.data()[i * dim + k];
            }
            for (int k = 0; k < dim; k++) {
                emb.data()[i * dim + k] /= (float) Math.sqrt(s);
            }
        }
        Tensor labels = Tensor.of(new float[] {1, 1, 2, 2, 3, 1}, n);  // label 3 has no positive: masked out
        Tensor sw = random(rng, new int[] {n}, 0.5f, 2f);
        for (String reduction : REDUCTIONS) {
            for (Tensor w : new Tensor[] {null, sw}) {
                check(new Circle(2.0, 0.4, true).reduction(reduction), labels, emb, w);
                check(new Circle(4.0, 0.25, false).reduction(reduction), labels, emb, w);
                check(new Circle(1.0, 0.4, true).reduction(reduction), Tensor.of(labels.data(), n, 1), emb, w);
            }
        }
        // the masked sample leaves the mean: sum_over_batch_size divides by the 5 positive values
        Circle c = new Circle(2.0, 0.4, true);
        Tensor v = c.reduction(null).computeValues(labels, emb, null);
        assertEquals(0f, v.data()[4]);
        double sum = 0;
        for (float x : v.data()) {
            sum += x;
        }
        assertEquals(sum / 5, new Circle(2.0, 0.4, true).compute(labels, emb), 1e-6);
    }

    @Test
    void generalizedCrossEntropyGradients() {
        Rng rng = new Rng(8);
        int[] shape = {3, 4, 3};
        Tensor probs = random(rng, shape, 0.05f, 0.95f);
        Tensor labels = labels(rng, new int[] {3, 4}, 3);
        Tensor perValue = random(rng, new int[] {3, 4}, 0f, 2f);
        for (String reduction : REDUCTIONS) {
            for (Tensor sw : new Tensor[] {null, perValue, Tensor.of(new float[] {0.6f})}) {
                check(new CategoricalGeneralizedCrossEntropy().reduction(reduction), labels, probs, sw);
                check(new CategoricalGeneralizedCrossEntropy(0.9).reduction(reduction), labels, probs, sw);
            }
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> new CategoricalGeneralizedCrossEntropy().compute(Tensor.of(new float[] {0, 1, 2}, 3, 1), Tensor.zeros(3, 3)));
        assertTrue(e.getMessage().contains("(3, 1)") && e.getMessage().contains("give labels of shape (3,)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CategoricalGeneralizedCrossEntropy(1.0));
    }

    @Test
    void ctcGradients() {
        Rng rng = new Rng(17);
        Tensor logits = random(rng, new int[] {4, 7, 5}, -2, 2);
        // repeats (need a blank between), a 0 inside the first label_length labels, an empty row
        Tensor labels = Tensor.of(new float[] {1, 3, 3, 0, 2, 0, 4, 1, 4, 4, 1, 2, 0, 0, 0, 0}, 4, 4);
        Tensor sw = random(rng, new int[] {4}, 0.5f, 2f);
        for (String reduction : REDUCTIONS) {
            for (Tensor w : new Tensor[] {null, sw}) {
                check(new CTC().reduction(reduction), labels, logits, w);
            }
        }
        // labels that cannot fit the time steps: infinite loss, no gradient (TF reports ~709 there)
        Tensor tooLong = Tensor.of(new float[] {1, 1, 1, 1}, 1, 4);
        Tensor short3 = random(rng, new int[] {1, 3, 3}, -1, 1);
        float[] g = new float[short3.size()];
        assertEquals(Double.POSITIVE_INFINITY, new CTC().reduction(null).computeWithGradient(tooLong, short3, null, g));
        assertEquals(0f, g[0]);
        var e = assertThrows(IllegalArgumentException.class, () -> new CTC().compute(Tensor.zeros(2, 3, 1), Tensor.zeros(2, 3, 4)));
        assertTrue(e.getMessage().contains("(batch_size, max_length)"), e.getMessage());
    }

    @Test
    void registeredNamesAndConfigs() {
        Object[][] names = {
            {"hinge", Hinge.class}, {"Hinge", Hinge.class}, {"squared_hinge", SquaredHinge.class},
            {"SquaredHinge", SquaredHinge.class}, {"categorical_hinge", CategoricalHinge.class},
            {"CategoricalHinge", CategoricalHinge.class}, {"cosine_similarity", CosineSimilarity.class},
            {"CosineSimilarity", CosineSimilarity.class}, {"kl_divergence", KLDivergence.class},
            {"KLDivergence", KLDivergence.class}, {"kld", KLDivergence.class}, {"KLD", KLDivergence.class},
            {"dice", Dice.class}, {"Dice", Dice.class}, {"tversky", Tversky.class}, {"Tversky", Tversky.class},
            {"circle", Circle.class}, {"Circle", Circle.class}, {"ctc", CTC.class}, {"CTC", CTC.class},
        };
        for (Object[] n : names) {
            assertEquals(n[1], Losses.get((String) n[0]).getClass(), (String) n[0]);
        }
        // Keras 3.15's keras.losses.get rejects these (no string name); unknown names suggest the closest
        var e = assertThrows(IllegalArgumentException.class, () -> Losses.get("categorical_generalized_cross_entropy"));
        assertTrue(e.getMessage().startsWith("Unknown loss 'categorical_generalized_cross_entropy'. Did you mean"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.get("squared_hinje"));
        assertTrue(e.getMessage().startsWith("Unknown loss 'squared_hinje'. Did you mean 'squared_hinge'?"), e.getMessage());
        for (Object[] n : names) {
            assertTrue(e.getMessage().contains((String) n[0]), n[0] + " in " + e.getMessage());
        }
        // non-default options survive config -> fromConfig, with Keras's keys
        Loss tv = Losses.fromConfig(Map.of("class_name", "Tversky", "config",
                Map.of("name", "tv", "reduction", "sum", "alpha", 0.2, "beta", 0.8, "axis", List.of(1, 2))));
        assertEquals(List.of("name", "reduction", "alpha", "beta", "axis"), List.copyOf(tv.config().keySet()));
        assertEquals(Map.of("name", "tv", "reduction", "sum", "alpha", 0.2, "beta", 0.8, "axis", List.of(1, 2)), tv.config());
        Map<String, Object> dice = new java.util.LinkedHashMap<>(Map.of("name", "dice", "reduction", "sum_over_batch_size"));
        dice.put("axis", null);
        assertEquals(dice, Losses.fromConfig(Map.of("class_name", "Dice", "config", dice)).config());
        assertEquals(Map.of("name", "d", "reduction", "sum_over_batch_size", "axis", -1),
                Losses.fromConfig(Map.of("class_name", "Dice", "config", Map.of("name", "d", "axis", -1))).config());
        assertEquals(Map.of("name", "circle", "reduction", "mean", "gamma", 256.0, "margin", 0.25, "remove_diagonal", false),
                Losses.fromConfig(Map.of("class_name", "Circle", "config", Map.of("reduction", "mean", "gamma", 256,
                        "margin", 0.25, "remove_diagonal", false))).config());
        assertEquals(Map.of("name", "categorical_generalized_cross_entropy", "reduction", "sum_over_batch_size", "q", 0.1),
                Losses.fromConfig(Map.of("class_name", "CategoricalGeneralizedCrossEntropy", "config", Map.of("q", 0.1))).config());
        // Keras 3.15.1's configs (printed by get_config()) for the defaults
        assertEquals(Map.of("name", "hinge", "reduction", "sum_over_batch_size"), new Hinge().config());
        assertEquals(Map.of("name", "cosine_similarity", "reduction", "sum_over_batch_size"), new CosineSimilarity().config());
        assertEquals(Map.of("name", "kl_divergence", "reduction", "sum_over_batch_size"), new KLDivergence().config());
        assertEquals(Map.of("name", "tversky", "reduction", "sum_over_batch_size", "alpha", 0.5, "beta", 0.5), without(new Tversky().config(), "axis"));
        assertEquals(Map.of("name", "circle", "reduction", "sum_over_batch_size", "gamma", 80.0, "margin", 0.4,
                "remove_diagonal", true), new Circle().config());
    }

    private static Map<String, Object> without(Map<String, Object> m, String key) {
        assertTrue(m.containsKey(key) && m.get(key) == null, key + " in " + m);
        Map<String, Object> c = new java.util.HashMap<>(m);
        c.remove(key);
        return c;
    }

    @Test
    void clearErrors() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new CosineSimilarity(0).compute(Tensor.zeros(2, 3), Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("axis=0") && e.getMessage().contains("last axis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dice(3).compute(Tensor.zeros(2, 3), Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("axis 3 is out of bounds"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dice().compute(Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(3, 2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Circle().compute(Tensor.zeros(4), Tensor.zeros(4, 2, 2)));
        assertTrue(e.getMessage().contains("(batch, dim)"), e.getMessage());
        // Keras's squeeze_or_expand: (4,) targets against (4, 1) predictions are fine
        assertEquals(new Hinge().compute(Tensor.zeros(4, 1), Tensor.zeros(4, 1)), new Hinge().compute(Tensor.zeros(4), Tensor.zeros(4, 1)));
        Tensor a = Tensor.of(new float[] {1, 0, 1, 1}, 4, 1);
        Tensor b = Tensor.of(new float[] {0.5f, 0.2f, 0.9f, 0.1f}, 4, 1);
        assertEquals(new Dice().compute(a, b), new Dice().compute(Tensor.of(a.data(), 4), b));
    }
}
