package org.rnn4j.losses;

import java.util.Map;

/**
 * Keras's binary_crossentropy. Probabilities are clipped to {@code [1e-7, 1 - 1e-7]} as Keras does
 * (zero gradient where clipped); with {@code fromLogits} the stable form
 * {@code max(z,0) - z t + log(1 + exp(-|z|))} is used. Label smoothing maps
 * {@code t -> t (1 - s) + 0.5 s}.
 */
public final class BinaryCrossentropy extends ElementwiseLoss {
    static final double EPSILON = 1e-7;
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

    @Override
    float target(float t) {
        return labelSmoothing == 0f ? t : t * (1f - labelSmoothing) + 0.5f * labelSmoothing;
    }

    @Override
    double value(float t, float p) {
        if (fromLogits) {
            double z = p;
            return Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
        }
        double q = clip(p);
        return -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
    }

    @Override
    double derivative(float t, float p) {
        if (fromLogits) {
            return sigmoid(p) - t;
        }
        if (p < EPSILON || p > 1 - EPSILON) {
            return 0;
        }
        double q = p;
        return -t / q + (1 - t) / (1 - q);
    }

    private static double clip(double p) {
        return Math.min(Math.max(p, EPSILON), 1 - EPSILON);
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
