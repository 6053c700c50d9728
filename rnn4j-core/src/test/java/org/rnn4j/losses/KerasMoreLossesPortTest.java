package org.rnn4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.losses.KerasLossesPortTest.allClose;
import static org.rnn4j.losses.KerasLossesPortTest.almost;
import static org.rnn4j.losses.KerasLossesPortTest.almostAll;
import static org.rnn4j.losses.KerasLossesPortTest.reduced;
import static org.rnn4j.losses.KerasLossesPortTest.roundTrip;
import static org.rnn4j.losses.KerasLossesPortTest.t;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;

/**
 * Keras 3.15.1 losses_test.py's HingeTest, SquaredHingeTest, CategoricalHingeTest, CosineSimilarityTest,
 * KLDivergenceTest, DiceTest, TverskyTest, CircleTest, CategoricalGeneralizedCrossEntropyTest and CTCTest: every
 * assertion with an expected value, same inputs, options and tolerances ({@code assertAlmostEqual} decimal 3
 * unless given, {@code assertAllClose} atol = rtol = 1e-6). Not ported: each class's test_dtype_arg (bfloat16).
 * Where Keras's expected value is a numpy formula (CosineSimilarity, KLDivergence, GCE) the formula is
 * written out here in float64 from the test, not from rnn4j's code.
 */
class KerasMoreLossesPortTest {
    // the hinge tests' shared data
    private static final Tensor HT = t(new float[] {0, 1, 0, 0}, 2, 2);
    private static final Tensor HP = t(new float[] {0.6f, 0.4f, 0.4f, 0.6f}, 2, 2);
    private static final Tensor HSW = t(new float[] {1, 0}, 2);

    /** HingeTest / SquaredHingeTest / CategoricalHingeTest: 8 of 9 assertions each. */
    private static void hingeCase(Supplier<BaseLoss> make, double mean, double sum, double[] none,
            double wMean, double wSum, double[] wNone) {
        almost(mean, make.get().reduction("sum_over_batch_size").compute(HT, HP), 3);
        almost(sum, make.get().reduction("sum").compute(HT, HP), 3);
        allClose(none, make.get().reduction(null).computeValues(HT, HP, null));
        var e = assertThrows(IllegalArgumentException.class, () -> make.get().reduction("abc"));
        assertTrue(e.getMessage().contains("Invalid value for argument"), e.getMessage());
        almost(wMean, make.get().reduction("sum_over_batch_size").compute(HT, HP, HSW), 3);
        almost(wSum, make.get().reduction("sum").compute(HT, HP, HSW), 3);
        almostAll(wNone, make.get().reduction(null).computeValues(HT, HP, HSW), 7);
        assertEquals(0.0, make.get().compute(HT, HP, 0.0));
    }

    @Test
    void hinge() {
        hingeCase(Hinge::new, 1.3, 2.6, new double[] {1.1, 1.5}, 0.55, 1.1, new double[] {1.1, 0.0});
    }

    @Test
    void squaredHinge() {
        hingeCase(SquaredHinge::new, 1.86, 3.72, new double[] {1.46, 2.26}, 0.73, 1.46, new double[] {1.46, 0.0});
    }

    @Test
    void categoricalHinge() {
        hingeCase(CategoricalHinge::new, 1.4, 2.8, new double[] {1.2, 1.6}, 0.6, 1.2, new double[] {1.2, 0.0});
    }

    // ---- CosineSimilarityTest: 9 of 10
    private static final float[] CT = {1, 9, 2, -5, -2, 6};
    private static final float[] CP = {4, 8, 12, 8, 1, 3};

