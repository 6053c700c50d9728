package org.rnn4j.ops;

/** Keras's {@code keras.src.ops.numpy.Sqrt}: the square root, element-wise. */
public final class Sqrt extends UnaryOp {
    public Sqrt() {
    }


    @Override
    float apply(float x) {
        return (float) Math.sqrt(x);
    }

    @Override
    float grad(float x, float y) {
        return 0.5f / y;
    }
}
