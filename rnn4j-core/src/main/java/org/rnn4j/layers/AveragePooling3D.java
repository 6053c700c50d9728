package org.rnn4j.layers;

import java.util.Map;

/** Keras's AveragePooling3D over {@code (batch, d1, d2, d3, channels)} (or channels_first): strides = poolSize by default; with "same" padding a window's mean counts only real elements (as TensorFlow). */
public class AveragePooling3D extends BasePooling<AveragePooling3D> {
    public AveragePooling3D(int poolSize) {
        this(poolSize, poolSize, poolSize);
    }

    public AveragePooling3D(int p1, int p2, int p3) {
        super(3, new int[] {p1, p2, p3}, true);
    }

    @Override
    protected AveragePooling3D self() {
        return this;
    }

    public AveragePooling3D strides(int s) {
        return setStrides(s, s, s);
    }

    public AveragePooling3D strides(int s1, int s2, int s3) {
        return setStrides(s1, s2, s3);
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case). */
    public static AveragePooling3D fromConfig(Map<String, Object> config) {
        return readConfig(new ConfigReader("AveragePooling3D", config), 3, null,
                p -> new AveragePooling3D(p[0], p[1], p[2]));
    }
}
