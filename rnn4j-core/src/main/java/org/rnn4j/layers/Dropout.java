package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's Dropout: identity at inference; in training zeroes with probability {@code rate}, scales by 1/(1-rate).
 * The masks come from a random stream kept in each call context, started from the layer's seed
 * (drawn from the model's generator when the layer is built, or given with {@link #seed}), so a
 * seeded model trains the same way every run and concurrent contexts never share a generator.
 */
public class Dropout extends Layer {
    private final float rate;
    private Long seed;
    private long streamSeed;

    /** A training call's random stream and the scale (0 or 1/(1-rate)) it applied, for backward. */
    private static final class State {
        Rng rng;
        float[] scale;
    }

    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout: rate must be in [0, 1), got " + rate);
        }
        this.rate = (float) rate;
    }

    public float rate() {
        return rate;
    }

    /** Keras's {@code seed=}: fixes the dropout stream instead of drawing it from the model's generator. */
    public Dropout seed(long value) {
        checkNotBuilt();
        this.seed = value;
        this.streamSeed = value;
        return this;
    }

    /** The seed given with {@link #seed}, or null. */
    public Long seed() {
        return seed;
    }

    @Override
    public Dropout inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Dropout name(String n) {
        super.name(n);
        return this;
    }

    @Override
    protected boolean supportsMasking() {
        return true;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        return in.clone();
    }

    @Override
    protected void createWeights(int[] in, Rng rng) {
        // Consumes the model's generator as before (one split), so later layers' weights are unchanged.
        long drawn = rng.split().nextLong();
        if (seed == null) {
            this.streamSeed = drawn;
        }
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        if (!training || rate == 0f) {
            State s = ctx.existingState();
            if (s != null) {
                s.scale = null;
            }
            return x;
        }
        State s = ctx.state(State::new);
        if (s.rng == null) {
            s.rng = new Rng(streamSeed);
        }
        float keep = 1f - rate;
        float[] scale = new float[x.size()];
        float[] out = new float[x.size()];
        float[] xd = x.data();
        Rng rng = s.rng;
        for (int i = 0; i < out.length; i++) {
            scale[i] = rng.nextDouble() < rate ? 0f : 1f / keep;
            out[i] = xd[i] * scale[i];
        }
        s.scale = scale;
        return Tensor.of(out, x.shape());
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.scale == null) {
            return gradOutput;
        }
        float[] scale = s.scale;
        float[] g = gradOutput.data();
        float[] dx = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            dx[i] = g[i] * scale[i];
        }
        return Tensor.of(dx, gradOutput.shape());
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static Dropout fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("Dropout", config);
        c.ignore("noise_shape"); // training only
        Dropout d = new Dropout(c.number("rate", 0));
        Long s = c.integer("seed");
        if (s != null) {
            d.seed(s);
        }
        return c.finish(d);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("rate", (double) rate);
        c.put("seed", seed);
        c.put("noise_shape", null);
        return c;
    }
}
