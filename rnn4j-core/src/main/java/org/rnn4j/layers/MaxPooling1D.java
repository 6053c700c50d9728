package org.rnn4j.layers;

import java.util.Map;

/** Keras's MaxPooling1D: {@code poolSize} 2 and strides = poolSize by default. */
public class MaxPooling1D extends BasePooling<MaxPooling1D> {
    public MaxPooling1D() {
        this(2);
    }

    public MaxPooling1D(int poolSize) {
        super(1, new int[] {poolSize});
    }

    @Override
    protected MaxPooling1D self() {
        return this;
    }

    public MaxPooling1D poolSize(int p) {
        return setPoolSize(p);
    }

    public MaxPooling1D strides(int s) {
        return setStrides(s);
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static MaxPooling1D fromConfig(Map<String, Object> config) {
        return readConfig(new ConfigReader("MaxPooling1D", config), 1, new int[] {2}, p -> new MaxPooling1D(p[0]));
    }
}
