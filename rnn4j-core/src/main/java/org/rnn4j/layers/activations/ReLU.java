package org.rnn4j.layers.activations;

import java.util.Map;
import org.rnn4j.layers.config.ConfigValues;

/**
 * Keras's {@code ReLU(max_value=None, negative_slope=0.0, threshold=0.0)}, computed as Keras's
 * {@code activations.relu}: the positive part ({@code x} above the threshold, else 0) clipped to
 * {@code [0, max_value]}, minus {@code negative_slope * relu(threshold - x)}. With a slope and
 * neither cap nor threshold it is the leaky ReLU.
 */
public class ReLU extends ElementwiseActivationLayer {
    private final Float maxValue;
    private final float negativeSlope;
    private final float threshold;

    public ReLU() {
        this(null, 0.0, 0.0);
    }

    /** {@code maxValue} null means no cap. */
    public ReLU(Double maxValue, double negativeSlope, double threshold) {
        if (maxValue != null && !(maxValue >= 0)) {
            throw new IllegalArgumentException("ReLU: max_value of a ReLU layer cannot be a negative value. Received: max_value="
                    + maxValue);
        }
        this.maxValue = maxValue == null ? null : maxValue.floatValue();
        this.negativeSlope = nonNegative("ReLU", "negative_slope of a ReLU layer", negativeSlope);
        this.threshold = nonNegative("ReLU", "threshold of a ReLU layer", threshold);
    }

    public Float maxValue() {
        return maxValue;
    }

    public float negativeSlope() {
        return negativeSlope;
    }

    public float threshold() {
        return threshold;
    }

    @Override
    float apply(float x) {
        float pos = threshold != 0 ? (x > threshold ? x : 0f) : Math.max(x, 0f);
        if (maxValue != null) {
            pos = Math.min(pos, maxValue);
        }
        if (negativeSlope != 0) {
            if (maxValue == null && threshold == 0) {
                return x >= 0 ? x : negativeSlope * x;
            }
            pos -= negativeSlope * Math.max(threshold - x, 0f);
        }
        return pos;
    }

    @Override
    float derivative(float x) {
        float d = x > threshold && (maxValue == null || x < maxValue) ? 1f : 0f;
        if (negativeSlope != 0 && x < threshold) {
            d += negativeSlope;
        }
        return d;
    }

    @Override
    public ReLU name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public ReLU inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("max_value", maxValue == null ? null : (double) maxValue);
        c.put("negative_slope", (double) negativeSlope);
        c.put("threshold", (double) threshold);
        return c;
    }

    /** Rebuilds the layer from its Keras config. */
    public static ReLU fromConfig(Map<String, Object> config) {
        for (String k : new String[] {"negative_slope", "threshold"}) {
            if (config.containsKey(k) && config.get(k) == null) {
                throw new IllegalArgumentException("ReLU: " + k + " of a ReLU layer cannot be None or a negative value");
            }
        }
        Double max = ConfigValues.has(config, "max_value") ? ConfigValues.getDouble(config, "max_value", 0) : null;
        return common(new ReLU(max, ConfigValues.getDouble(config, "negative_slope", 0.0),
                ConfigValues.getDouble(config, "threshold", 0.0)), config);
    }
}
