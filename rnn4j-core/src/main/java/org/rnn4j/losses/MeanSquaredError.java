package org.rnn4j.losses;

/** Keras's mean_squared_error: {@code mean((t - p)^2)}. */
public final class MeanSquaredError extends ElementwiseLoss {
    public MeanSquaredError() {
        super("mean_squared_error", "MeanSquaredError");
    }

    @Override
    double value(float t, float p) {
        double d = t - p;
        return d * d;
    }

    @Override
    double derivative(float t, float p) {
        return 2.0 * ((double) p - t);
    }
}
