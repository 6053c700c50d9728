package org.rnn4j.ops;

/** Keras's {@code keras.src.ops.nn.Sigmoid}: {@code 1 / (1 + exp(-x))}, element-wise. */
public final class Sigmoid extends UnaryOp {
    public Sigmoid() {
    }

    @Override
    public String kerasModule() {
        return "keras.src.ops.nn";
    }

    @Override
    float apply(float x) {
        return org.rnn4j.activations.Activations.sigmoid(x);
    }

    @Override
    float grad(float x, float y) {
        return y * (1f - y);
    }
}
