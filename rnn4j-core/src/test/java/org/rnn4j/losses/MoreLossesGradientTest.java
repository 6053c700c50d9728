package org.rnn4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.losses.LossesTest.check;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * The gradients of the hinge, cosine and KL losses against
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
    void registeredNamesAndConfigs() {
        Object[][] names = {
            {"hinge", Hinge.class}, {"Hinge", Hinge.class}, {"squared_hinge", SquaredHinge.class},
            {"SquaredHinge", SquaredHinge.class}, {"categorical_hinge", CategoricalHinge.class},
            {"CategoricalHinge", CategoricalHinge.class}, {"cosine_similarity", CosineSimilarity.class},
            {"CosineSimilarity", CosineSimilarity.class}, {"kl_divergence", KLDivergence.class},
            {"KLDivergence", KLDivergence.class}, {"kld", KLDivergence.class}, {"KLD", KLDivergence.class},
        };
        for (Object[] n : names) {
            assertEquals(n[1], Losses.get((String) n[0]).getClass(), (String) n[0]);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Losses.get("squared_hinje"));
        assertTrue(e.getMessage().startsWith("Unknown loss 'squared_hinje'. Did you mean 'squared_hinge'?"), e.getMessage());
        for (Object[] n : names) {
            assertTrue(e.getMessage().contains((String) n[0]), n[0] + " in " + e.getMessage());
        }
        // Keras 3.15.1's configs (printed by get_config()) for the defaults
        assertEquals(Map.of("name", "hinge", "reduction", "sum_over_batch_size"), new Hinge().config());
        assertEquals(Map.of("name", "cosine_similarity", "reduction", "sum_over_batch_size"), new CosineSimilarity().config());
        assertEquals(Map.of("name", "kl_divergence", "reduction", "sum_over_batch_size"), new KLDivergence().config());
    }

    @Test
    void clearErrors() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new CosineSimilarity(0).compute(Tensor.zeros(2, 3), Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("axis=0") && e.getMessage().contains("last axis"), e.getMessage());
        // Keras's squeeze_or_expand: (4,) targets against (4, 1) predictions are fine
        assertEquals(new Hinge().compute(Tensor.zeros(4, 1), Tensor.zeros(4, 1)), new Hinge().compute(Tensor.zeros(4), Tensor.zeros(4, 1)));
    }
}
