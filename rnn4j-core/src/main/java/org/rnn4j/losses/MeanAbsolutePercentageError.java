package org.rnn4j.losses;

/** Keras's mean_absolute_percentage_error: {@code 100 * mean(|t - p| / max(|t|, 1e-7))}. */
public final class MeanAbsolutePercentageError extends ElementwiseLoss {
    private static final double EPSILON = 1e-7;

    public MeanAbsolutePercentageError() {
        super("mean_absolute_percentage_error", "MeanAbsolutePercentageError");
    }

    @Override
    double value(float t, float p) {
        return 100.0 * Math.abs(((double) t - p) / Math.max(Math.abs(t), EPSILON));
    }

    @Override
    double derivative(float t, float p) {
        return 100.0 * Math.signum((double) p - t) / Math.max(Math.abs(t), EPSILON);
    }
}
