package org.rnn4j.losses;

/**
 * Keras's mean_squared_logarithmic_error: {@code mean((log(max(p, 1e-7) + 1) - log(max(t, 1e-7) + 1))^2)};
 * below the clip the prediction gets no gradient, as Keras's {@code maximum}.
 */
public final class MeanSquaredLogarithmicError extends ElementwiseLoss {
    private static final float EPSILON = 1e-7f;

    public MeanSquaredLogarithmicError() {
        super("mean_squared_logarithmic_error", "MeanSquaredLogarithmicError");
    }

    private static double diff(float t, float p) {
        return Math.log(Math.max(p, EPSILON) + 1.0) - Math.log(Math.max(t, EPSILON) + 1.0);
    }

    @Override
    double value(float t, float p) {
        double d = diff(t, p);
        return d * d;
    }

    @Override
    double derivative(float t, float p) {
        return p > EPSILON ? 2 * diff(t, p) / (p + 1.0) : 0;
    }
}
