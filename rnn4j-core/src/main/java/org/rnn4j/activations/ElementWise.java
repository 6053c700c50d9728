package org.rnn4j.activations;

/** Base for element-wise activations: one scalar function and its derivative. */
abstract class ElementWise implements Activation {
    private final String name;

    ElementWise(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    abstract float apply(float x);

    /** f'(x) given x and y = f(x). */
    abstract float derivative(float x, float y);

    @Override
    public void forward(float[] x, float[] y, int off, int rows, int cols) {
        int end = off + rows * cols;
        for (int i = off; i < end; i++) {
            y[i] = apply(x[i]);
        }
    }

    @Override
    public void backward(float[] x, float[] y, float[] dy, float[] dx, int off, int rows, int cols) {
        int end = off + rows * cols;
        for (int i = off; i < end; i++) {
            dx[i] = dy[i] * derivative(x == null ? 0f : x[i], y[i]);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
