package org.rnn4j.layers.normalization;

import java.util.Arrays;
import java.util.Map;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.Initializers;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.Variable;
import org.rnn4j.layers.config.ConfigValues;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras 3's LayerNormalization: per sample, normalizes over {@code axis} (default the last; several
 * axes allowed, never the batch axis) with {@code y = (x - mean) / sqrt(var + epsilon) * gamma + beta}.
 * {@code gamma} and {@code beta} have the shape of the normalized axes; {@code scale=false} drops
 * gamma, {@code center=false} drops beta. Masks pass through unchanged (Keras's {@code supports_masking}).
 */
public class LayerNormalization extends Layer {
    private int[] axis = {-1};
    private double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;
    private Initializer gammaInitializer = Initializers.get("ones");
    private Initializer betaInitializer = Initializers.get("zeros");
    private Regularizer gammaRegularizer;
    private Regularizer betaRegularizer;

    private int[] normAxes; // per-sample axes (0 = the first axis after batch), sorted; set when built
    private Variable gamma;
    private Variable beta;

    public LayerNormalization() {
    }

    /** Keras's {@code axis}: one or several axes of the full input (batch included: -1 = last, 1 = first after batch). */
    public LayerNormalization axis(int... axes) {
        checkNotBuilt();
        if (axes.length == 0) {
            throw new IllegalArgumentException("LayerNormalization: axis needs at least one axis");
        }
        this.axis = axes.clone();
        return this;
    }

    public LayerNormalization epsilon(double value) {
        checkNotBuilt();
        if (!(value > 0)) {
            throw new IllegalArgumentException("LayerNormalization: epsilon must be positive, got " + value);
        }
        this.epsilon = value;
        return this;
    }

    public LayerNormalization center(boolean value) {
        checkNotBuilt();
        this.center = value;
        return this;
    }

    public LayerNormalization scale(boolean value) {
        checkNotBuilt();
        this.scale = value;
        return this;
    }

    public LayerNormalization gammaInitializer(String name) {
        return gammaInitializer(Initializers.get(name));
    }

    public LayerNormalization gammaInitializer(Initializer init) {
        checkNotBuilt();
        this.gammaInitializer = init;
        return this;
    }

    public LayerNormalization betaInitializer(String name) {
        return betaInitializer(Initializers.get(name));
    }

    public LayerNormalization betaInitializer(Initializer init) {
        checkNotBuilt();
        this.betaInitializer = init;
        return this;
    }

    public LayerNormalization gammaRegularizer(Regularizer r) {
        checkNotBuilt();
        this.gammaRegularizer = r;
        return this;
    }

    public LayerNormalization betaRegularizer(Regularizer r) {
        checkNotBuilt();
        this.betaRegularizer = r;
        return this;
    }

    @Override
    public LayerNormalization name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public LayerNormalization inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    public int[] axis() {
        return axis.clone();
    }

    public double epsilon() {
        return epsilon;
    }

    public boolean center() {
        return center;
    }

    public boolean scale() {
        return scale;
    }

    /** gamma, or null with {@code scale=false}. */
    public Variable gamma() {
        return gamma;
    }

    /** beta, or null with {@code center=false}. */
    public Variable beta() {
        return beta;
    }

    @Override
    protected boolean supportsMasking() {
        return true;
    }

    /** The sorted per-sample axes for a per-sample input shape. */
    private int[] canonicalAxes(int[] in) {
        int fullRank = in.length + 1;
        int[] out = new int[axis.length];
        for (int i = 0; i < axis.length; i++) {
            int a = axis[i] < 0 ? axis[i] + fullRank : axis[i];
            if (a < 1 || a >= fullRank) {
                throw new LayerShapeException("Layer '" + name() + "' (LayerNormalization): axis " + axis[i]
                        + " is out of range for input of shape " + Shapes.withBatch(in)
                        + (a == 0 ? " (the batch axis cannot be normalized)" : ""));
            }
            out[i] = a - 1;
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException("Layer '" + name() + "' (LayerNormalization): duplicate axes "
                        + Arrays.toString(axis));
            }
        }
        for (int a : out) {
            if (in[a] <= 0) {
                throw shapeError("a known size on every normalized axis " + Arrays.toString(axis), in);
            }
        }
        return out;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length < 1) {
            throw shapeError("(None, ..., features)", in);
        }
        canonicalAxes(in);
        return in.clone();
    }

    @Override
    protected void createWeights(int[] in, Rng rng) {
        normAxes = canonicalAxes(in);
        int[] shape = new int[normAxes.length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = in[normAxes[i]];
        }
        if (scale) {
            gamma = addWeight("gamma", shape, gammaInitializer, gammaRegularizer, rng);
        }
        if (center) {
            beta = addWeight("beta", shape, betaInitializer, betaRegularizer, rng);
        }
    }

    /** Per call site: the index maps of the last sample shape, and what backward needs. */
    private static final class State {
        int[] sampleShape;
        int[] groupOf; // per element of a sample: its normalization group
        int[] paramOf; // per element of a sample: its gamma/beta index
        int groups;
        int groupSize;
        int[] inputShape;
        float[] xhat; // training: normalized input
        float[] rstd; // training: 1/sqrt(var + eps) per (sample, group)
        boolean recorded;
    }

    private void prepare(State s, int[] sample) {
        if (s.sampleShape != null && Arrays.equals(s.sampleShape, sample)) {
            return;
        }
        int size = (int) Shapes.size(sample);
        boolean[] normalized = new boolean[sample.length];
        for (int a : normAxes) {
            normalized[a] = true;
        }
        int groupSize = 1;
        for (int a : normAxes) {
            groupSize *= sample[a];
        }
        int[] groupOf = new int[size];
        int[] paramOf = new int[size];
        int[] idx = new int[sample.length];
        for (int e = 0; e < size; e++) {
            int g = 0;
            int p = 0;
            for (int d = 0; d < sample.length; d++) {
                if (normalized[d]) {
                    p = p * sample[d] + idx[d];
                } else {
                    g = g * sample[d] + idx[d];
                }
            }
            groupOf[e] = g;
            paramOf[e] = p;
            for (int d = sample.length - 1; d >= 0; d--) {
                if (++idx[d] < sample[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        s.sampleShape = sample.clone();
        s.groupOf = groupOf;
        s.paramOf = paramOf;
        s.groupSize = groupSize;
        s.groups = size / groupSize;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        requireBuilt();
        int[] sample = Shapes.dropFirst(x.shape());
        int[] built = inputShape();
        if (sample.length != built.length) {
            throw shapeError(Shapes.withBatch(built), sample);
        }
        for (int a : normAxes) {
            if (sample[a] != built[a]) {
                throw shapeError(Shapes.withBatch(built), sample);
            }
        }
        State s = ctx.state(State::new);
        prepare(s, sample);
        int batch = x.dim(0);
        int size = s.groupOf.length;
        int groups = s.groups;
        float[] xd = x.data();
        float[] out = new float[xd.length];
        float[] g = gamma == null ? null : gamma.value().data();
        float[] b = beta == null ? null : beta.value().data();
        double[] sum = new double[groups];
        double[] sq = new double[groups];
        float[] mean = new float[groups];
        float[] rstd = new float[groups];
        if (training) {
            if (s.xhat == null || s.xhat.length != xd.length) {
                s.xhat = new float[xd.length];
            }
            if (s.rstd == null || s.rstd.length != batch * groups) {
                s.rstd = new float[batch * groups];
            }
        }
        int[] groupOf = s.groupOf;
        int[] paramOf = s.paramOf;
        double n = s.groupSize;
        for (int bi = 0; bi < batch; bi++) {
            int off = bi * size;
            Arrays.fill(sum, 0);
            Arrays.fill(sq, 0);
            for (int e = 0; e < size; e++) {
                sum[groupOf[e]] += xd[off + e];
            }
            for (int k = 0; k < groups; k++) {
                mean[k] = (float) (sum[k] / n);
            }
            for (int e = 0; e < size; e++) {
                double d = xd[off + e] - mean[groupOf[e]];
                sq[groupOf[e]] += d * d;
            }
            for (int k = 0; k < groups; k++) {
                rstd[k] = (float) (1.0 / Math.sqrt(sq[k] / n + epsilon));
            }
            for (int e = 0; e < size; e++) {
                int k = groupOf[e];
                float xh = (xd[off + e] - mean[k]) * rstd[k];
                float y = g == null ? xh : xh * g[paramOf[e]];
                out[off + e] = b == null ? y : y + b[paramOf[e]];
                if (training) {
                    s.xhat[off + e] = xh;
                }
            }
            if (training) {
                System.arraycopy(rstd, 0, s.rstd, bi * groups, groups);
            }
        }
        if (training) {
            s.inputShape = x.shape();
            s.recorded = true;
        }
        return Tensor.of(out, x.shape());
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || !s.recorded) {
            throw noForwardRecorded();
        }
        float[] dy = gradOutput.data();
        float[] xhat = s.xhat;
        int size = s.groupOf.length;
        int groups = s.groups;
        int batch = dy.length / size;
        int[] groupOf = s.groupOf;
        int[] paramOf = s.paramOf;
        float[] g = gamma == null ? null : gamma.value().data();
        if (gamma != null) {
            float[] dg = gamma.grad().data();
            for (int i = 0; i < dy.length; i++) {
                dg[paramOf[i % size]] += dy[i] * xhat[i];
            }
        }
        if (beta != null) {
            float[] db = beta.grad().data();
            for (int i = 0; i < dy.length; i++) {
                db[paramOf[i % size]] += dy[i];
            }
        }
        if (!ctx.inputGradientNeeded()) {
            return null;
        }
        float[] dx = new float[dy.length];
        double[] m1 = new double[groups];
        double[] m2 = new double[groups];
        double n = s.groupSize;
        for (int bi = 0; bi < batch; bi++) {
            int off = bi * size;
            Arrays.fill(m1, 0);
            Arrays.fill(m2, 0);
            for (int e = 0; e < size; e++) {
                float dxh = g == null ? dy[off + e] : dy[off + e] * g[paramOf[e]];
                m1[groupOf[e]] += dxh;
                m2[groupOf[e]] += dxh * xhat[off + e];
            }
            for (int e = 0; e < size; e++) {
                int k = groupOf[e];
                float dxh = g == null ? dy[off + e] : dy[off + e] * g[paramOf[e]];
                dx[off + e] = (float) (s.rstd[bi * groups + k] * (dxh - m1[k] / n - xhat[off + e] * (m2[k] / n)));
            }
        }
        return Tensor.of(dx, s.inputShape);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("axis", ConfigValues.intList(axis));
        c.put("epsilon", epsilon);
        c.put("center", center);
        c.put("scale", scale);
        c.put("rms_scaling", false);
        c.put("beta_initializer", betaInitializer.name());
        c.put("gamma_initializer", gammaInitializer.name());
        c.put("beta_regularizer", ConfigValues.regularizer(betaRegularizer));
        c.put("gamma_regularizer", ConfigValues.regularizer(gammaRegularizer));
        c.put("beta_constraint", constraintConfig("beta"));
        c.put("gamma_constraint", constraintConfig("gamma"));
        return c;
    }

    /** Rebuilds the layer from its Keras config (weights are set separately). */
    public static LayerNormalization fromConfig(Map<String, Object> config) {
        if (ConfigValues.getBoolean(config, "rms_scaling", false)) {
            throw new IllegalArgumentException("LayerNormalization: rms_scaling=True (deprecated in Keras) is not supported");
        }
        LayerNormalization l = new LayerNormalization();
        String name = ConfigValues.name(config);
        if (name != null) {
            l.name(name);
        }
        int[] axes = ConfigValues.getIntList(config, "axis");
        if (axes != null) {
            l.axis(axes);
        }
        l.epsilon(ConfigValues.getDouble(config, "epsilon", 1e-3));
        l.center(ConfigValues.getBoolean(config, "center", true));
        l.scale(ConfigValues.getBoolean(config, "scale", true));
        l.gammaInitializer(ConfigValues.getInitializer(config, "gamma_initializer", "ones"));
        l.betaInitializer(ConfigValues.getInitializer(config, "beta_initializer", "zeros"));
        l.gammaRegularizer(ConfigValues.getRegularizer(config, "gamma_regularizer"));
        l.betaRegularizer(ConfigValues.getRegularizer(config, "beta_regularizer"));
        l.trainable(ConfigValues.getBoolean(config, "trainable", true));
        return l;
    }
}
