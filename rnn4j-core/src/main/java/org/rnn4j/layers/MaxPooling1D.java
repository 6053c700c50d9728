package org.rnn4j.layers;

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
}
