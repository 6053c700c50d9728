package org.rnn4j.ops;

/** Keras's {@code keras.src.ops.numpy.Absolute}: {@code |x|}, element-wise. */
public final class Absolute extends UnaryOp {
    public Absolute() {
    }


    @Override
    float apply(float x) {
        return Math.abs(x);
    }

    @Override
    float grad(float x, float y) {
        return x > 0f ? 1f : x < 0f ? -1f : 0f;
    }
}
