package org.rnn4j.layers;

import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's {@code Normalization} (axis -1): {@code (x - mean) / max(sqrt(variance), 1e-7)}, or the
 * inverse with {@code invert}. {@link #adapt} computes the per-feature mean and (population)
 * variance over every axis but the last. The statistics are the non-trainable weights
 * {@code mean}, {@code variance} and {@code count} (Keras 3's names and order), so they are saved
 * with the model and a saved forecaster takes raw values.
 */
public class Normalization extends Layer {
    /** Keras's {@code backend.epsilon()}. */
    private static final float EPSILON = 1e-7f;

    private boolean invert;
    /** Keras's {@code mean=}/{@code variance=} arguments: fixed statistics, kept in the config, no weights. */
    private float[] fixedMean;
    private float[] fixedVariance;
    private float[] adaptedMean;
    private float[] adaptedVariance;
    private Variable mean;
    private Variable variance;

    public Normalization() {
    }

    /** Keras's {@code invert=True}: maps normalized values back to raw ones. */
    public Normalization invert(boolean value) {
        checkNotBuilt();
        this.invert = value;
        return this;
    }

    public boolean invert() {
        return invert;
    }

    /**
     * Keras's {@code Normalization(mean=..., variance=...)}: fixed statistics (one value for every
     * feature, or one per feature). Such a layer has no weights; the values live in its config.
     */
    public Normalization meanAndVariance(float[] mean, float[] variance) {
        checkNotBuilt();
        if (mean == null || variance == null || mean.length == 0 || mean.length != variance.length) {
            throw new IllegalArgumentException("Normalization '" + name() + "': mean and variance must be given together"
                    + " with the same length, got " + (mean == null ? "null" : mean.length) + " and "
                    + (variance == null ? "null" : variance.length));
        }
        this.fixedMean = mean.clone();
        this.fixedVariance = variance.clone();
        return this;
    }

    @Override
    public Normalization inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Normalization name(String n) {
        super.name(n);
        return this;
    }

    @Override
    protected boolean supportsMasking() {
        return true;
    }

    /**
     * Computes the per-feature mean and variance of {@code data} ({@code [..., features]}) over all
     * but its last axis. May be called before or after the layer is built.
     */
    public Normalization adapt(Tensor data) {
        if (fixedMean != null) {
            throw new IllegalStateException("Normalization '" + name() + "' has a fixed mean and variance; adapt() is for a layer without them");
        }
        int f = data.dim(-1);
        if (data.rank() < 1 || f <= 0 || data.size() == 0) {
            throw new IllegalArgumentException("Normalization '" + name() + "': adapt() needs non-empty data with a"
                    + " feature axis, got shape " + Shapes.toString(data.shape()));
        }
        if (isBuilt() && mean.shape()[0] != f) {
            throw new IllegalArgumentException("Normalization '" + name() + "' was built for " + mean.shape()[0]
                    + " features but adapt() got data of shape " + Shapes.toString(data.shape()));
        }
        int rows = data.size() / f;
        double[] sum = new double[f];
        float[] d = data.data();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < f; j++) {
                sum[j] += d[r * f + j];
            }
        }
        double[] sq = new double[f];
        for (int j = 0; j < f; j++) {
            sum[j] /= rows;
        }
        // Two passes (mean, then squared deviations) as numpy's var, for accuracy on raw values.
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < f; j++) {
                double dev = d[r * f + j] - sum[j];
                sq[j] += dev * dev;
            }
        }
        adaptedMean = new float[f];
        adaptedVariance = new float[f];
        for (int j = 0; j < f; j++) {
            adaptedMean[j] = (float) sum[j];
            adaptedVariance[j] = (float) (sq[j] / rows);
        }
        if (isBuilt()) {
            mean.assign(Tensor.of(adaptedMean.clone(), f));
            variance.assign(Tensor.of(adaptedVariance.clone(), f));
        }
        return this;
    }

    /** The per-feature mean (after {@link #adapt} or loading). */
    public float[] mean() {
        if (fixedMean != null) {
            return fixedMean.clone();
        }
        return isBuilt() ? mean.value().data().clone() : adaptedMean == null ? null : adaptedMean.clone();
    }

    public float[] variance() {
        if (fixedVariance != null) {
            return fixedVariance.clone();
        }
        return isBuilt() ? variance.value().data().clone() : adaptedVariance == null ? null : adaptedVariance.clone();
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length < 1 || in[in.length - 1] <= 0) {
            throw shapeError("(None, ..., features) with a known last axis", in);
        }
        if (adaptedMean != null && adaptedMean.length != in[in.length - 1]) {
            throw shapeError("(None, ..., " + adaptedMean.length + ") as adapted", in);
        }
        if (fixedMean != null && fixedMean.length != 1 && fixedMean.length != in[in.length - 1]) {
            throw shapeError("(None, ..., " + fixedMean.length + ") to match the given mean and variance", in);
        }
        return in.clone();
    }

    @Override
    protected void createWeights(int[] in, Rng rng) {
        int f = in[in.length - 1];
        if (fixedMean != null) {
            // Keras keeps given statistics as constants, broadcast to the feature axis.
            fixedMean = broadcast(fixedMean, f);
            fixedVariance = broadcast(fixedVariance, f);
            return;
        }
        Tensor m = adaptedMean != null ? Tensor.of(adaptedMean.clone(), f) : Tensor.zeros(f);
        Tensor v = adaptedVariance != null ? Tensor.of(adaptedVariance.clone(), f) : Tensor.full(1f, f);
        mean = addNonTrainableWeight("mean", m);
        variance = addNonTrainableWeight("variance", v);
        // Keras keeps an int "count" weight (always 0 after adapt) for old files; kept for the layout.
        addNonTrainableWeight("count", Tensor.zeros());
    }

    private static float[] broadcast(float[] v, int f) {
        if (v.length == f) {
            return v;
        }
        float[] out = new float[f];
        java.util.Arrays.fill(out, v[0]);
        return out;
    }

    private float[] meanValues() {
        return fixedMean != null ? fixedMean : mean.value().data();
    }

    private float[] varianceValues() {
        return fixedVariance != null ? fixedVariance : variance.value().data();
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        requireBuilt();
        float[] m = meanValues();
        int f = m.length;
        if (x.dim(-1) != f) {
            throw shapeError(Shapes.withBatch(inputShape()), Shapes.dropFirst(x.shape()));
        }
        float[] scale = scales();
        float[] xd = x.data();
        Tensor y = Tensor.zeros(x.shape());
        float[] yd = y.data();
        int rows = x.size() / f;
        for (int r = 0; r < rows; r++) {
            int o = r * f;
            for (int j = 0; j < f; j++) {
                yd[o + j] = invert ? m[j] + xd[o + j] * scale[j] : (xd[o + j] - m[j]) / scale[j];
            }
        }
        return y;
    }

    /** Per feature: {@code max(sqrt(variance), epsilon)}. */
    private float[] scales() {
        float[] v = varianceValues();
        float[] s = new float[v.length];
        for (int j = 0; j < v.length; j++) {
            s[j] = Math.max((float) Math.sqrt(v[j]), EPSILON);
        }
        return s;
    }

    /** The layer is affine per feature, so the input gradient is the output gradient scaled. */
    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        requireBuilt();
        float[] scale = scales();
        int f = scale.length;
        Tensor dx = Tensor.zeros(gradOutput.shape());
        float[] g = gradOutput.data();
        float[] d = dx.data();
        for (int i = 0; i < g.length; i++) {
            d[i] = invert ? g[i] * scale[i % f] : g[i] / scale[i % f];
        }
        return dx;
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static Normalization fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("Normalization", config);
        c.requireLastAxis();
        Normalization n = new Normalization().invert(c.bool("invert", false));
        // Statistics given in the config (Normalization(mean=..., variance=...)) instead of adapted weights.
        float[] mean = c.floats("mean");
        float[] variance = c.floats("variance");
        if (mean != null || variance != null) {
            if (mean == null || variance == null) {
                throw c.error("mean and variance must be given together (or both null for adapted statistics)");
            }
            n.meanAndVariance(mean, variance);
        }
        return c.finish(n);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("axis", List.of(-1));
        c.put("invert", invert);
        // Adapted statistics live in the weights (Keras writes null here); given ones live here.
        c.put("mean", fixedMean == null ? null : toList(fixedMean));
        c.put("variance", fixedVariance == null ? null : toList(fixedVariance));
        return c;
    }

    private static List<Double> toList(float[] v) {
        List<Double> out = new java.util.ArrayList<>(v.length);
        for (float x : v) {
            out.add((double) x);
        }
        return out;
    }
}
