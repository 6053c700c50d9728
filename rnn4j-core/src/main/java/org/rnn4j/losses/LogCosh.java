package org.rnn4j.losses;

/** Keras's log_cosh: {@code mean(log(cosh(p - t)))}, computed stably as {@code x + softplus(-2x) - log 2}. */
public final class LogCosh extends ElementwiseLoss {
    private static final double LOG2 = Math.log(2.0);

    public LogCosh() {
        super("log_cosh", "LogCosh");
    }

    @Override
    double value(float t, float p) {
        double x = (double) p - t;
        return x + softplus(-2 * x) - LOG2;
    }

    @Override
    double derivative(float t, float p) {
        return Math.tanh((double) p - t);
    }

    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }
}
