package org.rnn4j.layers;

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
}
