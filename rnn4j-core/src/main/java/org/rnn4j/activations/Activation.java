package org.rnn4j.activations;

/**
 * An activation over a block of {@code rows x cols} values. Element-wise activations ignore the
 * row structure; softmax normalises each row (the last axis, as in Keras).
 */
public interface Activation {
    /** Keras's identifier, e.g. {@code "relu"}. */
    String name();

    /** {@code y = f(x)}; {@code x} and {@code y} may be the same array. */
    void forward(float[] x, float[] y, int off, int rows, int cols);

    /**
     * {@code dx = dy * f'(x)} given the input {@code x} and output {@code y} of the forward pass;
     * {@code dx} may alias {@code dy}.
     */
    void backward(float[] x, float[] y, float[] dy, float[] dx, int off, int rows, int cols);

    /** True when {@link #backward} reads only {@code y}, so callers may pass null for {@code x}. */
    default boolean derivativeFromOutput() {
        return false;
    }
}
