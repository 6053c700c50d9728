package org.rnn4j.ops;

import java.util.List;

/** Keras's {@code keras.src.ops.numpy.Multiply}: the product of two arguments, NumPy broadcasting (see {@link BinaryOp}). */
public final class Multiply extends BinaryOp {
    /** Both arguments tensors. */
    public Multiply() {
    }

    /** Two layout entries, each {@link Op#TENSOR} or a constant in Keras JSON form. */
    public Multiply(List<Object> args) {
        super(args);
    }

    @Override
    float apply(float a, float b) {
        return a * b;
    }

    @Override
    float gradA(float a, float b) {
        return b;
    }

    @Override
    float gradB(float a, float b) {
        return a;
    }
}
