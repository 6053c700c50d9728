package org.rnn4j.losses;

import java.util.Map;

/**
 * Keras 3.15's Tversky: {@code 1 - I / (I + alpha fp + beta fn + 1e-7)} with the sums over {@code axis},
 * {@code I = sum(t p)}, and, as Keras 3.15 computes them (its inputs are {@code y_true}, its targets
 * {@code y_pred}), {@code fp = sum((1 - p) t)} and {@code fn = sum(p (1 - t))}. Keras 3.16 swaps the two;
 * rnn4j follows 3.15, so alpha weighs the targets the predictions miss.
 */
public final class Tversky extends OverlapLoss {
    private static final double EPS = 1e-7f;
    private final double alpha;
    private final double beta;

    public Tversky() {
        this(0.5, 0.5);
    }

    /** All axes summed. */
    public Tversky(double alpha, double beta) {
        this(alpha, beta, null, false);
    }

    public Tversky(double alpha, double beta, int... axis) {
        this(alpha, beta, axis, false);
    }

    Tversky(double alpha, double beta, int[] axis, boolean scalarAxis) {
        super("tversky", "Tversky", axis == null || axis.length == 0 ? null : axis, scalarAxis);
        this.alpha = alpha;
        this.beta = beta;
    }

    static Tversky fromConfig(Map<String, Object> c) {
        return new Tversky(num(c, "alpha", 0.5), num(c, "beta", 0.5), axesOf(c.get("axis")), c.get("axis") instanceof Number);
    }

    private static double num(Map<String, Object> c, String key, double fallback) {
        Object v = c.get(key);
        return v instanceof Number ? ((Number) v).doubleValue() : fallback;
    }

    public double alpha() {
        return alpha;
    }

    public double beta() {
        return beta;
    }

    private double denominator(double stp, double st, double sp) {
        return stp + alpha * (st - stp) + beta * (sp - stp) + EPS;
    }

    @Override
    double value(double stp, double st, double sp) {
        return 1 - stp / denominator(stp, st, sp);
    }

    @Override
    double[] partials(double stp, double st, double sp) {
        double d = denominator(stp, st, sp);
        return new double[] {-(d - stp * (1 - alpha - beta)) / (d * d), stp * beta / (d * d)};
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        Object axis = c.remove("axis");
        c.put("alpha", alpha);
        c.put("beta", beta);
        c.put("axis", axis);
        return c;
    }
}
