package org.rnn4j.layers.activations;

import java.util.Arrays;
import java.util.Map;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.Initializers;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.Variable;
import org.rnn4j.layers.config.ConfigValues;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's {@code PReLU}: {@code x} for {@code x > 0}, else {@code alpha * x} with a learned
 * {@code alpha} of the per-sample input shape, size 1 along the {@code shared_axes} (1-based, as in
 * Keras). One weight, {@code alpha}. The mask passes through.
 *
 * <p>{@code alpha_constraint} ({@code constraint("alpha", new NonNeg())}, or from the config) is
 * applied by the optimizer after each step, as Keras does.
 */
public class PReLU extends Layer {
    private Initializer alphaInitializer = Initializers.get("zeros");
    private Regularizer alphaRegularizer;
    private int[] sharedAxes;
    private Variable alpha;

    /** What a training forward pass records for backward. */
    private static final class State {
        Tensor input;
    }

    public PReLU alphaInitializer(Initializer value) {
        checkNotBuilt();
        this.alphaInitializer = value;
        return this;
    }

    public PReLU alphaRegularizer(Regularizer value) {
        checkNotBuilt();
        this.alphaRegularizer = value;
        return this;
    }

    /** The 1-based axes along which alpha is shared (e.g. {@code 1, 2} for (H, W, C) maps); none by default. */
    public PReLU sharedAxes(int... axes) {
        checkNotBuilt();
        this.sharedAxes = axes == null ? null : axes.clone();
        return this;
    }

    public int[] sharedAxes() {
        return sharedAxes == null ? null : sharedAxes.clone();
    }

    public Variable alpha() {
        requireBuilt();
        return alpha;
    }

    @Override
    public PReLU name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public PReLU inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    protected boolean supportsMasking() {
        return true;
    }

    private int[] paramShape(int[] in) {
        int[] p = in.clone();
        if (sharedAxes != null) {
            for (int a : sharedAxes) {
                if (a < 1 || a > in.length) {
                    throw new IllegalArgumentException("PReLU '" + name() + "': shared axis " + a + " is outside 1.."
                            + in.length + " for input " + Shapes.withBatch(in) + " (axes are 1-based, batch excluded)");
                }
                p[a - 1] = 1;
            }
        }
        for (int d : p) {
            if (d < 0) {
                throw shapeError("with known sizes on the non-shared axes", in);
            }
        }
        return p;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        paramShape(in);
        return in.clone();
    }

    @Override
    protected void createWeights(int[] in, Rng rng) {
        alpha = addWeight("alpha", paramShape(in), alphaInitializer, alphaRegularizer, rng);
    }

    /** For each element of one sample, the index of its alpha (shared axes collapse). */
    private int[] alphaIndex(int[] sample) {
        int[] p = alpha.shape();
        int n = 1;
        for (int d : sample) {
            n *= d;
        }
        int[] idx = new int[n];
        int[] coord = new int[sample.length];
        for (int i = 0; i < n; i++) {
            int a = 0;
            for (int k = 0; k < sample.length; k++) {
                a = a * p[k] + (p[k] == 1 ? 0 : coord[k]);
            }
            idx[i] = a;
            for (int k = sample.length - 1; k >= 0; k--) {
                if (++coord[k] < sample[k]) {
                    break;
                }
                coord[k] = 0;
            }
        }
        return idx;
    }

    private int[] checkedSample(Tensor x) {
        int[] sample = Shapes.dropFirst(x.shape());
        int[] built = inputShape();
        boolean ok = sample.length == built.length;
        for (int k = 0; ok && k < sample.length; k++) {
            ok = built[k] == -1 || built[k] == sample[k];
        }
        if (!ok) {
            throw shapeError(Shapes.withBatch(built), sample);
        }
        return sample;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        requireBuilt();
        int[] idx = alphaIndex(checkedSample(x));
        float[] a = alpha.value().data();
        float[] in = x.data();
        float[] out = new float[in.length];
        int n = idx.length;
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            out[i] = v > 0 ? v : a[idx[i % n]] * v;
        }
        if (training) {
            ctx.<State>state(State::new).input = x;
        }
        return Tensor.of(out, x.shape());
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.input == null) {
            throw noForwardRecorded();
        }
        float[] in = s.input.data();
        int[] idx = alphaIndex(Shapes.dropFirst(s.input.shape()));
        float[] a = alpha.value().data();
        float[] ga = alpha.grad().data();
        float[] g = gradOutput.data();
        boolean needDx = ctx.inputGradientNeeded();
        float[] dx = needDx ? new float[in.length] : null;
        int n = idx.length;
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            int j = idx[i % n];
            if (v < 0) {
                ga[j] += g[i] * v;
            }
            if (needDx) {
                // TensorFlow's relu gradient is 0 at 0, so neither branch passes a gradient there.
                dx[i] = v > 0 ? g[i] : v < 0 ? a[j] * g[i] : 0f;
            }
        }
        return needDx ? Tensor.of(dx, gradOutput.shape()) : null;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("alpha_initializer", alphaInitializer.name());
        c.put("alpha_regularizer", ConfigValues.regularizer(alphaRegularizer));
        c.put("alpha_constraint", constraintConfig("alpha"));
        c.put("shared_axes", sharedAxes == null ? null : ConfigValues.intList(sharedAxes));
        return c;
    }

    /** Rebuilds the layer from its Keras config (weights are set separately). */
    public static PReLU fromConfig(Map<String, Object> config) {
        PReLU p = ElementwiseActivationLayer.common(new PReLU(), config);
        p.alphaInitializer(ConfigValues.getInitializer(config, "alpha_initializer", "zeros"));
        p.alphaRegularizer(ConfigValues.getRegularizer(config, "alpha_regularizer"));
        p.constraint("alpha", org.rnn4j.constraints.Constraints.get(config.get("alpha_constraint")));
        int[] axes = ConfigValues.getIntList(config, "shared_axes");
        if (axes != null) {
            p.sharedAxes(axes);
        }
        return p;
    }

    @Override
    public String toString() {
        return super.toString() + (sharedAxes == null ? "" : " shared_axes=" + Arrays.toString(sharedAxes));
    }

}
