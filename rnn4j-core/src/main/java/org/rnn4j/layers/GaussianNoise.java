package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's GaussianNoise: in training adds zero-centred Gaussian noise of standard deviation
 * {@code stddev} (Keras accepts [0, 1]); identity at inference. The mask passes through.
 */
public class GaussianNoise extends NoiseLayer {
    private final double stddev;

    public GaussianNoise(double stddev) {
        this.stddev = checkUnit("GaussianNoise", "stddev", stddev);
    }

    public double stddev() {
        return stddev;
    }

    /** Keras's {@code seed=}. */
    public GaussianNoise seed(long value) {
        setSeed(value);
        return this;
    }

    @Override
    public GaussianNoise name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public GaussianNoise inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    protected boolean active() {
        return stddev > 0;
    }

    @Override
    protected float[] applyNoise(Tensor x, Rng rng, float[] out) {
        float[] xd = x.data();
        for (int i = 0; i < out.length; i++) {
            out[i] = xd[i] + (float) (stddev * rng.normal());
        }
        return null; // additive: dy/dx = 1
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys). */
    public static GaussianNoise fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("GaussianNoise", config);
        if (!c.has("stddev")) {
            throw c.error("option stddev is required");
        }
        return c.finish(readSeed(c, new GaussianNoise(c.number("stddev", 0))));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("stddev", stddev);
        c.put("seed", seed());
        return c;
    }
}
