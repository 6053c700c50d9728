package org.rnn4j.losses;

/** Keras's SquaredHinge: {@code mean(max(1 - t p, 0)^2)} over the last axis, 0/1 targets mapped to -1/1. */
public final class SquaredHinge extends HingeLoss {
    public SquaredHinge() {
        super("squared_hinge", "SquaredHinge");
    }

    @Override
    double value(double margin) {
        return margin * margin;
    }

    @Override
    double derivative(double margin) {
        return 2 * margin;
    }
}
