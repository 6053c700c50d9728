package org.rnn4j.ops;

/** Keras's {@code keras.src.ops.numpy.Square}: {@code x * x}, element-wise. */
public final class Square extends UnaryOp {
    public Square() {
    }


    @Override
    float apply(float x) {
        return x * x;
    }

    @Override
    float grad(float x, float y) {
        return 2f * x;
    }
}
