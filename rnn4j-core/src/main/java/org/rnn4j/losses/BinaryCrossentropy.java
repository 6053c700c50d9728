package org.rnn4j.losses;

import java.util.Map;

/**
 * Keras's binary_crossentropy. Probabilities are clipped to {@code [1e-7, 1 - 1e-7]} in float32, as
 * Keras does (so a confident wrong answer costs {@code -log(1.1920929e-7) = 15.942}), with a zero
 * gradient where clipped; with {@code fromLogits} the stable form
 * {@code max(z,0) - z t + log(1 + exp(-|z|))} is used. Label smoothing maps {@code t -> t (1 - s) + 0.5 s}.
 */
public final class BinaryCrossentropy extends ElementwiseLoss {
    private final boolean fromLogits;
    private final float labelSmoothing;

    public BinaryCrossentropy() {
        this(false, 0f);
    }

    public BinaryCrossentropy(boolean fromLogits) {
        this(fromLogits, 0f);
    }

    public BinaryCrossentropy(boolean fromLogits, double labelSmoothing) {
        super("binary_crossentropy", "BinaryCrossentropy");
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("BinaryCrossentropy: labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        this.fromLogits = fromLogits;
        this.labelSmoothing = (float) labelSmoothing;
    }

    public boolean fromLogits() {
        return fromLogits;
    }

    public double labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    float target(float t) {
        return smooth(t, labelSmoothing);
    }

    static float smooth(float t, float s) {
        return s == 0f ? t : t * (1f - s) + 0.5f * s;
    }

    @Override
    double value(float t, float p) {
        if (fromLogits) {
            double z = p;
            return Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
        }
        return bce(t, clip(p));
    }

    /** {@code -(t log q + (1 - t) log(1 - q))} of a clipped probability. */
    static double bce(float t, float q) {
        return -(t * Math.log(q) + (1 - t) * Math.log(1 - (double) q));
    }

    /** d bce / d p (zero where the clip is active). */
    static double bceDerivative(float t, float p) {
        if (clipped(p)) {
            return 0;
        }
        double q = p;
        return -t / q + (1 - t) / (1 - q);
    }

    @Override
    double derivative(float t, float p) {
        if (fromLogits) {
            return sigmoid(p) - t;
        }
        return bceDerivative(t, p);
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("from_logits", fromLogits);
        c.put("label_smoothing", (double) labelSmoothing);
        c.put("axis", -1);
        return c;
    }
}
