package org.rnn4j.layers;

import java.util.Map;

/**
 * Keras's AveragePooling2D: strides = poolSize by default (Keras 3 requires the pool size); with
 * "same" padding a window's mean counts only real elements (as TensorFlow).
 */
public class AveragePooling2D extends BasePooling<AveragePooling2D> {
    public AveragePooling2D(int poolSize) {
        this(poolSize, poolSize);
    }

    public AveragePooling2D(int poolRows, int poolCols) {
        super(2, new int[] {poolRows, poolCols}, true);
    }

    @Override
    protected AveragePooling2D self() {
        return this;
    }

    public AveragePooling2D poolSize(int p) {
        return setPoolSize(p, p);
    }

    public AveragePooling2D poolSize(int rows, int cols) {
        return setPoolSize(rows, cols);
    }

    public AveragePooling2D strides(int s) {
        return setStrides(s, s);
    }

    public AveragePooling2D strides(int sh, int sw) {
        return setStrides(sh, sw);
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static AveragePooling2D fromConfig(Map<String, Object> config) {
        return readConfig(new ConfigReader("AveragePooling2D", config), 2, null, p -> new AveragePooling2D(p[0], p[1]));
    }
}
