package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.Initializers;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's BatchNormalization over the last axis (channels_last, {@code axis=-1}). Training (with
 * a trainable layer) normalises with the batch's biased moments, mask-aware as Keras 3, and
 * moves {@code moving_mean}/{@code moving_variance} by {@code momentum}; inference uses the
 * moving statistics. Weights in Keras order: gamma, beta (trainable), moving_mean,
 * moving_variance (non-trainable).
 */
public class BatchNormalization extends Layer {
    // Keras 3 adds backend.epsilon() to the masked count.
    private static final double MASK_EPSILON = 1e-7;

    private double momentum = 0.99;
    private double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;
    private Initializer betaInitializer = Initializers.get("zeros");
    private Initializer gammaInitializer = Initializers.get("ones");
    private Initializer movingMeanInitializer = Initializers.get("zeros");
    private Initializer movingVarianceInitializer = Initializers.get("ones");
    private Regularizer betaRegularizer;
    private Regularizer gammaRegularizer;

    private Variable gamma;
    private Variable beta;
    private Variable movingMean;
    private Variable movingVariance;

    /** What a training forward pass records for backward. */
    private static final class State {
        float[] xhat;
        float[] invStd;
        float[] rowWeight;
        double count;
        boolean usedBatchStats;
        int[] shape;
    }

    public BatchNormalization momentum(double value) {
        checkNotBuilt();
        this.momentum = value;
        return this;
    }

    public BatchNormalization epsilon(double value) {
        checkNotBuilt();
        if (!(value > 0)) {
            throw new IllegalArgumentException("BatchNormalization: epsilon must be positive, got " + value);
        }
        this.epsilon = value;
        return this;
    }

    /** Only the last axis is supported (Keras's default {@code axis=-1}, channels_last). */
    public BatchNormalization axis(int value) {
        checkNotBuilt();
        if (value != -1) {
            throw new IllegalArgumentException("BatchNormalization: only axis=-1 (channels_last) is supported, got "
                    + value);
        }
        return this;
    }

    public BatchNormalization center(boolean value) {
        checkNotBuilt();
        this.center = value;
        return this;
    }

    public BatchNormalization scale(boolean value) {
        checkNotBuilt();
        this.scale = value;
        return this;
    }

    public BatchNormalization betaInitializer(String name) {
        return betaInitializer(Initializers.get(name));
    }

    public BatchNormalization betaInitializer(Initializer init) {
        checkNotBuilt();
        this.betaInitializer = init;
        return this;
    }

    public BatchNormalization gammaInitializer(String name) {
        return gammaInitializer(Initializers.get(name));
    }

    public BatchNormalization gammaInitializer(Initializer init) {
        checkNotBuilt();
        this.gammaInitializer = init;
        return this;
    }

    public BatchNormalization movingMeanInitializer(String name) {
        checkNotBuilt();
        this.movingMeanInitializer = Initializers.get(name);
        return this;
    }

    public BatchNormalization movingVarianceInitializer(String name) {
        checkNotBuilt();
        this.movingVarianceInitializer = Initializers.get(name);
        return this;
    }

    public BatchNormalization betaRegularizer(Regularizer r) {
        checkNotBuilt();
        this.betaRegularizer = r;
        return this;
    }

    public BatchNormalization gammaRegularizer(Regularizer r) {
        checkNotBuilt();
        this.gammaRegularizer = r;
        return this;
    }

    @Override
    public BatchNormalization inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public BatchNormalization name(String n) {
        super.name(n);
        return this;
    }

    public double momentum() {
        return momentum;
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

    public Initializer betaInitializer() {
        return betaInitializer;
    }

    public Initializer gammaInitializer() {
        return gammaInitializer;
    }

    public Regularizer betaRegularizer() {
        return betaRegularizer;
    }

    public Regularizer gammaRegularizer() {
        return gammaRegularizer;
    }

    @Override
    protected boolean supportsMasking() {
        return true;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length < 1 || in[in.length - 1] <= 0) {
            throw shapeError("(None, ..., features) with a known last axis", in);
        }
        return in.clone();
    }

