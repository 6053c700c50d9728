package org.rnn4j.layers;

import java.util.Map;

/** Keras's MaxPooling3D over {@code (batch, d1, d2, d3, channels)} (or channels_first): {@code poolSize} (2, 2, 2) and strides = poolSize by default. */
public class MaxPooling3D extends BasePooling<MaxPooling3D> {
    public MaxPooling3D() {
        this(2, 2, 2);
    }

    public MaxPooling3D(int poolSize) {
        this(poolSize, poolSize, poolSize);
    }

    public MaxPooling3D(int p1, int p2, int p3) {
        super(3, new int[] {p1, p2, p3}, false);
    }

    @Override
    protected MaxPooling3D self() {
        return this;
    }

    public MaxPooling3D strides(int s) {
        return setStrides(s, s, s);
    }

    public MaxPooling3D strides(int s1, int s2, int s3) {
        return setStrides(s1, s2, s3);
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case). */
    public static MaxPooling3D fromConfig(Map<String, Object> config) {
        return readConfig(new ConfigReader("MaxPooling3D", config), 3, new int[] {2, 2, 2},
                p -> new MaxPooling3D(p[0], p[1], p[2]));
    }
}
