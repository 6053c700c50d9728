package org.rnn4j.losses;

import java.util.Map;

/**
 * Keras's Dice: {@code 1 - 2 sum(t p) / (sum(t) + sum(p) + 1e-7)} with the sums over {@code axis}
 * (all axes by default, giving one number for the whole batch).
 */
public final class Dice extends OverlapLoss {
    private static final double EPS = 1e-7f;

    public Dice() {
        this((int[]) null);
    }

    /** The sums over these axes (e.g. {@code 1, 2, 3} for a value per image); none means all axes. */
    public Dice(int... axis) {
        this(axis, false);
    }

    Dice(int[] axis, boolean scalarAxis) {
        super("dice", "Dice", axis == null || axis.length == 0 ? null : axis, scalarAxis);
    }

    static Dice fromConfig(Map<String, Object> c) {
        return new Dice(axesOf(c.get("axis")), c.get("axis") instanceof Number);
    }

    @Override
    double value(double stp, double st, double sp) {
        return 1 - 2 * stp / (st + sp + EPS);
    }

    @Override
    double[] partials(double stp, double st, double sp) {
        double d = st + sp + EPS;
        return new double[] {-2 / d, 2 * stp / (d * d)};
    }
}
