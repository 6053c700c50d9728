package org.rnn4j.layers;

import java.util.Map;

/**
 * Keras's AveragePooling1D: strides = poolSize by default (Keras 3 requires the pool size); with "same"
 * padding a window's mean counts only real steps (as TensorFlow).
 */
public class AveragePooling1D extends BasePooling<AveragePooling1D> {
    public AveragePooling1D(int poolSize) {
        super(1, new int[] {poolSize}, true);
    }

    @Override
    protected AveragePooling1D self() {
        return this;
    }

    public AveragePooling1D poolSize(int p) {
        return setPoolSize(p);
    }

    public AveragePooling1D strides(int s) {
        return setStrides(s);
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static AveragePooling1D fromConfig(Map<String, Object> config) {
        return readConfig(new ConfigReader("AveragePooling1D", config), 1, null, p -> new AveragePooling1D(p[0]));
    }
}
