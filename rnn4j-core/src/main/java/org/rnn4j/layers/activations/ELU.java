package org.rnn4j.layers.activations;

import java.util.Map;
import org.rnn4j.layers.config.ConfigValues;

/**
 * Keras's {@code ELU(alpha=1.0)}: {@code x} for {@code x > 0}, else {@code alpha * (exp(x) - 1)}
 * (computed with expm1, as TensorFlow does, so small negatives keep their digits).
 *
 * <p>Keras 3.15's {@code ELU.get_config} leaves {@code alpha} out, so a Keras-saved ELU reloads
 * with alpha 1.0; rnn4j writes {@code alpha} (Keras's constructor accepts it), so our files keep it.
 */
public class ELU extends ElementwiseActivationLayer {
    private final float alpha;

    public ELU() {
        this(1.0);
    }

    public ELU(double alpha) {
        if (Double.isNaN(alpha)) {
            throw new IllegalArgumentException("ELU: alpha must be a number, got NaN");
        }
        this.alpha = (float) alpha;
    }

    public float alpha() {
        return alpha;
    }

    @Override
    float apply(float x) {
        return x > 0 ? x : alpha * (float) Math.expm1(x);
    }

    @Override
    float derivative(float x) {
        return x > 0 ? 1f : alpha * (float) Math.exp(x);
    }

    @Override
    public ELU name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public ELU inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("alpha", (double) alpha);
        return c;
    }

    /** Rebuilds the layer from its Keras config ({@code alpha}, 1.0 when absent as Keras writes it). */
    public static ELU fromConfig(Map<String, Object> config) {
        return common(new ELU(ConfigValues.getDouble(config, "alpha", 1.0)), config);
    }
}