    @Override
    protected void createWeights(int[] in, Rng rng) {
        int c = in[in.length - 1];
        int[] shape = {c};
        if (scale) {
            gamma = addWeight("gamma", shape, gammaInitializer, gammaRegularizer, rng);
        }
        if (center) {
            beta = addWeight("beta", shape, betaInitializer, betaRegularizer, rng);
        }
        Tensor mm = Tensor.zeros(shape);
        movingMeanInitializer.fill(mm, rng);
        movingMean = addNonTrainableWeight("moving_mean", mm);
        Tensor mv = Tensor.zeros(shape);
        movingVarianceInitializer.fill(mv, rng);
        movingVariance = addNonTrainableWeight("moving_variance", mv);
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        requireBuilt();
        int c = movingMean.size();
        if (x.rank() < 2 || x.dim(-1) != c) {
            throw shapeError(Shapes.withBatch(inputShape()), Shapes.dropFirst(x.shape()));
        }
        int rows = x.size() / c;
        float[] xd = x.data();
        boolean batchStats = training && isTrainable();
        float[] w = rowWeights(x, mask, rows);
        double[] mean = new double[c];
        double[] var = new double[c];
        double count = rows;
        if (batchStats) {
            count = 0;
            for (int r = 0; r < rows; r++) {
                count += w == null ? 1 : w[r];
            }
            if (w != null) {
                count += MASK_EPSILON;
            }
            for (int r = 0; r < rows; r++) {
                if (w == null || w[r] != 0f) {
                    for (int j = 0; j < c; j++) {
                        mean[j] += xd[r * c + j];
                    }
                }
            }
            for (int j = 0; j < c; j++) {
                mean[j] /= count;
            }
            for (int r = 0; r < rows; r++) {
                if (w == null || w[r] != 0f) {
                    for (int j = 0; j < c; j++) {
                        double d = xd[r * c + j] - mean[j];
                        var[j] += d * d;
                    }
                }
            }
            float[] mm = movingMean.value().data();
            float[] mv = movingVariance.value().data();
            for (int j = 0; j < c; j++) {
                var[j] /= count;
                mm[j] = (float) (mm[j] * momentum + mean[j] * (1 - momentum));
                mv[j] = (float) (mv[j] * momentum + var[j] * (1 - momentum));
            }
        } else {
            float[] mm = movingMean.value().data();
            float[] mv = movingVariance.value().data();
            for (int j = 0; j < c; j++) {
                mean[j] = mm[j];
                var[j] = mv[j];
            }
        }
        float[] invStd = new float[c];
        for (int j = 0; j < c; j++) {
            invStd[j] = (float) (1.0 / Math.sqrt(var[j] + epsilon));
        }
        float[] g = scale ? gamma.value().data() : null;
        float[] b = center ? beta.value().data() : null;
        Tensor y = Tensor.zeros(x.shape());
        float[] yd = y.data();
        float[] xhat = training ? new float[x.size()] : null;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < c; j++) {
                int i = r * c + j;
                float h = (float) ((xd[i] - mean[j]) * invStd[j]);
                if (xhat != null) {
                    xhat[i] = h;
                }
                yd[i] = (g == null ? h : g[j] * h) + (b == null ? 0f : b[j]);
            }
        }
        if (training) {
            State s = ctx.state(State::new);
            s.xhat = xhat;
            s.invStd = invStd;
            s.rowWeight = w;
            s.count = count;
            s.usedBatchStats = batchStats;
            s.shape = x.shape();
        }
        return y;
    }

    /** 1/0 per row from a [batch, time] mask on a rank-3 input; null when every row counts. */
    private float[] rowWeights(Tensor x, Mask mask, int rows) {
        if (mask == null) {
            return null;
        }
        if (x.rank() != 3 || mask.batch() != x.dim(0) || mask.time() != x.dim(1)) {
            throw new LayerShapeException("Layer '" + name() + "' (BatchNormalization): mask of shape ("
                    + mask.batch() + ", " + mask.time() + ") does not match input " + Shapes.toString(x.shape())
                    + "; the mask must have one dimension less than the input");
        }
        float[] w = new float[rows];
        boolean[] m = mask.values();
        for (int r = 0; r < rows; r++) {
            w[r] = m[r] ? 1f : 0f;
        }
        return w;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.xhat == null) {
            throw noForwardRecorded();
        }
        float[] lastXhat = s.xhat;
        float[] lastInvStd = s.invStd;
        float[] lastRowWeight = s.rowWeight;
        double lastCount = s.count;
        boolean lastUsedBatchStats = s.usedBatchStats;
        int c = lastInvStd.length;
        int rows = lastXhat.length / c;
        float[] dy = gradOutput.data();
        float[] g = scale ? gamma.value().data() : null;
        double[] sumG = new double[c];
        double[] sumGx = new double[c];
        float[] dGamma = scale ? gamma.grad().data() : null;
        float[] dBeta = center ? beta.grad().data() : null;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < c; j++) {
                int i = r * c + j;
                if (dGamma != null) {
                    dGamma[j] += dy[i] * lastXhat[i];
                }
                if (dBeta != null) {
                    dBeta[j] += dy[i];
                }
                double gi = g == null ? dy[i] : (double) dy[i] * g[j];
                sumG[j] += gi;
                sumGx[j] += gi * lastXhat[i];
            }
        }
        Tensor dx = Tensor.zeros(s.shape);
        float[] d = dx.data();
        for (int r = 0; r < rows; r++) {
            // Every row's output uses the batch moments; only counted rows move them.
            double wr = !lastUsedBatchStats ? 0 : lastRowWeight == null ? 1 : lastRowWeight[r];
            for (int j = 0; j < c; j++) {
                int i = r * c + j;
                double gi = g == null ? dy[i] : (double) dy[i] * g[j];
                double v = gi - wr * (sumG[j] + lastXhat[i] * sumGx[j]) / lastCount;
                d[i] = (float) (lastInvStd[j] * v);
            }
        }
        return dx;
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static BatchNormalization fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("BatchNormalization", config);
        c.requireLastAxis();
        BatchNormalization b = new BatchNormalization();
        b.momentum(c.number("momentum", 0.99));
        b.epsilon(c.number("epsilon", 1e-3));
        b.center(c.bool("center", true));
        b.scale(c.bool("scale", true));
        c.require("synchronized", false, "synchronized=false");
        c.require("renorm", false, "renorm=false");
        // Initial values and training-only options: the weights are set from the file.
        c.ignore("beta_initializer", "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer",
                "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint",
                "renorm_clipping", "renorm_momentum");
        return c.finish(b);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("axis", -1);
        c.put("momentum", momentum);
        c.put("epsilon", epsilon);
        c.put("center", center);
        c.put("scale", scale);
        c.put("beta_initializer", betaInitializer.name());
        c.put("gamma_initializer", gammaInitializer.name());
        c.put("moving_mean_initializer", movingMeanInitializer.name());
        c.put("moving_variance_initializer", movingVarianceInitializer.name());
        c.put("beta_regularizer", betaRegularizer);
        c.put("gamma_regularizer", gammaRegularizer);
        c.put("beta_constraint", constraintConfig("beta"));
        c.put("gamma_constraint", constraintConfig("gamma"));
        c.put("synchronized", false);
        c.put("renorm", false);
        c.put("renorm_clipping", null);
        c.put("renorm_momentum", 0.99);
        return c;
    }
}
