package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's GaussianDropout: in training multiplies by 1-centred Gaussian noise of standard
 * deviation {@code sqrt(rate / (1 - rate))}; identity at inference. The mask passes through.
 */
public class GaussianDropout extends NoiseLayer {
    private final double rate;

    public GaussianDropout(double rate) {
        this.rate = checkUnit("GaussianDropout", "rate", rate);
    }

    public double rate() {
        return rate;
    }

    /** Keras's {@code seed=}. */
    public GaussianDropout seed(long value) {
        setSeed(value);
        return this;
    }

    @Override
    public GaussianDropout name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public GaussianDropout inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    protected boolean active() {
        return rate > 0;
    }

    @Override
    protected float[] applyNoise(Tensor x, Rng rng, float[] out) {
        if (rate >= 1) {
            // Keras divides by 1 - rate here and fails the same way (ZeroDivisionError)
            throw new IllegalStateException("GaussianDropout '" + name() + "': rate=1 has an infinite noise"
                    + " deviation sqrt(rate / (1 - rate)); use a rate below 1");
        }
        double stddev = Math.sqrt(rate / (1.0 - rate));
        float[] xd = x.data();
        float[] dydx = new float[out.length];
        for (int i = 0; i < out.length; i++) {
            dydx[i] = (float) (1.0 + stddev * rng.normal());
            out[i] = xd[i] * dydx[i];
        }
        return dydx;
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys). */
    public static GaussianDropout fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("GaussianDropout", config);
        if (!c.has("rate")) {
            throw c.error("option rate is required");
        }
        return c.finish(readSeed(c, new GaussianDropout(c.number("rate", 0))));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("rate", rate);
        c.put("seed", seed());
        return c;
    }
}
