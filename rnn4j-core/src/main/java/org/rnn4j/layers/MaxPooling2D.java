package org.rnn4j.layers;

import java.util.Map;

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

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static MaxPooling2D fromConfig(Map<String, Object> config) {
        return readConfig(new ConfigReader("MaxPooling2D", config), 2, new int[] {2, 2}, p -> new MaxPooling2D(p[0], p[1]));
    }
}
