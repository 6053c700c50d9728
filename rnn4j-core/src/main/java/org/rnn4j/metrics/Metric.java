package org.rnn4j.metrics;

import org.rnn4j.tensor.Tensor;

/** A Keras metric: state accumulated over batches by {@link #update}, read by {@link #result}. */
public interface Metric {
    /** The name shown in logs and history ({@code mae}, {@code accuracy}, ...). */
    String name();

    void update(Tensor yTrue, Tensor yPred);

    double result();

    void reset();

    /** True when larger is better (accuracy); used by callbacks in {@code mode="auto"}. */
    default boolean higherIsBetter() {
        return false;
    }
}
