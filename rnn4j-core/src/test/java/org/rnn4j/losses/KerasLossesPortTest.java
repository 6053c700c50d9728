package org.rnn4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;

/**
 * The assertions of Keras 3.15.1's {@code keras/src/losses/losses_test.py} that carry literal
 * expected values, for the losses rnn4j has, with the same inputs, options and tolerances
 * ({@code assertAlmostEqual(..., decimal)} is {@code |a - b| < 1.5 10^-decimal}, default decimal 3;
 * {@code assertAllClose} is {@code atol = rtol = 1e-6} unless given).
 */
class KerasLossesPortTest {
    // the regression tests' shared data
    private static final Tensor YT = t(new float[] {1, 9, 2, -5, -2, 6}, 2, 3);
    private static final Tensor YP = t(new float[] {4, 8, 12, 8, 1, 3}, 2, 3);
    private static final Tensor YT3 = t(new float[] {1, 9, 2, -5, -2, 6}, 2, 3, 1);
    private static final Tensor YP3 = t(new float[] {4, 8, 12, 8, 1, 3}, 2, 3, 1);
    private static final Tensor SW = t(new float[] {1.2f, 3.4f}, 2, 1);
    private static final Tensor TSW = t(new float[] {3, 6, 5, 0, 4, 2}, 2, 3);
    private static final Tensor CORRECT = t(new float[] {4, 8, 12, 8, 1, 3}, 2, 3);

    static Tensor t(float[] v, int... shape) {
        return Tensor.of(v, shape);
    }

    static void almost(double expected, double actual, int decimal) {
        assertEquals(expected, actual, 1.5 * Math.pow(10, -decimal));
    }

    static void almost(double expected, double actual) {
        almost(expected, actual, 3);
    }

