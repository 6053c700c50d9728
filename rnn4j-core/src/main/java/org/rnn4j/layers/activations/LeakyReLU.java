package org.rnn4j.layers.activations;

import java.util.Map;
import org.rnn4j.layers.config.ConfigValues;

/**
 * Keras's {@code LeakyReLU(negative_slope=0.3)}: {@code x} for {@code x >= 0}, else
 * {@code negative_slope * x}. Keras 2's {@code alpha} is accepted in configs, as Keras 3 does.
 */
public class LeakyReLU extends ElementwiseActivationLayer {
    private final float negativeSlope;

    public LeakyReLU() {
        this(0.3);
    }

    public LeakyReLU(double negativeSlope) {
        if (!(negativeSlope >= 0)) {
            throw new IllegalArgumentException("LeakyReLU: The negative_slope value of a Leaky ReLU layer cannot be None "
                    + "or negative value. Expected a float. Received: negative_slope=" + negativeSlope);
        }
        this.negativeSlope = (float) negativeSlope;
    }

    public float negativeSlope() {
        return negativeSlope;
    }

    @Override
    float apply(float x) {
        return x >= 0 ? x : negativeSlope * x;
    }

    @Override
    float derivative(float x) {
        return x > 0 ? 1f : negativeSlope;
    }

    @Override
    public LeakyReLU name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public LeakyReLU inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("negative_slope", (double) negativeSlope);
        return c;
    }

    /** Rebuilds the layer from its Keras config ({@code negative_slope}, or Keras 2's {@code alpha}). */
    public static LeakyReLU fromConfig(Map<String, Object> config) {
        String key = config.containsKey("alpha") && !config.containsKey("negative_slope") ? "alpha" : "negative_slope";
        if (config.containsKey(key) && config.get(key) == null) {
            throw new IllegalArgumentException("LeakyReLU: The negative_slope value of a Leaky ReLU layer cannot be None");
        }
        return common(new LeakyReLU(ConfigValues.getDouble(config, key, 0.3)), config);
    }
}
