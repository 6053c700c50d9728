package org.rnn4j.layers.activations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * Keras 3.15's keras/src/layers/activations/{leaky_relu,prelu,elu,relu,softmax}_test.py: every
 * assertion with literal expected values, same inputs, options and tolerance (assertAllClose's
 * default atol = rtol = 1e-6). The tests that compare with a NumPy formula on random inputs
 * (prelu, elu) are ported too, with our own random inputs and the same formula written out.
 */
class KerasActivationsPortTest {
    private static Tensor row(double... v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.of(f, 1, v.length);
    }

    /** Keras's assertAllClose: |a - b| <= atol + rtol * |b| with atol = rtol = 1e-6. */
    private static void assertAllClose(float[] want, Tensor got) {
        assertEquals(want.length, got.size(), "size");
        for (int i = 0; i < want.length; i++) {
            float d = Math.abs(want[i] - got.data()[i]);
            assertTrue(d <= 1e-6 + 1e-6 * Math.abs(want[i]), "element " + i + ": want " + want[i] + ", got " + got.data()[i]);
        }
    }

    private static float[] f(double... v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    private static Tensor apply(Layer layer, Tensor x) {
        return apply(layer, x, null);
    }

    private static Tensor apply(Layer layer, Tensor x, Mask mask) {
        layer.build(java.util.Arrays.copyOfRange(x.shape(), 1, x.rank()), new Rng(1));
        return layer.forward(x, mask, false);
    }

    // ---------------------------------------------------------------- leaky_relu_test.py

    @Test
    void leakyReluCorrectness() {
        assertAllClose(f(-5.0, -2.5, 0.0, 5.0, 10.0), apply(new LeakyReLU(0.5), row(-10, -5, 0.0, 5, 10)));
    }

    @Test
    void leakyReluNoneSlopeIsRejected() {
        Map<String, Object> c = new HashMap<>();
        c.put("negative_slope", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LeakyReLU.fromConfig(c));
        assertTrue(e.getMessage().contains("The negative_slope value of a Leaky ReLU layer cannot be None"), e.getMessage());
    }

    // ---------------------------------------------------------------- prelu_test.py

    @Test
    void preluCorrectnessWithSharedAxes() {
        // inputs (2, 10, 5, 3), shared_axes (1, 2), alpha (1, 1, 3) random in [0, 1)
        Tensor x = GradientCheck.randn(11, 1f, 2, 10, 5, 3);
        PReLU p = new PReLU().sharedAxes(1, 2);
        p.build(new int[] {10, 5, 3}, new Rng(1));
        assertArrayEquals(new int[] {1, 1, 3}, p.alpha().value().shape());
        float[] alpha = {0.3f, 0.75f, 0.05f};
        System.arraycopy(alpha, 0, p.alpha().value().data(), 0, 3);
        Tensor y = p.forward(x, null, false);
        float[] want = new float[x.size()];
        for (int i = 0; i < want.length; i++) {
            float v = x.data()[i];
            want[i] = (v > 0 ? v : 0f) + (v <= 0 ? alpha[i % 3] * v : 0f);
        }
        assertAllClose(want, y);
    }

    // ---------------------------------------------------------------- elu_test.py

    @Test
    void eluCorrectness() {
        Tensor x = GradientCheck.randn(12, 1f, 2, 2, 5);
        for (double alpha : new double[] {1.0, 0.7}) {
            ELU layer = alpha == 1.0 ? new ELU() : new ELU(alpha);
            float[] want = new float[x.size()];
            for (int i = 0; i < want.length; i++) {
                double v = x.data()[i];
                want[i] = (float) ((v > 0 ? v : 0) + (v <= 0 ? alpha * (Math.exp(v) - 1) : 0));
            }
            assertAllClose(want, apply(layer, x));
        }
    }

    @Test
    void eluConfigRoundTrip() {
        ELU e = new ELU();
        assertEquals(e.config(), ELU.fromConfig(e.config()).config());
    }

    // ---------------------------------------------------------------- relu_test.py

    @Test
    void reluCorrectness() {
        Tensor x = row(-10, -5, 0.0, 5, 10);
        assertAllClose(f(0.0, 0.0, 0.0, 5.0, 10.0), apply(new ReLU(10.0, 0.0, 0), x));
        assertAllClose(f(-5.0, -2.5, 0.0, 5.0, 10.0), apply(new ReLU(10.0, 0.5, 0), x));
        assertAllClose(f(6.0, 7.0, 0.0, 0.0, 8.0), apply(new ReLU(8.0, 0.0, 5), row(6.0, 7.0, 0.0, 5, 10)));
        assertAllClose(f(0.0, 0.0, 0.0, 1.0, 3.0), apply(new ReLU(), row(-3.0, -1.0, 0.0, 1.0, 3.0)));
        assertAllClose(f(0.0, 100.0, 1000.0, 99999.0), apply(new ReLU(null, 0, 0), row(0.0, 100.0, 1000.0, 99999.0)));
        assertAllClose(new float[12], apply(new ReLU(), Tensor.zeros(3, 4)));
        assertAllClose(f(0.0, 2.0, 3.0, 0.0), apply(new ReLU(), Tensor.of(new float[][] {{-1f, 2f}, {3f, -4f}})));
        assertAllClose(new float[24], apply(new ReLU(), Tensor.full(-1f, 2, 3, 4)));
    }

    private static void rejects(String fragment, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void reluInvalidUsage() {
        rejects("max_value of a ReLU layer cannot be a negative value", () -> new ReLU(-10.0, 1, 0.5));
        rejects("negative_slope of a ReLU layer cannot be None or a negative value", () -> new ReLU(10.0, -10, 0.5));
        rejects("threshold of a ReLU layer cannot be None or a negative value", () -> new ReLU(10.0, 1, -10));
        Map<String, Object> slopeNone = new HashMap<>();
        slopeNone.put("negative_slope", null);
        rejects("negative_slope of a ReLU layer cannot be None or a negative value", () -> ReLU.fromConfig(slopeNone));
        Map<String, Object> thresholdNone = new HashMap<>();
        thresholdNone.put("threshold", null);
        rejects("threshold of a ReLU layer cannot be None or a negative value", () -> ReLU.fromConfig(thresholdNone));
    }

    @Test
    void reluConfig() {
        Map<String, Object> c = new ReLU(5.0, 0.2, 1.0).config();
        assertEquals(5.0, ((Number) c.get("max_value")).doubleValue(), 1e-7);
        assertEquals(0.2, ((Number) c.get("negative_slope")).doubleValue(), 1e-7);
        assertEquals(1.0, ((Number) c.get("threshold")).doubleValue(), 1e-7);
        Map<String, Object> d = new ReLU().config();
        assertTrue(d.containsKey("max_value"));
        assertNull(d.get("max_value"));
        assertEquals(0.0, ((Number) d.get("negative_slope")).doubleValue());
        assertEquals(0.0, ((Number) d.get("threshold")).doubleValue());
        ReLU original = new ReLU(5.0, 0.2, 1.0);
        ReLU restored = ReLU.fromConfig(original.config());
        assertEquals(original.maxValue(), restored.maxValue());
        assertEquals(original.negativeSlope(), restored.negativeSlope());
        assertEquals(original.threshold(), restored.threshold());
    }

    @Test
    void reluComputeOutputShape() {
        // Keras's shapes include the batch axis; rnn4j's exclude it: (2, 3) -> per-sample (3,)
        assertArrayEquals(new int[] {3}, new ReLU().computeOutputShape(new int[] {3}));
        assertArrayEquals(new int[] {5, 6}, new ReLU().computeOutputShape(new int[] {5, 6}));
        assertArrayEquals(new int[] {}, new ReLU().computeOutputShape(new int[] {}));
    }

    // ---------------------------------------------------------------- softmax_test.py

    private static final float[][] X23 = {{1f, 2f, 1f}, {1f, 2f, 1f}};

    private static Mask mask(int batch, int time, double... v) {
        boolean[] m = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            m[i] = v[i] != 0;
        }
        return new Mask(m, batch, time);
    }

    @Test
    void softmaxCorrectness() {
        float[] want = f(0.21194157, 0.5761169, 0.21194157, 0.21194157, 0.5761169, 0.21194157);
        assertAllClose(want, apply(new Softmax(), Tensor.of(X23)));
        assertAllClose(want, apply(new Softmax(1), Tensor.of(X23)));
    }

    @Test
    void softmaxWithMaskOverBatchAndFeatureAxes() {
        Tensor y = apply(new Softmax(new int[] {1, 0}), Tensor.of(X23), mask(2, 3, 1, 0, 1, 0, 1, 0));
        assertAllClose(f(0.21194154, 0.0, 0.21194154, 0.0, 0.57611686, 0.0), y);
    }

    @Test
    void softmaxMaskedValuesAreZeroIncludingFullyMasked() {
        Tensor x = Tensor.of(new float[][] {{1f, 2f, 5f, 1f}, {1f, 1f, 1f, 1f}, {3f, 1f, 2f, 4f}});
        Mask m = mask(3, 4, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1);
        Tensor y = apply(new Softmax(), x, m);
        float[] want = f(0.268941, 0.731059, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.236883, 0.032059, 0.087144, 0.643914);
        // Keras's expected values carry 6 decimals; its assertAllClose still uses atol = rtol = 1e-6
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], y.data()[i], 1e-6 + 1e-6 * Math.abs(want[i]), "element " + i);
        }
    }

    @Test
    void softmaxMaskBroadcasts() {
        Tensor x = Tensor.of(new float[][] {{1f, 2f, 1f}, {3f, 4f, 5f}});
        // Keras's (1, 3) mask, and its (3,) mask (rnn4j masks are (batch, time): a (3,) mask
        // broadcasts exactly as (1, 3) does)
        Tensor y = apply(new Softmax(), x, mask(1, 3, 1, 0, 1));
        assertEquals(0f, y.data()[1], 1e-6);
        assertEquals(0f, y.data()[4], 1e-6);
        Tensor z = apply(new Softmax(-1), x, mask(1, 3, 1, 0, 1));
        assertEquals(0f, z.data()[1], 1e-6);
        assertEquals(0f, z.data()[4], 1e-6);
    }

    @Test
    void softmaxMaskLargerThanInputIsRejected() {
        rejects("broadcastable", () -> apply(new Softmax(), Tensor.of(new float[][] {{1f, 2f, 1f}}), mask(2, 3, 1, 0, 1, 0, 1, 0)));
    }
}
