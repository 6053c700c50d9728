package org.rnn4j.ops;

import java.util.List;

/** Keras's {@code keras.src.ops.numpy.Subtract}: the difference of two arguments, NumPy broadcasting (see {@link BinaryOp}). */
public final class Subtract extends BinaryOp {
    /** Both arguments tensors. */
    public Subtract() {
    }

    /** Two layout entries, each {@link Op#TENSOR} or a constant in Keras JSON form. */
    public Subtract(List<Object> args) {
        super(args);
    }

    @Override
    float apply(float a, float b) {
        return a - b;
    }

    @Override
    float gradA(float a, float b) {
        return 1f;
    }

    @Override
    float gradB(float a, float b) {
        return -1f;
    }
}
