package org.rnn4j.losses;

/** Keras's Hinge: {@code mean(max(1 - t p, 0))} over the last axis, 0/1 targets mapped to -1/1. */
public final class Hinge extends HingeLoss {
    public Hinge() {
        super("hinge", "Hinge");
    }

    @Override
    double value(double margin) {
        return margin;
    }

    @Override
    double derivative(double margin) {
        return 1;
    }
}