    static void allClose(double[] expected, Tensor actual, double atol, double rtol) {
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.data()[i], atol + rtol * Math.abs(expected[i]), "element " + i);
        }
    }

    static void allClose(double[] expected, Tensor actual) {
        allClose(expected, actual, 1e-6, 1e-6);
    }

    static BaseLoss reduced(BaseLoss l, String reduction) {
        return l.reduction(reduction);
    }

    /** run_class_serialization_test: config -> fromConfig -> the same config. */
    static void roundTrip(Loss loss) {
        Map<String, Object> config = loss.config();
        Loss back = Losses.fromConfig(Map.of("class_name", loss.className(), "config", config));
        assertEquals(loss.getClass(), back.getClass());
        assertEquals(config, back.config());
    }

    // ---- MeanSquaredErrorTest: 10 of 11 literal assertions (test_dtype_arg: bfloat16 not supported)

    @Test
    void meanSquaredError() {
        roundTrip(new MeanSquaredError().name("mymse"));
        Tensor v = new MeanSquaredError().call(t(new float[] {4, 8, 12}, 3), t(new float[] {3, 0, 1}, 3, 1));
        assertArrayEquals(new int[] {3}, v.shape());
        almost(0.0, new MeanSquaredError().compute(CORRECT, CORRECT));
        almost(49.5, new MeanSquaredError().compute(YT, YP));
        almost(113.85, new MeanSquaredError().compute(YT, YP, 2.3));
        almost(767.8 / 6, new MeanSquaredError().compute(YT, YP, SW));
        almost(97.833336, new MeanSquaredError().compute(YT3, YP3, TSW));
        almost(0.0, new MeanSquaredError().compute(YT, YP, 0));
        Tensor none = reduced(new MeanSquaredError(), null).computeValues(YT, YP, scalar(2.3));
        almostAll(new double[] {84.3333, 143.3666}, none, 3);
        almost(227.69998, reduced(new MeanSquaredError(), "sum").compute(YT, YP, 2.3));
        almost((110 / 3.0 * 1.2 + 187 / 3.0 * 3.4) / (1.2 + 3.4),
                reduced(new MeanSquaredError(), "mean_with_sample_weight").compute(YT, YP, SW));
    }

    static Tensor scalar(double v) {
        return Tensor.of(new float[] {(float) v});
    }

    static void almostAll(double[] expected, Tensor actual, int decimal) {
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) {
            almost(expected[i], actual.data()[i], decimal);
        }
    }

    // ---- MeanAbsoluteErrorTest: 9 of 10 (dtype not ported)

    @Test
    void meanAbsoluteError() {
        roundTrip(new MeanAbsoluteError().name("myname"));
        almost(0.0, new MeanAbsoluteError().compute(CORRECT, CORRECT));
        almost(5.5, new MeanAbsoluteError().compute(YT, YP));
        almost(12.65, new MeanAbsoluteError().compute(YT, YP, 2.3));
        almost(81.4 / 6, new MeanAbsoluteError().compute(YT, YP, SW));
        almost(13.833333, new MeanAbsoluteError().compute(YT3, YP3, TSW));
        almost(0.0, new MeanAbsoluteError().compute(YT, YP, 0));
        almostAll(new double[] {10.7333, 14.5666},
                reduced(new MeanAbsoluteError(), null).computeValues(YT, YP, scalar(2.3)), 3);
        almost(25.29999, reduced(new MeanAbsoluteError(), "sum").compute(YT, YP, 2.3));
        almost((14 / 3.0 * 1.2 + 19 / 3.0 * 3.4) / (1.2 + 3.4),
                reduced(new MeanAbsoluteError(), "mean_with_sample_weight").compute(YT, YP, SW));
    }

    // ---- MeanAbsolutePercentageErrorTest: 8 of 9 (dtype not ported)

    @Test
    void meanAbsolutePercentageError() {
        roundTrip(new MeanAbsolutePercentageError().name("mymape"));
        almost(0.0, new MeanAbsolutePercentageError().compute(CORRECT, CORRECT));
        almost(211.8518, new MeanAbsolutePercentageError().compute(YT, YP), 3);
        almost(487.259, new MeanAbsolutePercentageError().compute(YT, YP, 2.3), 3);
        almost(422.8888, new MeanAbsolutePercentageError().compute(YT, YP, SW), 3);
        almost(694.4444, new MeanAbsolutePercentageError().compute(YT3, YP3, TSW));
        almost(0.0, new MeanAbsolutePercentageError().compute(YT, YP, 0), 3);
        almostAll(new double[] {621.8518, 352.6666},
                reduced(new MeanAbsolutePercentageError(), null).computeValues(YT, YP, scalar(2.3)), 3);
        almost(183.865, reduced(new MeanAbsolutePercentageError(), "mean_with_sample_weight").compute(YT, YP, SW));
    }

    // ---- HuberLossTest: 10 of 11 (dtype not ported); expected values from the test's numpy formula

    private static final Tensor HP = t(new float[] {0.9f, 0.2f, 0.2f, 0.8f, 0.4f, 0.6f}, 2, 3);
    private static final Tensor HT = t(new float[] {1, 0, 1, 1, 0, 0}, 2, 3);

    private static double[] huberNumpy(Tensor yt, Tensor yp, double delta) {
        double[] out = new double[yt.size()];
        for (int i = 0; i < out.length; i++) {
            double a = Math.abs((double) yp.data()[i] - yt.data()[i]);
            double q = Math.min(a, delta);
            out[i] = 0.5 * q * q + delta * (a - q);
        }
        return out;
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x;
        }
        return s;
    }

    @Test
    void huber() {
        BaseLoss h = new Huber().reduction("sum").name("huber");
        assertEquals("huber", h.name());
        assertEquals("sum", h.reduction());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("name", "huber");
        expected.put("reduction", "sum");
        assertEquals(expected, h.config());
        double[] e = huberNumpy(HT, HP, 1.0);
        almost(0.0, new Huber().compute(HT, HT), 3);
        almost(sum(e) / 6, new Huber().compute(HT, HP), 3);
        double l1 = new Huber().compute(HT, HP, 2.3);
        almost(2.3 * sum(e) / 6, l1, 3);
        almost(l1, new Huber().compute(HT, HP, 2.3), 3);
        double[] w = {1.2, 1.2, 1.2, 3.4, 3.4, 3.4};
        double s = 0;
        for (int i = 0; i < 6; i++) {
            s += e[i] * w[i];
        }
        almost(s / 6, new Huber().compute(HT, HP, SW), 3);
        Tensor hp3 = t(HP.data().clone(), 2, 3, 1);
        Tensor ht3 = t(HT.data().clone(), 2, 3, 1);
        double[] tw = {3, 6, 5, 0, 4, 2};
        s = 0;
        for (int i = 0; i < 6; i++) {
            s += e[i] * tw[i];
        }
        almost(s / 6, new Huber().compute(ht3, hp3, t(new float[] {3, 6, 5, 0, 4, 2}, 2, 3, 1)), 3);
        almost(0.0, new Huber().compute(HT, HP, 0), 3);
        double[] e8 = huberNumpy(HT, HP, 0.8);
        almost(2.3 * sum(e8) / 6, new Huber(0.8).compute(HT, HP, 2.3), 3);
    }

    // ---- LogCoshTest: 8 of 9 (dtype not ported)

    @Test
    void logCosh() {
        BaseLoss l = new LogCosh().reduction("sum").name("logcosh_loss");
        assertEquals("logcosh_loss", l.name());
        assertEquals("sum", l.reduction());
        assertEquals(Map.of("name", "logcosh_loss", "reduction", "sum"), l.config());
        double[] e = new double[6];
        for (int i = 0; i < 6; i++) {
            double err = YP.data()[i] - YT.data()[i];
            e[i] = Math.log((Math.exp(err) + Math.exp(-err)) / 2);
        }
        almost(sum(e) / 6, new LogCosh().compute(YT, YP), 3);
        double l1 = new LogCosh().compute(YT, YP, 2.3);
        almost(2.3 * sum(e) / 6, l1, 3);
        almost(l1, new LogCosh().compute(YT, YP, 2.3), 3);
        double[] w = {1.2, 1.2, 1.2, 3.4, 3.4, 3.4};
        double s = 0;
        for (int i = 0; i < 6; i++) {
            s += e[i] * w[i];
        }
        almost(s / 6, new LogCosh().compute(YT, YP, t(new float[] {1.2f, 3.4f}, 2)), 3);
        double[] tw = {3, 6, 5, 0, 4, 2};
        s = 0;
        for (int i = 0; i < 6; i++) {
            s += e[i] * tw[i];
        }
        almost(s / 6, new LogCosh().compute(YT3, YP3, t(new float[] {3, 6, 5, 0, 4, 2}, 2, 3, 1)), 3);
        almost(0.0, new LogCosh().compute(YT, YP, 0), 3);
    }

    // ---- BinaryCrossentropyTest: 12 of 13 (dtype not ported)

    private static final Tensor EYE = t(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3);
    private static final Tensor B_T = t(new float[] {1, 0, 1, 0}, 2, 2);
    private static final Tensor B_P = t(new float[] {1, 1, 1, 0}, 2, 2);
    private static final Tensor BL_T = t(new float[] {1, 0, 1, 0, 1, 1}, 2, 3);
    private static final Tensor BL_Z = t(new float[] {10, -10, 10, 10, 10, -10}, 2, 3);

    @Test
    void binaryCrossentropy() {
        roundTrip(new BinaryCrossentropy().name("bce"));
        almost(0.0, new BinaryCrossentropy().compute(EYE, EYE));
        Tensor logits = t(new float[] {10, -10, -10, -10, 10, -10, -10, -10, 10}, 3, 3);
        almost(0.0, new BinaryCrossentropy(true).compute(EYE, logits));
        Tensor p = t(new float[] {0.9f, 0.1f, 0.2f, 0.3f, 0.8f, 0.1f, 0.1f, 0.2f, 0.7f}, 3, 3);
        assertEquals(0.20046903, new BinaryCrossentropy().compute(EYE, p), 1e-6 + 1e-6 * 0.20046903);
        almost(3.98559, new BinaryCrossentropy().compute(B_T, B_P));
        almost(3.3333, new BinaryCrossentropy(true).compute(BL_T, BL_Z));
        almost(9.1668, new BinaryCrossentropy().compute(B_T, B_P, 2.3));
        almost(7.666, new BinaryCrossentropy(true).compute(BL_T, BL_Z, 2.3));
        almost(4.7827, new BinaryCrossentropy().compute(B_T, B_P, SW));
        almost(10.0, new BinaryCrossentropy(true).compute(BL_T, BL_Z, t(new float[] {4, 3}, 2)));
        allClose(new double[] {0.0, 6.666}, reduced(new BinaryCrossentropy(true), null).computeValues(BL_T, BL_Z, null),
                1e-3, 1e-6);
        almost((10.0 + 5.0 * 0.1) / 3.0, new BinaryCrossentropy(true, 0.1)
                .compute(t(new float[] {1, 0, 1}, 1, 3), t(new float[] {10, -10, -10}, 1, 3)));
        Tensor cls = t(new float[] {0, 1, 2}, 3, 1);
        Tensor pp = t(new float[] {0.9f, 0.05f, 0.05f, 0.5f, 0.89f, 0.6f, 0.05f, 0.01f, 0.94f}, 3, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> new BinaryCrossentropy().compute(cls, pp));
        assertTrue(e.getMessage().contains("must have the same shape"), e.getMessage());
    }

    /** The case: a confident wrong answer costs -log(1 - float32(1 - 1e-7)) = 15.942, as Keras. */
    @Test
    void binaryCrossentropyClipsInFloat32() {
        double v = new BinaryCrossentropy().compute(t(new float[] {0}, 1, 1), t(new float[] {1}, 1, 1));
        assertEquals(15.942385, v, 1e-5);
    }

    // ---- CategoricalCrossentropyTest: 12 of 13 (dtype not ported)

    private static final Tensor C_P = t(new float[] {0.9f, 0.05f, 0.05f, 0.5f, 0.89f, 0.6f, 0.05f, 0.01f, 0.94f}, 3, 3);
    private static final Tensor C_Z = t(new float[] {8, 1, 1, 0, 9, 1, 2, 3, 5}, 3, 3);
    private static final Tensor C_SW = t(new float[] {1.2f, 3.4f, 5.6f}, 3, 1);

    @Test
    void categoricalCrossentropy() {
        roundTrip(new CategoricalCrossentropy().name("cce"));
        almost(0.0, new CategoricalCrossentropy().compute(EYE, EYE));
        Tensor z10 = t(new float[] {10, 0, 0, 0, 10, 0, 0, 0, 10}, 3, 3);
        almost(0.0, new CategoricalCrossentropy(true).compute(EYE, z10));
        almost(0.3239, new CategoricalCrossentropy().compute(EYE, C_P));
        almost(0.0573, new CategoricalCrossentropy(true).compute(EYE, C_Z));
        almost(0.7449, new CategoricalCrossentropy().compute(EYE, C_P, 2.3));
        almost(0.1317, new CategoricalCrossentropy(true).compute(EYE, C_Z, 2.3));
        almost(1.0696, new CategoricalCrossentropy().compute(EYE, C_P, C_SW));
        almost(0.31829, new CategoricalCrossentropy(true).compute(EYE, C_Z, C_SW));
        allClose(new double[] {0.001822, 0.000459, 0.169846},
                reduced(new CategoricalCrossentropy(true), null).computeValues(EYE, C_Z, null));
        Tensor z100 = t(new float[] {100, -100, -100}, 1, 3);
        Tensor t100 = t(new float[] {1, 0, 0}, 1, 3);
        almost(400.0 * 0.1 / 3.0, new CategoricalCrossentropy(true, 0.1).compute(t100, z100));
        almost(400.0 * 0.1 / 3.0, new CategoricalCrossentropy(true, 0.1).compute(t100, z100)); // the ndarray variant
        var e = assertThrows(IllegalArgumentException.class,
                () -> new CategoricalCrossentropy().compute(t(new float[] {0, 1, 2}, 3, 1), C_P));
        assertTrue(e.getMessage().contains("must have the same shape"), e.getMessage());
    }

    // ---- SparseCategoricalCrossentropyTest: 15 of 18 (test_dtype_arg: bfloat16; the two *_different_axis
    // tests: rnn4j has no axis argument, classes are always the last axis, as Keras's TensorFlow backend)

    @Test
    void sparseCategoricalCrossentropy() {
        roundTrip(new SparseCategoricalCrossentropy().name("scce"));
        roundTrip(new SparseCategoricalCrossentropy(true, -1));
        Tensor labels = t(new float[] {0, 1, 2}, 3, 1);
        almost(0.0, new SparseCategoricalCrossentropy().compute(labels, EYE), 3);
        Tensor z10 = t(new float[] {10, 0, 0, 0, 10, 0, 0, 0, 10}, 3, 3);
        almost(0.0, new SparseCategoricalCrossentropy(true).compute(labels, z10), 3);
        Tensor flat = t(new float[] {0, 1, 2}, 3);
        almost(0.3239, new SparseCategoricalCrossentropy().compute(flat, C_P), 3);
        almost(0.0573, new SparseCategoricalCrossentropy(true).compute(flat, C_Z), 3);
        almost(0.7449, new SparseCategoricalCrossentropy().compute(labels, C_P, 2.3), 3);
        almost(0.1317, new SparseCategoricalCrossentropy(true).compute(labels, C_Z, 2.3), 3);
        almost(1.0696, new SparseCategoricalCrossentropy().compute(labels, C_P, C_SW), 3);
        almost(0.31829, new SparseCategoricalCrossentropy(true).compute(labels, C_Z, C_SW), 3);
        allClose(new double[] {0.001822, 0.000459, 0.169846},
                reduced(new SparseCategoricalCrossentropy(true), null).computeValues(labels, C_Z, null));

        Tensor logits = t(new float[] {0.854f, 0.698f, 0.598f, 0.088f, 0.86f, 0.018f}, 1, 2, 3);
        BaseLoss ignore = new SparseCategoricalCrossentropy(true, -1).reduction(null);
        Tensor v = ignore.computeValues(t(new float[] {-1, 2}, 1, 2), logits, null);
        allClose(new double[] {0.0, 1.480129}, v);
        assertArrayEquals(new int[] {1, 2}, v.shape());
        allClose(new double[] {0.0, 1.480129}, ignore.computeValues(t(new float[] {-1, 2}, 1, 2, 1), logits, null));
    }

    private static Tensor segmentation(float[][] pixels, int classes) {
        float[] d = new float[16 * classes];
        for (int i = 0; i < 16; i++) {
            System.arraycopy(pixels[i], 0, d, i * classes, classes);
        }
        return Tensor.of(d, 4, 4, classes);
    }

    @Test
    void sparseCategoricalCrossentropySegmentation() {
        Tensor yt = t(new float[] {0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 1}, 4, 4);
        float[][] perfect = new float[16][];
        for (int i = 0; i < 16; i++) {
            perfect[i] = yt.data()[i] == 0 ? new float[] {1, 0} : new float[] {0, 1};
        }
        allClose(new double[] {0.0}, scalar(new SparseCategoricalCrossentropy().compute(yt, segmentation(perfect, 2))));
        float[][] noisy = perfect.clone();
        noisy[3] = new float[] {0.2f, 0.8f};
        noisy[15] = new float[] {0.6f, 0.4f};
        double expected = (-Math.log(0.2) - Math.log(0.4)) / 16.0;
        allClose(new double[] {expected}, scalar(new SparseCategoricalCrossentropy().compute(yt, segmentation(noisy, 2))));

        Tensor mt = t(new float[] {0, 1, 2, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 1}, 4, 4);
        float[][] mp = new float[16][];
        for (int i = 0; i < 16; i++) {
            mp[i] = new float[3];
            mp[i][(int) mt.data()[i]] = 1;
        }
        allClose(new double[] {0.0}, scalar(new SparseCategoricalCrossentropy().compute(mt, segmentation(mp, 3))));
        mp[3] = new float[] {0.2f, 0, 0.8f};
        mp[4] = new float[] {0.7f, 0.3f, 0};
        mp[14] = new float[] {0.5f, 0.5f, 0};
        double e3 = (-Math.log(0.2) - Math.log(0.3) - Math.log(0.5)) / 16.0;
        allClose(new double[] {e3}, scalar(new SparseCategoricalCrossentropy().compute(mt, segmentation(mp, 3))));
    }

    // ---- BinaryFocalCrossentropyTest: 9 of 10 (dtype not ported)

    private static final Tensor F_T = t(new float[] {1, 0, 1, 0}, 2, 2);
    private static final Tensor F_P = t(new float[] {0.9f, 0.8f, 0.7f, 0.2f}, 2, 2);
    private static final Tensor FL_T = t(new float[] {1, 1, 0, 0, 1, 0}, 2, 3);
    private static final Tensor FL_Z = t(new float[] {1.5f, -2.7f, 2.9f, -3.8f, 1.2f, -4.5f}, 2, 3);

    private static BinaryFocalCrossentropy bfce(double gamma, boolean fromLogits) {
        return new BinaryFocalCrossentropy(false, 0.25, gamma, fromLogits, 0);
    }

    @Test
    void binaryFocalCrossentropy() {
        roundTrip(new BinaryFocalCrossentropy().name("bfce"));
        roundTrip(new BinaryFocalCrossentropy(true, 0.3, 1.5, true, 0.1));
        almost(0.0, bfce(1.5, false).compute(EYE, EYE), 3);
        Tensor z100 = t(new float[] {100, -100, -100, -100, 100, -100, -100, -100, 100}, 3, 3);
        almost(0.0, bfce(2.0, true).compute(EYE, z100), 3);
        almost(0.268, bfce(2.0, false).compute(F_T, F_P), 3);
        almost(0.799, bfce(3.0, true).compute(FL_T, FL_Z), 3);
        almost(0.3296, bfce(2.0, false).compute(F_T, F_P, 1.23), 3);
        almost(2.565, bfce(3.0, true).compute(FL_T, FL_Z, 3.21), 3);
        almost(0.34415, bfce(2.0, false).compute(F_T, F_P, SW), 3);
        almost(0.95977, bfce(3.0, true).compute(FL_T, FL_Z, SW), 3);
        allClose(new double[] {0.515547, 0.020513}, bfce(2.0, false).reduction(null).computeValues(F_T, F_P, null));
    }

    // ---- CategoricalFocalCrossentropyTest: 10 of 11 (dtype not ported)

    @Test
    void categoricalFocalCrossentropy() {
        roundTrip(new CategoricalFocalCrossentropy().name("cfce"));
        roundTrip(new CategoricalFocalCrossentropy(new double[] {0.1, 0.2, 0.7}, 1.0, true, 0.1));
        almost(0.0, new CategoricalFocalCrossentropy(0.25, 2.0, false, 0).compute(EYE, EYE), 3);
        Tensor z10 = t(new float[] {10, 0, 0, 0, 10, 0, 0, 0, 10}, 3, 3);
        CategoricalFocalCrossentropy logits = new CategoricalFocalCrossentropy(0.25, 2.0, true, 0);
        almost(0.0, logits.compute(EYE, z10), 3);
        almost(0.02059, new CategoricalFocalCrossentropy().compute(EYE, C_P), 3);
        almost(0.000345, logits.compute(EYE, C_Z), 3);
        almost(0.047368, new CategoricalFocalCrossentropy().compute(EYE, C_P, 2.3), 3);
        almost(0.000794, logits.compute(EYE, C_Z, 2.3), 4);
        almost(0.06987, new CategoricalFocalCrossentropy().compute(EYE, C_P, C_SW), 3);
        almost(0.001933, logits.compute(EYE, C_Z, C_SW), 3);
        allClose(new double[] {1.5096224e-09, 2.4136547e-11, 1.0360638e-03},
                new CategoricalFocalCrossentropy(0.25, 2.0, true, 0).reduction(null).computeValues(EYE, C_Z, null));
        almost(0.06685, new CategoricalFocalCrossentropy(0.25, 2.0, true, 0.1)
                .compute(t(new float[] {1, 0, 0}, 1, 3), t(new float[] {4.9f, -0.5f, 2.05f}, 1, 3)), 3);
    }
}
