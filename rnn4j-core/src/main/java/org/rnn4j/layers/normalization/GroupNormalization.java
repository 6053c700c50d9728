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
 * Keras 3's GroupNormalization: the channels of {@code axis} (default the last) are split into
 * {@code groups} consecutive groups; per sample and group, the mean and variance are taken over the
 * group's channels and every other non-batch axis, and {@code y = (x - mean) * rsqrt(var + eps) * gamma
 * + beta} with per-channel {@code gamma}/{@code beta} of shape {@code (channels,)}. {@code groups=-1}
 * means one group per channel (instance normalization) and, as in Keras, becomes the channel count
 * when built (so a saved config carries the number). Masks pass through unchanged and, as in Keras
 * 3.15 (its {@code call} takes no mask), masked steps still count in the statistics.
 */
public class GroupNormalization extends Layer {
    private int groups = 32;
    private int axis = -1;
    private double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;
    private Initializer gammaInitializer = Initializers.get("ones");
    private Initializer betaInitializer = Initializers.get("zeros");
    private Regularizer gammaRegularizer;
    private Regularizer betaRegularizer;

    private int channelAxis; // per-sample axis (0 = first after batch); set when built
    private Variable gamma;
    private Variable beta;

    public GroupNormalization() {
    }

    /** Keras's {@code groups}: a positive divisor of the channel count, or -1 for one group per channel. */
    public GroupNormalization groups(int value) {
        checkNotBuilt();
        if (value <= 0 && value != -1) {
            throw new IllegalArgumentException("GroupNormalization: received an invalid value for argument `groups`, expected"
                    + " a positive integer (or `-1` for instance normalization). Received: groups=" + value);
        }
        this.groups = value;
        return this;
    }

    /** Keras's {@code axis} of the full input (batch included: -1 = last, 1 = first after batch). */
    public GroupNormalization axis(int value) {
        checkNotBuilt();
        this.axis = value;
        return this;
    }

    public GroupNormalization epsilon(double value) {
        checkNotBuilt();
        if (!(value > 0)) {
            throw new IllegalArgumentException("GroupNormalization: epsilon must be positive, got " + value);
        }
        this.epsilon = value;
        return this;
    }

    public GroupNormalization center(boolean value) {
        checkNotBuilt();
        this.center = value;
        return this;
    }

    public GroupNormalization scale(boolean value) {
        checkNotBuilt();
        this.scale = value;
        return this;
    }

    public GroupNormalization gammaInitializer(String name) {
        return gammaInitializer(Initializers.get(name));
    }

    public GroupNormalization gammaInitializer(Initializer init) {
        checkNotBuilt();
        this.gammaInitializer = init;
        return this;
    }

    public GroupNormalization betaInitializer(String name) {
        return betaInitializer(Initializers.get(name));
    }

    public GroupNormalization betaInitializer(Initializer init) {
        checkNotBuilt();
        this.betaInitializer = init;
        return this;
    }

    public GroupNormalization gammaRegularizer(Regularizer r) {
        checkNotBuilt();
        this.gammaRegularizer = r;
        return this;
    }

    public GroupNormalization betaRegularizer(Regularizer r) {
        checkNotBuilt();
        this.betaRegularizer = r;
        return this;
    }

    @Override
    public GroupNormalization name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public GroupNormalization inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    /** The number of groups; -1 (instance normalization) until built, then the channel count. */
    public int groups() {
        return groups;
    }

