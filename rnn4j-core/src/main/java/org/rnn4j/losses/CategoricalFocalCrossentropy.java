package org.rnn4j.losses;

import java.util.Map;

/**
 * Keras's CategoricalFocalCrossentropy: {@code sum_j alpha_j (1 - o_j)^gamma (-t_j log o_j)} over the
 * last axis, with {@code o = y / sum(y)} clipped to {@code [1e-7, 1 - 1e-7]} in float32 ({@code y} the
 * softmax of the logits with {@code fromLogits}). {@code alpha} is a scalar or one value per class.
 */
public final class CategoricalFocalCrossentropy extends CategoricalCrossentropy {
    private final double[] alpha;
    private final double gamma;
    private final boolean focalFromLogits;

    public CategoricalFocalCrossentropy() {
        this(0.25, 2.0, false, 0.0);
    }

    public CategoricalFocalCrossentropy(double alpha, double gamma, boolean fromLogits, double labelSmoothing) {
        this(new double[] {alpha}, gamma, fromLogits, labelSmoothing);
    }

    /** Per-class {@code alpha} (one value per class, or a single value for all). */
    public CategoricalFocalCrossentropy(double[] alpha, double gamma, boolean fromLogits, double labelSmoothing) {
        super("categorical_focal_crossentropy", "CategoricalFocalCrossentropy", fromLogits, labelSmoothing);
        if (alpha == null || alpha.length == 0) {
            throw new IllegalArgumentException("CategoricalFocalCrossentropy: alpha must be a number or a list of numbers");
        }
        this.alpha = alpha.clone();
        this.gamma = gamma;
        this.focalFromLogits = fromLogits;
    }

    @Override
    double row(float[] target, float[] p, int off, int classes, float[] grad, double scale, double[] work) {
        if (alpha.length != 1 && alpha.length != classes) {
            throw new IllegalArgumentException("CategoricalFocalCrossentropy: alpha has " + alpha.length
                    + " values for " + classes + " classes");
        }
        double[] y = new double[classes];
        if (focalFromLogits) {
            double lse = logSumExp(p, off, classes);
            for (int j = 0; j < classes; j++) {
                y[j] = Math.exp(p[off + j] - lse);
            }
        } else {
            for (int j = 0; j < classes; j++) {
                y[j] = p[off + j];
            }
        }
        double s = 0;
        for (double v : y) {
            s += v;
        }
        double loss = 0;
        double weighted = 0;
        for (int j = 0; j < classes; j++) {
            float o = (float) (y[j] / s);
            float c = clip(o);
            double a = alpha.length == 1 ? alpha[0] : alpha[j];
            double cce = -target[j] * Math.log(c);
            double mod = Math.pow(1 - (double) c, gamma);
            loss += a * mod * cce;
            if (grad != null) {
                double g = 0;
                if (!clipped(o)) {
                    double dmod = gamma == 0 ? 0 : -gamma * Math.pow(1 - (double) c, gamma - 1);
                    g = a * (dmod * cce + mod * (-target[j] / (double) c));
                }
                work[j] = g;
                weighted += g * o;
            }
        }
        if (grad != null) {
            // o = y / sum(y)
            double[] h = new double[classes];
            for (int j = 0; j < classes; j++) {
                h[j] = (work[j] - weighted) / s;
            }
            if (focalFromLogits) {
                double hy = 0;
                for (int j = 0; j < classes; j++) {
                    hy += h[j] * y[j];
                }
                for (int j = 0; j < classes; j++) {
                    grad[off + j] = (float) (scale * y[j] * (h[j] - hy));
                }
            } else {
                for (int j = 0; j < classes; j++) {
                    grad[off + j] = (float) (scale * h[j]);
                }
            }
        }
        return loss;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        if (alpha.length == 1) {
            c.put("alpha", alpha[0]);
        } else {
            java.util.List<Object> l = new java.util.ArrayList<>();
            for (double a : alpha) {
                l.add(a);
            }
            c.put("alpha", l);
        }
        c.put("gamma", gamma);
        return c;
    }
}
