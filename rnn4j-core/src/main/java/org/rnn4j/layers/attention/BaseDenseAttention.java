package org.rnn4j.layers.attention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * What Keras's {@code Attention} and {@code AdditiveAttention} share: inputs {@code [query, value]} or
 * {@code [query, value, key]} (batch, T, dim); scores (batch, Tq, Tv) from the subclass; the value
 * mask and the causal mask subtract 1e9 from the scores they hide; softmax; dropout of the
 * distribution in training; the distribution times {@code value}; output rows where the query mask
 * is false set to 0. With {@link #returnAttentionScores} a second output holds the distribution
 * (after dropout, as Keras returns it). The output mask is the query's mask; the scores have none.
 *
 * <p>Keras's call options {@code use_causal_mask} and {@code return_attention_scores} are set on the
 * layer ({@link #useCausalMask}, {@link #returnAttentionScores}); they are not part of the saved
 * config (Keras keeps them in the node's call arguments).
 */
public abstract class BaseDenseAttention extends Layer {
    static final float PADDING_BIAS = 1.0e9f;

    private final boolean useScale;
    private float dropout;
    private Long seed;
    private boolean useCausalMask;
    private boolean returnAttentionScores;
    private long dropoutSeed;

    protected BaseDenseAttention(boolean useScale) {
        this.useScale = useScale;
    }

    /** The fraction of the attention distribution dropped in training (Keras's {@code dropout}). */
    public BaseDenseAttention dropout(double rate) {
        checkNotBuilt();
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException(className() + ": dropout must be in [0, 1), got " + rate);
        }
        this.dropout = (float) rate;
        return this;
    }

    /** Keras's {@code seed}: the dropout stream; without it the layer draws one from the build seed. */
    public BaseDenseAttention seed(Long value) {
        checkNotBuilt();
        this.seed = value;
        return this;
    }

    /** Keras's call option {@code use_causal_mask=True}: query position i sees value positions j <= i only. */
    public BaseDenseAttention useCausalMask(boolean value) {
        checkNotBuilt();
        this.useCausalMask = value;
        return this;
    }

    /** Keras's call option {@code return_attention_scores=True}: a second output, the (batch, Tq, Tv) distribution. */
    public BaseDenseAttention returnAttentionScores(boolean value) {
        checkNotBuilt();
        this.returnAttentionScores = value;
        return this;
    }

    public boolean useScale() {
        return useScale;
    }

    public double dropout() {
        return dropout;
    }

    public Long seed() {
        return seed;
    }

    public boolean useCausalMask() {
        return useCausalMask;
    }

    public boolean returnAttentionScores() {
        return returnAttentionScores;
    }

    // ---------------------------------------------------------------- subclass hooks

    /** Creates the score weights for a query of {@code dim} features. */
    protected abstract void createScoreWeights(int dim, Rng rng);

    /** Fills {@code scores} (batch, Tq, Tv) from query (batch, Tq, dim) and key (batch, Tv, dim). */
    abstract void scores(Run r, float[] q, float[] k, float[] scores);

    /** From {@code ds} (batch, Tq, Tv): adds the score weights' gradients, writes dq and dk. */
    abstract void scoresBackward(Run r, float[] q, float[] k, float[] ds, float[] dq, float[] dk);

    /** The per-call state: what backward needs, in the call site's context. */
    static final class Run {
        int batch;
        int tq;
        int tv;
        int dim;
        int valueDim;
        Tensor query;
        Tensor value;
        Tensor key;
        boolean hasKey;
        boolean[] queryMask;
        float[] probs; // softmax, before dropout
        float[] weights; // after dropout (== probs without dropout)
        float[] dropScale;
        float[] cache; // the subclass's score intermediates
        float[] cache2;
        Rng rng;
        boolean recorded;
    }

    // ---------------------------------------------------------------- shapes

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        throw new LayerShapeException("Layer '" + name() + "' (" + className()
                + ") takes a list of inputs [query, value] or [query, value, key]");
    }

    @Override
    public List<int[]> computeOutputShapes(List<int[]> in) {
        checkShapes(in);
        int[] q = in.get(0);
        int[] v = in.get(1);
        int[] k = in.size() > 2 ? in.get(2) : v;
        List<int[]> out = new ArrayList<>(2);
        out.add(new int[] {q[0], v[1]});
        if (returnAttentionScores) {
            out.add(new int[] {q[0], k[0]});
        }
        return out;
    }

    private void checkShapes(List<int[]> in) {
        if (in.size() < 2 || in.size() > 3) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + ") takes [query, value] or "
                    + "[query, value, key] but is called on " + in.size() + " input(s): " + Shapes.listToString(in));
        }
        for (int[] s : in) {
            if (s.length != 2) {
                throw new LayerShapeException("Layer '" + name() + "' (" + className()
                        + ") expects inputs of shape (None, T, dim) but got " + Shapes.listToString(in));
            }
        }
        int[] q = in.get(0);
        int[] v = in.get(1);
        int[] k = in.size() > 2 ? in.get(2) : v;
        if (q[1] <= 0 || v[1] <= 0 || k[1] <= 0) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className()
                    + ") needs a known last axis on every input, got " + Shapes.listToString(in));
        }
        if (q[1] != k[1]) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + "): query " + Shapes.withBatch(q)
                    + " and key " + Shapes.withBatch(k) + " must have the same last axis");
        }
        if (v[0] != k[0] && v[0] > 0 && k[0] > 0) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + "): value " + Shapes.withBatch(v)
                    + " and key " + Shapes.withBatch(k) + " must have the same length");
        }
    }

    @Override
    protected void createWeights(List<int[]> in, Rng rng) {
        checkShapes(in);
        dropoutSeed = seed != null ? seed : rng == null ? 0L : rng.nextLong();
        createScoreWeights(in.get(0)[1], rng);
    }

    @Override
    public List<Mask> computeMasks(List<Tensor> inputs, List<Mask> masks) {
        Mask q = AttentionMath.mask(masks, 0);
        return returnAttentionScores ? Arrays.asList(q, null) : java.util.Collections.singletonList(q);
    }

    @Override
    protected boolean supportsMasking() {
        return true;
    }

    // ---------------------------------------------------------------- running

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        throw new IllegalArgumentException("Layer '" + name() + "' (" + className()
                + ") takes a list of inputs [query, value] or [query, value, key]: use forwardAll");
    }

    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        requireBuilt();
        List<int[]> shapes = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) {
            if (t.rank() != 3) {
                throw new LayerShapeException("Layer '" + name() + "' (" + className()
                        + ") expects inputs of shape (batch, T, dim) but got " + Shapes.toString(t.shape()));
            }
            shapes.add(Shapes.dropFirst(t.shape()));
        }
        build(shapes, null);
        Tensor query = inputs.get(0);
        Tensor value = inputs.get(1);
        Tensor key = inputs.size() > 2 ? inputs.get(2) : value;
        int batch = query.dim(0);
        if (value.dim(0) != batch || key.dim(0) != batch || key.dim(1) != value.dim(1)) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + "): query "
                    + Shapes.toString(query.shape()) + ", value " + Shapes.toString(value.shape()) + " and key "
                    + Shapes.toString(key.shape()) + " do not fit");
        }
        Run r = ctx.state(Run::new);
        r.recorded = false;
        r.batch = batch;
        r.tq = query.dim(1);
        r.tv = value.dim(1);
        r.dim = query.dim(2);
        r.valueDim = value.dim(2);
        r.query = query;
        r.value = value;
        r.key = key;
        r.hasKey = inputs.size() > 2;
        Mask qMask = AttentionMath.mask(masks, 0);
        Mask vMask = AttentionMath.mask(masks, 1);
        AttentionMath.checkMask(qMask, batch, r.tq, name(), "query");
        AttentionMath.checkMask(vMask, batch, r.tv, name(), "value");
        int tq = r.tq;
        int tv = r.tv;
        int dv = r.valueDim;

        float[] probs = new float[batch * tq * tv];
        scores(r, query.data(), key.data(), probs);
        boolean[] vm = vMask == null ? null : vMask.values();
        if (vm != null || useCausalMask) {
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < tq; i++) {
                    int o = (b * tq + i) * tv;
                    for (int j = 0; j < tv; j++) {
                        boolean keep = (vm == null || vm[b * tv + j]) && (!useCausalMask || i >= j);
                        if (!keep) {
                            probs[o + j] = probs[o + j] - PADDING_BIAS;
                        }
                    }
                }
            }
        }
        for (int row = 0; row < batch * tq; row++) {
            AttentionMath.softmaxRow(probs, row * tv, tv);
        }
        float[] weights = probs;
        float[] dropScale = null;
        if (training && dropout > 0f) {
            if (r.rng == null) {
                r.rng = new Rng(dropoutSeed);
            }
            weights = probs.clone();
            dropScale = new float[weights.length];
            AttentionMath.dropout(weights, dropScale, dropout, r.rng);
        }
        float[] out = new float[batch * tq * dv];
        MatMul mm = Kernels.matmul();
        float[] vd = value.data();
        for (int b = 0; b < batch; b++) {
            mm.gemm(false, false, tq, dv, tv, weights, b * tq * tv, tv, vd, b * tv * dv, dv, out, b * tq * dv, dv, false);
        }
        boolean[] qm = qMask == null ? null : qMask.values();
        if (qm != null) {
            for (int row = 0; row < batch * tq; row++) {
                if (!qm[row]) {
                    Arrays.fill(out, row * dv, (row + 1) * dv, 0f);
                }
            }
        }
        if (training) {
            r.queryMask = qm;
            r.probs = probs;
            r.weights = weights;
            r.dropScale = dropScale;
            r.recorded = true;
        } else {
            r.cache = null;
            r.cache2 = null;
        }
        Tensor output = Tensor.of(out, batch, tq, dv);
        if (!returnAttentionScores) {
            return java.util.Collections.singletonList(output);
        }
        float[] shown = weights == probs ? probs.clone() : weights.clone();
        return Arrays.asList(output, Tensor.of(shown, batch, tq, tv));
    }

    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        Run r = ctx.existingState();
        if (r == null || !r.recorded) {
            throw noForwardRecorded();
        }
        int batch = r.batch;
        int tq = r.tq;
        int tv = r.tv;
        int dv = r.valueDim;
        int d = r.dim;
        Tensor gOut = gradOutputs.isEmpty() ? null : gradOutputs.get(0);
        Tensor gScores = gradOutputs.size() > 1 ? gradOutputs.get(1) : null;
        float[] dOut = gOut == null ? new float[batch * tq * dv] : gOut.data().clone();
        if (r.queryMask != null) {
            for (int row = 0; row < batch * tq; row++) {
                if (!r.queryMask[row]) {
                    Arrays.fill(dOut, row * dv, (row + 1) * dv, 0f);
                }
            }
        }
        MatMul mm = Kernels.matmul();
        float[] vd = r.value.data();
        float[] dW = new float[batch * tq * tv];
        float[] dV = new float[batch * tv * dv];
        for (int b = 0; b < batch; b++) {
            // dWeights = dOut V^T ; dV = Weights^T dOut
            mm.gemm(false, true, tq, tv, dv, dOut, b * tq * dv, dv, vd, b * tv * dv, dv, dW, b * tq * tv, tv, false);
            mm.gemm(true, false, tv, dv, tq, r.weights, b * tq * tv, tv, dOut, b * tq * dv, dv, dV, b * tv * dv, dv, false);
        }
        if (gScores != null) {
            float[] g = gScores.data();
            for (int i = 0; i < dW.length; i++) {
                dW[i] += g[i];
            }
        }
        if (r.dropScale != null) {
            for (int i = 0; i < dW.length; i++) {
                dW[i] *= r.dropScale[i];
            }
        }
        float[] ds = new float[dW.length];
        for (int row = 0; row < batch * tq; row++) {
            AttentionMath.softmaxBackwardRow(r.probs, dW, ds, row * tv, tv, null, 0);
        }
        float[] dq = new float[batch * tq * d];
        float[] dk = new float[batch * tv * d];
        scoresBackward(r, r.query.data(), r.key.data(), ds, dq, dk);
        if (!ctx.inputGradientNeeded()) {
            return r.hasKey ? Arrays.asList(null, null, null) : Arrays.asList(null, null);
        }
        Tensor dQuery = Tensor.of(dq, r.query.shape());
        if (r.hasKey) {
            return Arrays.asList(dQuery, Tensor.of(dV, r.value.shape()), Tensor.of(dk, r.key.shape()));
        }
        for (int i = 0; i < dV.length; i++) {
            dV[i] += dk[i];
        }
        return Arrays.asList(dQuery, Tensor.of(dV, r.value.shape()));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("use_scale", useScale);
        c.put("dropout", (double) dropout);
        c.put("seed", seed);
        return c;
    }

    /** The common keys of {@link #config()} onto a new layer. */
    static void applyCommon(BaseDenseAttention l, Map<String, Object> config) {
        String name = org.rnn4j.layers.config.ConfigValues.name(config);
        if (name != null) {
            l.name(name);
        }
        l.dropout(org.rnn4j.layers.config.ConfigValues.getDouble(config, "dropout", 0.0));
        if (org.rnn4j.layers.config.ConfigValues.has(config, "seed")) {
            l.seed((long) org.rnn4j.layers.config.ConfigValues.getDouble(config, "seed", 0));
        }
        l.trainable(org.rnn4j.layers.config.ConfigValues.getBoolean(config, "trainable", true));
    }
}
