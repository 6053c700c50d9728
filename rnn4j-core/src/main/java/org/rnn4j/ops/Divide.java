package org.rnn4j.ops;

import java.util.List;

/** Keras's {@code keras.src.ops.numpy.Divide}: the quotient of two arguments, NumPy broadcasting (see {@link Quotient}). */
public final class Divide extends Quotient {
    /** Both arguments tensors. */
    public Divide() {
    }

    /** Two layout entries, each {@link Op#TENSOR} or a constant in Keras JSON form. */
    public Divide(List<Object> args) {
        super(args);
    }
}
