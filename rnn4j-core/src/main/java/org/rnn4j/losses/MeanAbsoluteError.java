package org.rnn4j.losses;

/** Keras's mean_absolute_error: {@code mean(|t - p|)}; the gradient at {@code t == p} is 0 (sign). */
public final class MeanAbsoluteError extends ElementwiseLoss {
    public MeanAbsoluteError() {
        super("mean_absolute_error", "MeanAbsoluteError");
    }

    @Override
    double value(float t, float p) {
        return Math.abs((double) t - p);
    }

    @Override
    double derivative(float t, float p) {
        return Math.signum((double) p - t);
    }
}
