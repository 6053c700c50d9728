package org.rnn4j.ops;

/** Keras's {@code keras.src.ops.numpy.Log}: the natural logarithm, element-wise. */
public final class Log extends UnaryOp {
    public Log() {
    }


    @Override
    float apply(float x) {
        return (float) Math.log(x);
    }

    @Override
    float grad(float x, float y) {
        return 1f / x;
    }
}
