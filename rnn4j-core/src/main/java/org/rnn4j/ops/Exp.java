package org.rnn4j.ops;

/** Keras's {@code keras.src.ops.numpy.Exp}: {@code exp(x)}, element-wise. */
public final class Exp extends UnaryOp {
    public Exp() {
    }


    @Override
    float apply(float x) {
        return (float) Math.exp(x);
    }

    @Override
    float grad(float x, float y) {
        return y;
    }
}
