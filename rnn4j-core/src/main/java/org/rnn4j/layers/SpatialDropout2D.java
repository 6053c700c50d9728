package org.rnn4j.layers;

import java.util.Map;

/** Keras's SpatialDropout2D: drops whole 2D feature maps in training (see {@link BaseSpatialDropout}). */
public class SpatialDropout2D extends BaseSpatialDropout {
    public SpatialDropout2D(double rate) {
        super(rate, 2);
    }

    /** Keras's {@code seed=}. */
    public SpatialDropout2D seed(long value) {
        setSeed(value);
        return this;
    }

    /** Keras's {@code data_format}: "channels_last" (default) or "channels_first". */
    public SpatialDropout2D dataFormat(String value) {
        setDataFormat(value);
        return this;
    }

    @Override
    public SpatialDropout2D name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public SpatialDropout2D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys). */
    public static SpatialDropout2D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("SpatialDropout2D", config);
        return read(c, new SpatialDropout2D(requiredRate(c)));
    }
}
