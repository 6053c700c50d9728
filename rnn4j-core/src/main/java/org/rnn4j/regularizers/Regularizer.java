package org.rnn4j.regularizers;

/** A weight penalty added to the loss (Keras's kernel/recurrent/bias regularizers). */
public interface Regularizer {
    /** The penalty for these weights. */
    double penalty(float[] weights);

    /** Adds d(penalty)/d(weights) into {@code grad}. */
    void addGradient(float[] weights, float[] grad);

    String name();
}
