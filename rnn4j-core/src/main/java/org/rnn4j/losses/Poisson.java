package org.rnn4j.losses;

/** Keras's poisson: {@code mean(p - t * log(p + 1e-7))} (for count targets and positive predictions). */
public final class Poisson extends ElementwiseLoss {
    private static final float EPSILON = 1e-7f;

    public Poisson() {
        super("poisson", "Poisson");
    }

    @Override
    double value(float t, float p) {
        return p - t * Math.log((double) p + EPSILON);
    }

    @Override
    double derivative(float t, float p) {
        return 1 - t / ((double) p + EPSILON);
    }
}
