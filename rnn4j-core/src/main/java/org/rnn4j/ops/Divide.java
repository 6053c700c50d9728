package org.rnn4j.ops;

import java.util.List;

/** Keras's {@code keras.src.ops.numpy.Divide}: the quotient of two arguments, NumPy broadcasting (see {@link BinaryOp}). */
public final class Divide extends BinaryOp {
    /** Both arguments tensors. */
    public Divide() {
    }

    /** Two layout entries, each {@link Op#TENSOR} or a constant in Keras JSON form. */
    public Divide(List<Object> args) {
        super(args);
    }

    @Override
    float apply(float a, float b) {
        return a / b;
    }

    @Override
    float gradA(float a, float b) {
        return 1f / b;
    }

    @Override
    float gradB(float a, float b) {
        return -a / (b * b);
    }
}