    public int axis() {
        return axis;
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

    /** The per-sample channel axis for a per-sample input shape, checked as Keras's build does. */
    private int channelAxisOf(int[] in) {
        int fullRank = in.length + 1;
        int a = axis < 0 ? axis + fullRank : axis;
        if (a < 1 || a >= fullRank) {
            throw new LayerShapeException("Layer '" + name() + "' (GroupNormalization): axis " + axis
                    + " is out of bounds for input shape " + Shapes.withBatch(in)
                    + (a == 0 ? " (the batch axis cannot be normalized)" : ""));
        }
        int dim = in[a - 1];
        if (dim <= 0) {
            throw new LayerShapeException("Layer '" + name() + "' (GroupNormalization): axis " + axis
                    + " of input tensor should have a defined dimension but the layer received an input with shape "
                    + Shapes.withBatch(in) + "; give that axis a fixed size");
        }
        int g = groups == -1 ? dim : groups;
        if (dim < g) {
            throw new IllegalArgumentException("Layer '" + name() + "' (GroupNormalization): number of groups (" + g
                    + ") cannot be more than the number of channels (" + dim + "); use groups <= " + dim);
        }
        if (dim % g != 0) {
            throw new IllegalArgumentException("Layer '" + name() + "' (GroupNormalization): number of groups (" + g
                    + ") must be a multiple of the number of channels (" + dim + "); use a divisor of " + dim);
        }
        return a - 1;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length < 1) {
            throw shapeError("(None, ..., channels)", in);
        }
        channelAxisOf(in);
        return in.clone();
    }

    @Override
    protected void createWeights(int[] in, Rng rng) {
        channelAxis = channelAxisOf(in);
        int dim = in[channelAxis];
        if (groups == -1) {
            groups = dim; // as Keras's build: the saved config then names the real count
        }
        if (scale) {
            gamma = addWeight("gamma", new int[] {dim}, gammaInitializer, gammaRegularizer, rng);
        }
        if (center) {
            beta = addWeight("beta", new int[] {dim}, betaInitializer, betaRegularizer, rng);
        }
    }

    /** Per call site: what backward needs from the training forward. */
    private static final class State {
        int[] inputShape;
        float[] xhat; // normalized input
        float[] rstd; // 1/sqrt(var + eps) per (sample, group)
        boolean recorded;
    }

    /**
     * A sample viewed as {@code [outer][channels][inner]} around the channel axis; a channel's
     * group is {@code channel / (channels / groups)}.
     */
    private record Layout(int outer, int channels, int inner, int perGroup) {
        int size() {
            return outer * channels * inner;
        }
    }

    private Layout layout(int[] sample) {
        int outer = 1;
        for (int d = 0; d < channelAxis; d++) {
            outer *= sample[d];
        }
        int inner = 1;
        for (int d = channelAxis + 1; d < sample.length; d++) {
            inner *= sample[d];
        }
        int channels = sample[channelAxis];
        return new Layout(outer, channels, inner, channels / groups);
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        requireBuilt();
        int[] sample = Shapes.dropFirst(x.shape());
        int[] built = inputShape();
        if (sample.length != built.length || sample[channelAxis] != built[channelAxis]) {
            throw shapeError(Shapes.withBatch(built), sample);
        }
        Layout l = layout(sample);
        int batch = x.dim(0);
        int size = l.size();
        float[] xd = x.data();
        float[] out = new float[xd.length];
        float[] g = gamma == null ? null : gamma.value().data();
        float[] b = beta == null ? null : beta.value().data();
        State s = training ? ctx.state(State::new) : null;
        if (s != null) {
            if (s.xhat == null || s.xhat.length != xd.length) {
                s.xhat = new float[xd.length];
            }
            if (s.rstd == null || s.rstd.length != batch * groups) {
                s.rstd = new float[batch * groups];
            }
        }
        double n = (double) size / groups;
        double[] sum = new double[groups];
        double[] sq = new double[groups];
        float[] mean = new float[groups];
        float[] rstd = new float[groups];
        for (int bi = 0; bi < batch; bi++) {
            int off = bi * size;
            Arrays.fill(sum, 0);
            Arrays.fill(sq, 0);
            forEach(l, (e, c) -> sum[c / l.perGroup()] += xd[off + e]);
            for (int k = 0; k < groups; k++) {
                mean[k] = (float) (sum[k] / n);
            }
            forEach(l, (e, c) -> {
                int k = c / l.perGroup();
                double d = xd[off + e] - mean[k];
                sq[k] += d * d;
            });
            for (int k = 0; k < groups; k++) {
                rstd[k] = (float) (1.0 / Math.sqrt(sq[k] / n + epsilon));
            }
            forEach(l, (e, c) -> {
                int k = c / l.perGroup();
                float xh = (xd[off + e] - mean[k]) * rstd[k];
                float y = g == null ? xh : xh * g[c];
                out[off + e] = b == null ? y : y + b[c];
                if (s != null) {
                    s.xhat[off + e] = xh;
                }
            });
            if (s != null) {
                System.arraycopy(rstd, 0, s.rstd, bi * groups, groups);
            }
        }
        if (s != null) {
            s.inputShape = x.shape();
            s.recorded = true;
        }
        return Tensor.of(out, x.shape());
    }

