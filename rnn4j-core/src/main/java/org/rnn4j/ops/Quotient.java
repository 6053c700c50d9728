package org.rnn4j.ops;

import java.util.List;

/** {@link Divide} and {@link TrueDivide} (the same for floats): {@code a / b}, NumPy broadcasting (see {@link BinaryOp}). */
public abstract class Quotient extends BinaryOp {
    Quotient() {
    }

    Quotient(List<Object> args) {
        super(args);
    }

    @Override
    final float apply(float a, float b) {
        return a / b;
    }

    @Override
    final float gradA(float a, float b) {
        return 1f / b;
    }

    @Override
    final float gradB(float a, float b) {
        return -a / (b * b);
    }
}
