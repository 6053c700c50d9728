package org.rnn4j.losses;

import java.util.Map;

/** Keras's Huber: {@code 0.5 e^2} for {@code |e| <= delta}, else {@code delta |e| - 0.5 delta^2}. */
public final class Huber extends ElementwiseLoss {
    private final double delta;

    public Huber() {
        this(1.0);
    }

    public Huber(double delta) {
        super("huber_loss", "Huber");
        if (!(delta > 0)) {
            throw new IllegalArgumentException("Huber: delta must be positive, got " + delta);
        }
        this.delta = delta;
    }

    public double delta() {
        return delta;
    }

    @Override
    double value(float t, float p) {
        double e = (double) p - t;
        double a = Math.abs(e);
        return a <= delta ? 0.5 * e * e : delta * a - 0.5 * delta * delta;
    }

    @Override
    double derivative(float t, float p) {
        double e = (double) p - t;
        return Math.abs(e) <= delta ? e : delta * Math.signum(e);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        if (delta != 1.0) {
            c.put("delta", delta); // Keras 3.15 omits delta from its config; kept so it survives a round trip
        }
        return c;
    }
}
