package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's SpatialDropout1D: in training drops whole channels of {@code (batch, steps, channels)}
 * (noise shape {@code (batch, 1, channels)}) and scales the rest by {@code 1/(1-rate)};
 * identity at inference. The mask passes through.
 */
public class SpatialDropout1D extends Layer {
    private final float rate;
    private Long seed;
    private long streamSeed;

    /** A training call's random stream (started from the layer's seed) and the channel scales it applied. */
    private static final class State {
        Rng rng;
        float[] scale;
        int steps;
    }

    public SpatialDropout1D(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("SpatialDropout1D: rate must be in [0, 1), got " + rate);
        }
        this.rate = (float) rate;
    }

    public float rate() {
        return rate;
    }

    /** Keras's {@code seed=}: fixes the dropout stream instead of drawing it from the model's generator. */
    public SpatialDropout1D seed(long value) {
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
    public SpatialDropout1D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public SpatialDropout1D name(String n) {
        super.name(n);
        return this;
    }

    @Override
    protected boolean supportsMasking() {
        return true;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length != 2) {
            throw shapeError("(None, steps, channels)", in);
        }
        return in.clone();
    }

    @Override
    protected void createWeights(int[] in, Rng r) {
        // Consumes the model's generator as before (one split), so later layers' weights are unchanged.
        long drawn = r.split().nextLong();
        if (seed == null) {
            this.streamSeed = drawn;
        }
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        requireBuilt();
        if (x.rank() != 3) {
            throw shapeError(Shapes.withBatch(inputShape()), Shapes.dropFirst(x.shape()));
        }
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
        int batch = x.dim(0);
        int steps = x.dim(1);
        int channels = x.dim(2);
        float[] scale = new float[batch * channels];
        for (int i = 0; i < scale.length; i++) {
            scale[i] = s.rng.nextDouble() < rate ? 0f : 1f / (1f - rate);
        }
        Tensor y = Tensor.zeros(x.shape());
        apply(x.data(), scale, y.data(), batch, steps, channels);
        s.scale = scale;
        s.steps = steps;
        return y;
    }

    private static void apply(float[] in, float[] scale, float[] out, int batch, int steps, int channels) {
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int o = (b * steps + t) * channels;
                for (int c = 0; c < channels; c++) {
                    out[o + c] = in[o + c] * scale[b * channels + c];
                }
            }
        }
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.scale == null) {
            return gradOutput;
        }
        Tensor dx = Tensor.zeros(gradOutput.shape());
        apply(gradOutput.data(), s.scale, dx.data(), gradOutput.dim(0), s.steps, gradOutput.dim(2));
        return dx;
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static SpatialDropout1D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("SpatialDropout1D", config);
        c.ignore("noise_shape"); // training only
        SpatialDropout1D d = new SpatialDropout1D(c.number("rate", 0));
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
        return c;
    }
}
