package org.rnn4j.layers;

import java.util.Map;

/** Keras's SpatialDropout3D: drops whole 3D feature maps in training (see {@link BaseSpatialDropout}). */
public class SpatialDropout3D extends BaseSpatialDropout {
    public SpatialDropout3D(double rate) {
        super(rate, 3);
    }

    /** Keras's {@code seed=}. */
    public SpatialDropout3D seed(long value) {
        setSeed(value);
        return this;
    }

    /** Keras's {@code data_format}: "channels_last" (default) or "channels_first". */
    public SpatialDropout3D dataFormat(String value) {
        setDataFormat(value);
        return this;
    }

    @Override
    public SpatialDropout3D name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public SpatialDropout3D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys). */
    public static SpatialDropout3D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("SpatialDropout3D", config);
        return read(c, new SpatialDropout3D(requiredRate(c)));
    }
}
