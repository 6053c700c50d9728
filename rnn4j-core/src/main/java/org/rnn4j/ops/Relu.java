package org.rnn4j.ops;

/** Keras's {@code keras.src.ops.nn.Relu}: {@code max(x, 0)}, element-wise. */
public final class Relu extends UnaryOp {
    public Relu() {
    }

    @Override
    public String kerasModule() {
        return "keras.src.ops.nn";
    }

    @Override
    float apply(float x) {
        return x > 0f ? x : 0f;
    }

    @Override
    float grad(float x, float y) {
        return x > 0f ? 1f : 0f;
    }
}
