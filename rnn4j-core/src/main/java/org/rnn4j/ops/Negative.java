package org.rnn4j.ops;

/** Keras's {@code keras.src.ops.numpy.Negative}: {@code -x}, element-wise. */
public final class Negative extends UnaryOp {
    public Negative() {
    }


    @Override
    float apply(float x) {
        return -x;
    }

    @Override
    float grad(float x, float y) {
        return -1f;
    }
}
