package org.rnn4j.layers;

import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * The shared design of Keras's training-only random layers (GaussianNoise, GaussianDropout,
 * AlphaDropout, SpatialDropout2D/3D), as {@link Dropout}: identity at inference; in training the
 * noise comes from a random stream kept in each call context, started from the layer's seed
 * (drawn from the model's generator when the layer is built, or given with {@code seed}), so a
 * seeded model trains the same way every run and concurrent contexts never share a generator.
 * Every such layer is elementwise affine in its input during training, so backward multiplies the
 * output gradient by the {@code dy/dx} factors the forward pass recorded (none: identity).
 */
public abstract class NoiseLayer extends Layer {
    private Long seed;
    private long streamSeed;

    /** A training call's random stream and the {@code dy/dx} factors it applied (null: identity). */
    private static final class State {
        Rng rng;
        float[] dydx;
    }

    protected NoiseLayer() {
    }

    /** Keras's {@code seed=}: fixes the noise stream instead of drawing it from the model's generator. */
    protected final void setSeed(long value) {
        checkNotBuilt();
        this.seed = value;
        this.streamSeed = value;
    }

    /** The seed given with {@code seed(...)}, or null (Keras's {@code seed=None}). */
    public final Long seed() {
        return seed;
    }

    @Override
    protected boolean supportsMasking() {
        return true;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        checkInputShape(in);
        return in.clone();
    }

    /** Throws a shape error when the layer does not take this per-sample shape; any shape by default. */
    protected void checkInputShape(int[] in) {
    }

    @Override
    protected void createWeights(int[] in, Rng rng) {
        // One split of the model's generator, as Dropout, so the weights of later layers do not
        // depend on whether the seed was given.
        long drawn = rng.split().nextLong();
        if (seed == null) {
            this.streamSeed = drawn;
        }
    }

    /** Whether training changes anything (e.g. {@code rate > 0}); Keras skips the noise otherwise. */
    protected abstract boolean active();

    /**
     * Writes the training output of {@code x} into {@code out} drawing from {@code rng}; returns
     * the per-element {@code dy/dx}, or null when it is 1 everywhere.
     */
    protected abstract float[] applyNoise(Tensor x, Rng rng, float[] out);

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        if (!training || !active()) {
            State s = ctx.existingState();
            if (s != null) {
                s.dydx = null;
            }
            return x;
        }
        State s = ctx.state(State::new);
        if (s.rng == null) {
            s.rng = new Rng(streamSeed);
        }
        float[] out = new float[x.size()];
        s.dydx = applyNoise(x, s.rng, out);
        return Tensor.of(out, x.shape());
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.dydx == null) {
            return gradOutput;
        }
        float[] f = s.dydx;
        float[] g = gradOutput.data();
        float[] dx = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            dx[i] = g[i] * f[i];
        }
        return Tensor.of(dx, gradOutput.shape());
    }

    /** Keras's check of {@code rate}/{@code stddev}: a value in [0, 1]. */
    static double checkUnit(String layer, String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(layer + ": invalid value received for argument `" + option
                    + "`: expected a float value between 0 and 1, got " + option + "=" + value);
        }
        return value;
    }

    /** Reads Keras's {@code seed} (null or an integer) into the layer. */
    static <L extends NoiseLayer> L readSeed(ConfigReader c, L layer) {
        Long s = c.integer("seed");
        if (s != null) {
            layer.setSeed(s);
        }
        return layer;
    }
}