    /** The test's l2_norm: x / sqrt(max(sum(x^2), 1e-12)) over rows of {@code n}. */
    private static double[] l2(float[] x, int n) {
        double[] out = new double[x.length];
        for (int r = 0; r < x.length / n; r++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += (double) x[r * n + j] * x[r * n + j];
            }
            for (int j = 0; j < n; j++) {
                out[r * n + j] = x[r * n + j] / Math.sqrt(Math.max(s, 1e-12));
            }
        }
        return out;
    }

    /** np.sum(l2(t) * l2(p), axis) per row. */
    private static double[] similarity(int n) {
        double[] a = l2(CT, n);
        double[] b = l2(CP, n);
        double[] out = new double[CT.length / n];
        for (int i = 0; i < a.length; i++) {
            out[i / n] += a[i] * b[i];
        }
        return out;
    }

    private static double negMean(double[] v, double[] w) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += v[i] * w[i];
        }
        return -s / v.length;
    }

    @Test
    void cosineSimilarity() {
        BaseLoss named = new CosineSimilarity(2).reduction("sum").name("cosine_loss");
        assertEquals("cosine_loss", named.name());
        assertEquals("sum", named.reduction());
        assertEquals(Map.of("name", "cosine_loss", "reduction", "sum"), named.config());
        Tensor yt = t(CT, 2, 3);
        Tensor yp = t(CP, 2, 3);
        double[] sim = similarity(3);
        almost(negMean(sim, new double[] {1, 1}), new CosineSimilarity().compute(yt, yp), 3);
        almost(negMean(sim, new double[] {2.3, 2.3}), new CosineSimilarity().compute(yt, yp, 2.3), 3);
        almost(negMean(sim, new double[] {1.2, 3.4}), new CosineSimilarity().compute(yt, yp, t(new float[] {1.2f, 3.4f}, 2)), 3);
        double[] perStep = similarity(1);
        almost(negMean(perStep, new double[] {3, 6, 5, 0, 4, 2}),
                new CosineSimilarity().compute(t(CT, 2, 3, 1), t(CP, 2, 3, 1), t(new float[] {3, 6, 5, 0, 4, 2}, 2, 3)), 3);
        almost(0.0, new CosineSimilarity().compute(yt, yp, 0), 3);
        almost(negMean(sim, new double[] {1, 1}), new CosineSimilarity(1).compute(yt, yp), 3);
    }

    // ---- KLDivergenceTest: 8 of 9
    private static final float[] KP = {0.4f, 0.9f, 0.12f, 0.36f, 0.3f, 0.4f};
    private static final float[] KT = {0.5f, 0.8f, 0.12f, 0.7f, 0.43f, 0.8f};

    private static double klTerm(int i) {
        return KT[i] * Math.log((double) KT[i] / KP[i]);
    }

    @Test
    void klDivergence() {
        BaseLoss named = new KLDivergence().reduction("sum").name("kld");
        assertEquals("kld", named.name());
        assertEquals("sum", named.reduction());
        Tensor yt = t(KT, 2, 3);
        Tensor yp = t(KP, 2, 3);
        double sum = 0;
        double weighted = 0;
        double timestep = 0;
        float[] ts = {3, 6, 5, 0, 4, 2};
        for (int i = 0; i < 6; i++) {
            sum += klTerm(i);
            weighted += klTerm(i) * (i < 3 ? 1.2f : 3.4f);
            timestep += klTerm(i) * ts[i];
        }
        almost(sum / 2, new KLDivergence().compute(yt, yp), 3);
        KLDivergence k = new KLDivergence();
        double scalar = k.compute(yt, yp, 2.3);
        almost(2.3 * sum / 2, scalar, 3);
        almost(scalar, k.compute(yt, yp, 2.3), 3);
        almost(weighted / 2, new KLDivergence().compute(yt, yp, t(new float[] {1.2f, 3.4f}, 2, 1)), 3);
        almost(timestep / 6, new KLDivergence().compute(t(KT, 2, 3, 1), t(KP, 2, 3, 1), t(ts, 2, 3)), 3);
        almost(0.0, new KLDivergence().compute(yt, yp, 0), 3);
    }

    // ---- DiceTest: 4 of 5; TverskyTest: 7 of 8
    private static final Tensor DT = t(new float[] {1, 2, 1, 2}, 2, 2);
    private static final Tensor DP = t(new float[] {4, 1, 6, 1}, 2, 2);
    private static final Tensor SEG_T = t(new float[] {1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1}, 4, 4);
    private static final Tensor SEG_P = t(new float[] {0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1}, 4, 4);
    private static final Tensor IMG_T = t(new float[] {1, 1, 0, 0, 1, 1, 0, 0}, 2, 2, 2, 1);
    private static final Tensor IMG_P = t(new float[] {0, 1, 0, 1, 0.4f, 0, 0, 0.9f}, 2, 2, 2, 1);

    private static void close(double expected, double actual) {
        assertEquals(expected, actual, 1e-6 + 1e-6 * Math.abs(expected));
    }

    @Test
    void dice() {
        roundTrip(new Dice().name("mydice"));
        close(-0.55555546, new Dice().compute(DT, DP));
        close(0.77777773, new Dice().compute(SEG_T, SEG_P));
        Tensor v = new Dice(1, 2, 3).reduction(null).computeValues(IMG_T, IMG_P, null);
        assertArrayEquals(new int[] {2}, v.shape());
        allClose(new double[] {0.5, 0.75757575}, v);
    }

    @Test
    void tversky() {
        roundTrip(new Tversky().name("mytversky"));
        close(-0.55555546, new Tversky().compute(DT, DP));
        close(-0.29629636, new Tversky(0.2, 0.8).compute(DT, DP));
        close(0.77777773, new Tversky().compute(SEG_T, SEG_P));
        allClose(new double[] {0.5, 0.75757575}, new Tversky(0.5, 0.5, 1, 2, 3).reduction(null).computeValues(IMG_T, IMG_P, null));
        close(0.7916667, new Tversky(0.2, 0.8).compute(SEG_T, SEG_P));
        allClose(new double[] {0.5, 0.7222222}, new Tversky(0.2, 0.8, 1, 2, 3).reduction(null).computeValues(IMG_T, IMG_P, null));
    }

    // ---- CircleTest: 8 of 9
    private static final Tensor CIRCLE_T = t(new float[] {1, 1, 2, 2, 3}, 5);
    private static final Tensor CIRCLE_P = t(new float[] {
        0.70014004f, -0.42008403f, 0.14002801f, 0.56011203f,
        0.17609018f, 0.70436073f, -0.52827054f, 0.44022545f,
        -0.34050261f, 0.25537696f, -0.68100522f, 0.59587957f,
        0.32163376f, -0.75047877f, 0.53605627f, -0.21442251f,
        0.51261459f, -0.34174306f, 0.17087153f, 0.76892189f}, 5, 4);
    private static final Tensor REF_T = t(new float[] {1, 1, 2, 2, 3, 4}, 6);
    private static final Tensor REF_P = t(new float[] {
        0.40824829f, -0.54433105f, 0.27216553f, 0.68041382f,
        0.76376261f, 0.10910895f, -0.54554473f, 0.32732684f,
        -0.74420841f, 0.24806947f, 0.49613894f, -0.3721042f,
        0.52981294f, -0.13245324f, 0.79471941f, -0.26490647f,
        0.54554473f, -0.32732684f, 0.10910895f, 0.76376261f,
        -0.27216553f, 0.68041382f, 0.40824829f, -0.54433105f}, 6, 4);
    private static final Tensor CIRCLE_SW = t(new float[] {2, 2, 1, 1, 0.5f}, 5);

    @Test
    void circle() {
        roundTrip(new Circle(80.0, 0.4, true).name("mycircle"));
        almost(188.3883, new Circle(80.0, 0.4, true).compute(CIRCLE_T, CIRCLE_P), 3);
        almost(652.7617, new Circle(256, 0.25, true).compute(CIRCLE_T, CIRCLE_P), 3);
        allClose(new double[] {61.5844, 94.3465, 276.9344, 90.9873, 48.8963},
                Circle.circle(CIRCLE_T, CIRCLE_P, REF_T, REF_P, false, 80.0, 0.4));
        almost(244.91918, new Circle().compute(CIRCLE_T, CIRCLE_P, CIRCLE_SW), 3);
        allClose(new double[] {82.9116, 36.7942, 92.4590, 52.6798, 0.0, 0.0},
                new Circle().reduction(null).computeValues(REF_T, REF_P, null));
        almost(264.845, new Circle().reduction("sum").compute(REF_T, REF_P), 3);
        almost(163.27948, new Circle().reduction("mean_with_sample_weight").compute(CIRCLE_T, CIRCLE_P, CIRCLE_SW), 3);
    }

    // ---- CategoricalGeneralizedCrossEntropyTest: 10 of 11
    private static double gce(double p, double q) {
        return (1 - Math.pow(p, q)) / q;
    }

    @Test
    void categoricalGeneralizedCrossEntropy() {
        roundTrip(new CategoricalGeneralizedCrossEntropy().name("gce"));
        roundTrip(new CategoricalGeneralizedCrossEntropy(0.1).name("gce"));
        Tensor labels = t(new float[] {0, 1, 0, 1}, 4);
        Tensor binary = t(new float[] {0.7f, 0.3f, 0.2f, 0.8f, 0.6f, 0.4f, 0.4f, 0.6f}, 4, 2);
        close((gce(0.7, 0.5) + gce(0.8, 0.5) + gce(0.6, 0.5) + gce(0.6, 0.5)) / 4,
                new CategoricalGeneralizedCrossEntropy().compute(labels, binary));
        close((gce(0.7, 0.8) + gce(0.8, 0.8) + gce(0.6, 0.8) + gce(0.6, 0.8)) / 4,
                new CategoricalGeneralizedCrossEntropy(0.8).compute(labels, binary));
        Tensor multi = t(new float[] {0.7f, 0.3f, 0, 0.2f, 0.2f, 0.6f, 0.6f, 0.4f, 0, 0.2f, 0.2f, 0.6f}, 4, 3);
        close((gce(0.7, 0.5) + gce(0.2, 0.5) + gce(0.6, 0.5) + gce(0.2, 0.5)) / 4,
                new CategoricalGeneralizedCrossEntropy().compute(labels, multi));
        close((gce(0.7, 0.8) + gce(0.2, 0.8) + gce(0.6, 0.8) + gce(0.2, 0.8)) / 4,
                new CategoricalGeneralizedCrossEntropy(0.8).compute(labels, multi));

        Tensor seg = t(new float[] {0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 1}, 4, 4);
        close(0.0, new CategoricalGeneralizedCrossEntropy(0.5).compute(seg, oneHot(seg, 2)));
        Tensor segP = oneHot(seg, 2);
        set(segP, 0, 3, 2, 0.2f, 0.8f);
        set(segP, 3, 3, 2, 0.6f, 0.4f);
        close((gce(0.2, 0.5) + gce(0.4, 0.5)) / 16, new CategoricalGeneralizedCrossEntropy(0.5).compute(seg, segP));

        Tensor seg3 = t(new float[] {0, 1, 2, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 1}, 4, 4);
        close(0.0, new CategoricalGeneralizedCrossEntropy(0.5).compute(seg3, oneHot(seg3, 3)));
        Tensor seg3P = oneHot(seg3, 3);
        set(seg3P, 0, 3, 3, 0.2f, 0, 0.8f);
        set(seg3P, 1, 0, 3, 1, 0, 0);
        set(seg3P, 3, 2, 3, 0.5f, 0.5f, 0);
        close((gce(0.2, 0.5) + gce(0.0, 0.5) + gce(0.5, 0.5)) / 16,
                new CategoricalGeneralizedCrossEntropy(0.5).compute(seg3, seg3P));
    }

    // ---- CTCTest: 2 of 3
    @Test
    void ctc() {
        roundTrip(new CTC().name("myctc"));
        float[] logits = new float[24];
        for (int i = 0; i < 24; i++) {
            logits[i] = (i - 12) / 100f;
        }
        close(2.448645, new CTC().compute(t(new float[] {1, 2, 1, 0, 1, 2, 0, 2}, 2, 4), t(logits, 2, 4, 3)));
    }

    /** The (4, 4, classes) one-hot encoding of (4, 4) labels: the tests' perfect predictions. */
    private static Tensor oneHot(Tensor labels, int classes) {
        float[] out = new float[labels.size() * classes];
        for (int i = 0; i < labels.size(); i++) {
            out[i * classes + (int) labels.data()[i]] = 1f;
        }
        return t(out, 4, 4, classes);
    }

    private static void set(Tensor p, int row, int col, int classes, float... v) {
        System.arraycopy(v, 0, p.data(), (row * 4 + col) * classes, classes);
    }
}
