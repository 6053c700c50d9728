package org.rnn4j.ops;

/** Keras's {@code keras.src.ops.numpy.Tanh}: {@code tanh(x)}, element-wise. */
public final class Tanh extends UnaryOp {
    public Tanh() {
    }


    @Override
    float apply(float x) {
        return (float) Math.tanh(x);
    }

    @Override
    float grad(float x, float y) {
        return 1f - y * y;
    }
}
