package org.rnn4j.layers;

/** Keras's MaxPooling2D: {@code poolSize} (2, 2) and strides = poolSize by default. */
public class MaxPooling2D extends BasePooling<MaxPooling2D> {
    public MaxPooling2D() {
        this(2, 2);
    }

    public MaxPooling2D(int poolSize) {
        this(poolSize, poolSize);
    }

    public MaxPooling2D(int poolRows, int poolCols) {
        super(2, new int[] {poolRows, poolCols});
    }

    @Override
    protected MaxPooling2D self() {
        return this;
    }

    public MaxPooling2D poolSize(int p) {
        return setPoolSize(p, p);
    }

    public MaxPooling2D poolSize(int rows, int cols) {
        return setPoolSize(rows, cols);
    }

    public MaxPooling2D strides(int s) {
        return setStrides(s, s);
    }

    public MaxPooling2D strides(int sh, int sw) {
        return setStrides(sh, sw);
    }
}
