package org.rnn4j.ops;

import java.util.List;

/**
 * Keras's {@code keras.src.ops.numpy.TrueDivide}: the quotient (true division; the same as Divide
 * for floats) of two arguments, NumPy broadcasting (see {@link Quotient}).
 */
public final class TrueDivide extends Quotient {
    /** Both arguments tensors. */
    public TrueDivide() {
    }

    /** Two layout entries, each {@link Op#TENSOR} or a constant in Keras JSON form. */
    public TrueDivide(List<Object> args) {
        super(args);
    }
}
