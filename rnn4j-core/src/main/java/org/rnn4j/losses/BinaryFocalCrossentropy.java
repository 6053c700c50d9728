package org.rnn4j.losses;

import java.util.Map;

/**
 * Keras's BinaryFocalCrossentropy: {@code mean(w (1 - p_t)^gamma bce(t, p))} over the last axis, with
 * {@code p_t = t p + (1 - t)(1 - p)} on the unclipped probability, {@code bce} clipped in float32 as
 * {@link BinaryCrossentropy}, and, with {@code applyClassBalancing}, {@code w = t alpha + (1 - t)(1 - alpha)}
 * (else 1). {@code fromLogits} applies a sigmoid first; label smoothing maps {@code t -> t (1 - s) + 0.5 s}.
 */
public final class BinaryFocalCrossentropy extends ElementwiseLoss {
    private final boolean applyClassBalancing;
    private final double alpha;
    private final double gamma;
    private final boolean fromLogits;
    private final float labelSmoothing;

    public BinaryFocalCrossentropy() {
        this(false, 0.25, 2.0, false, 0.0);
    }

    public BinaryFocalCrossentropy(double gamma) {
        this(false, 0.25, gamma, false, 0.0);
    }

    public BinaryFocalCrossentropy(boolean applyClassBalancing, double alpha, double gamma, boolean fromLogits,
                                   double labelSmoothing) {
        super("binary_focal_crossentropy", "BinaryFocalCrossentropy");
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("BinaryFocalCrossentropy: labelSmoothing must be in [0, 1], got "
                    + labelSmoothing);
        }
        this.applyClassBalancing = applyClassBalancing;
        this.alpha = alpha;
        this.gamma = gamma;
        this.fromLogits = fromLogits;
        this.labelSmoothing = (float) labelSmoothing;
    }

    @Override
    float target(float t) {
        return BinaryCrossentropy.smooth(t, labelSmoothing);
    }

    private float prob(float p) {
        return fromLogits ? (float) BinaryCrossentropy.sigmoid(p) : p;
    }

    @Override
    double value(float t, float p) {
        float y = prob(p);
        double pt = t * (double) y + (1 - t) * (1 - (double) y);
        double v = Math.pow(1 - pt, gamma) * BinaryCrossentropy.bce(t, clip(y));
        return applyClassBalancing ? (t * alpha + (1 - t) * (1 - alpha)) * v : v;
    }

    @Override
    double derivative(float t, float p) {
        float y = prob(p);
        double pt = t * (double) y + (1 - t) * (1 - (double) y);
        double base = 1 - pt;
        double ff = Math.pow(base, gamma);
        double dff = gamma == 0 ? 0 : -gamma * Math.pow(base, gamma - 1) * (2.0 * t - 1);
        double d = dff * BinaryCrossentropy.bce(t, clip(y)) + ff * BinaryCrossentropy.bceDerivative(t, y);
        if (applyClassBalancing) {
            d *= t * alpha + (1 - t) * (1 - alpha);
        }
        if (fromLogits) {
            double s = BinaryCrossentropy.sigmoid(p);
            d *= s * (1 - s);
        }
        return d;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("from_logits", fromLogits);
        c.put("label_smoothing", (double) labelSmoothing);
        c.put("axis", -1);
        c.put("apply_class_balancing", applyClassBalancing);
        c.put("alpha", alpha);
        c.put("gamma", gamma);
        return c;
    }
}