    /** Visits every element of one sample with its flat index and its channel. */
    private static void forEach(Layout l, ElementVisitor v) {
        int e = 0;
        for (int o = 0; o < l.outer(); o++) {
            for (int c = 0; c < l.channels(); c++) {
                for (int i = 0; i < l.inner(); i++) {
                    v.visit(e++, c);
                }
            }
        }
    }

    @FunctionalInterface
    private interface ElementVisitor {
        void visit(int element, int channel);
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || !s.recorded) {
            throw noForwardRecorded();
        }
        Layout l = layout(Shapes.dropFirst(s.inputShape));
        float[] dy = gradOutput.data();
        float[] xhat = s.xhat;
        int size = l.size();
        int batch = dy.length / size;
        float[] g = gamma == null ? null : gamma.value().data();
        float[] dg = gamma == null ? null : gamma.grad().data();
        float[] db = beta == null ? null : beta.grad().data();
        for (int bi = 0; bi < batch; bi++) {
            int off = bi * size;
            forEach(l, (e, c) -> {
                if (dg != null) {
                    dg[c] += dy[off + e] * xhat[off + e];
                }
                if (db != null) {
                    db[c] += dy[off + e];
                }
            });
        }
        if (!ctx.inputGradientNeeded()) {
            return null;
        }
        float[] dx = new float[dy.length];
        double[] m1 = new double[groups];
        double[] m2 = new double[groups];
        double n = (double) size / groups;
        for (int bi = 0; bi < batch; bi++) {
            int off = bi * size;
            Arrays.fill(m1, 0);
            Arrays.fill(m2, 0);
            forEach(l, (e, c) -> {
                float dxh = g == null ? dy[off + e] : dy[off + e] * g[c];
                m1[c / l.perGroup()] += dxh;
                m2[c / l.perGroup()] += dxh * xhat[off + e];
            });
            int rs = bi * groups;
            forEach(l, (e, c) -> {
                int k = c / l.perGroup();
                float dxh = g == null ? dy[off + e] : dy[off + e] * g[c];
                dx[off + e] = (float) (s.rstd[rs + k] * (dxh - m1[k] / n - xhat[off + e] * (m2[k] / n)));
            });
        }
        return Tensor.of(dx, s.inputShape);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("groups", groups);
        c.put("axis", axis);
        c.put("epsilon", epsilon);
        c.put("center", center);
        c.put("scale", scale);
        c.put("beta_initializer", betaInitializer.name());
        c.put("gamma_initializer", gammaInitializer.name());
        c.put("beta_regularizer", ConfigValues.regularizer(betaRegularizer));
        c.put("gamma_regularizer", ConfigValues.regularizer(gammaRegularizer));
        c.put("beta_constraint", null);
        c.put("gamma_constraint", null);
        return c;
    }

    /** Rebuilds the layer from its Keras config (weights are set separately). */
    public static GroupNormalization fromConfig(Map<String, Object> config) {
        for (String k : new String[] {"beta_constraint", "gamma_constraint"}) {
            if (config.get(k) != null) {
                throw new IllegalArgumentException("GroupNormalization: " + k + " is not supported yet; remove it"
                        + " from the layer (got " + config.get(k) + ")");
            }
        }
        GroupNormalization l = new GroupNormalization();
        String name = ConfigValues.name(config);
        if (name != null) {
            l.name(name);
        }
        Object ax = config.get("axis");
        if (ax instanceof java.util.List<?> list) {
            if (list.size() != 1) {
                throw new IllegalArgumentException("GroupNormalization: axis must be one axis, got " + list);
            }
            l.axis(((Number) list.get(0)).intValue());
        } else {
            l.axis(ConfigValues.getInt(config, "axis", -1));
        }
        l.groups(ConfigValues.getInt(config, "groups", 32));
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
