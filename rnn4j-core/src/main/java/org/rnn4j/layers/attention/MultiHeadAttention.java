package org.rnn4j.layers.attention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.rnn4j.constraints.Constraint;
import org.rnn4j.constraints.Constraints;
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
 * Keras's {@code MultiHeadAttention} for sequences (batch, T, features); attention over axis 1.
 *
 * <p>Inputs (in {@link #forwardAll} and symbolic calls): {@code [query, value]}, {@code [query, value, key]},
 * and with {@link #attentionMaskInput(boolean)} one more, last: Keras's {@code attention_mask}
 * (batch, T, S), nonzero = may attend. Masks: the query's, value's and key's masks (Keras's
 * {@code query_mask}/{@code value_mask}/{@code key_mask}, taken from the inputs) are combined with
 * the attention mask and the causal mask as Keras's {@code _compute_attention_mask} does:
 * {@code q[:, :, None] & v[:, None, :] & k[:, None, :] & causal & attention_mask}.
 *
 * <p>Weights, exactly as Keras stores them: {@code query/kernel} (d_query, heads, key_dim),
 * {@code query/bias} (heads, key_dim), {@code key/kernel} (d_key, heads, key_dim), {@code key/bias},
 * {@code value/kernel} (d_value, heads, value_dim), {@code value/bias} (heads, value_dim),
 * {@code attention_output/kernel} (heads, value_dim, *output_shape), {@code attention_output/bias}
 * (*output_shape); output_shape defaults to (d_query,). No biases with {@code useBias(false)}.
 *
 * <p>A query row whose every key position is masked: Keras's TensorFlow backend gives a zero
 * distribution on the path it takes with dropout or {@code return_attention_scores}, and a uniform
 * one on its fused path otherwise; this layer does the same. The scores output is the distribution
 * before dropout (as Keras returns it), shape (batch, heads, T, S). The output mask is the query's.
 * The call options {@code use_causal_mask} and {@code return_attention_scores} are set on the layer.
 */
public class MultiHeadAttention extends Layer {
    private final int numHeads;
    private final int keyDim;
    private int valueDim;
    private float dropout;
    private boolean useBias = true;
    private int[] outputShape;
    private Initializer kernelInitializer = Initializers.get("glorot_uniform");
    private Initializer biasInitializer = Initializers.get("zeros");
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    /** Keras gives MHA's activity_regularizer to its four projections (EinsumDense), not to the MHA output. */
    private Regularizer projectionActivityRegularizer;
    private Long seed;
    private boolean useCausalMask;
    private boolean returnAttentionScores;
    private boolean attentionMaskInput;

    private long dropoutSeed;
    private MultiHeadProjection queryProj;
    private MultiHeadProjection keyProj;
    private MultiHeadProjection valueProj;
    private MultiHeadProjection outputProj;

    /** {@code numHeads} heads of {@code keyDim} features each (value_dim defaults to key_dim). */
    public MultiHeadAttention(int numHeads, int keyDim) {
        if (numHeads <= 0) {
            throw new IllegalArgumentException("MultiHeadAttention: num_heads must be positive, got " + numHeads);
        }
        if (keyDim <= 0) {
            throw new IllegalArgumentException("MultiHeadAttention: key_dim must be positive, got " + keyDim);
        }
        this.numHeads = numHeads;
        this.keyDim = keyDim;
        this.valueDim = keyDim;
    }

    public MultiHeadAttention valueDim(int value) {
        checkNotBuilt();
        if (value <= 0) {
            throw new IllegalArgumentException("MultiHeadAttention: value_dim must be positive, got " + value);
        }
        this.valueDim = value;
        return this;
    }

    public MultiHeadAttention dropout(double rate) {
        checkNotBuilt();
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("MultiHeadAttention: dropout must be in [0, 1), got " + rate);
        }
        this.dropout = (float) rate;
        return this;
    }

    public MultiHeadAttention useBias(boolean value) {
        checkNotBuilt();
        this.useBias = value;
        return this;
    }

    /** Keras's {@code output_shape}: the per-position output dims (default: the query's last dim). */
    public MultiHeadAttention outputShape(int... dims) {
        checkNotBuilt();
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("MultiHeadAttention: output_shape must be positive, got "
                        + Arrays.toString(dims));
            }
        }
        this.outputShape = dims.length == 0 ? null : dims.clone();
        return this;
    }

    public MultiHeadAttention kernelInitializer(String name) {
        return kernelInitializer(Initializers.get(name));
    }

    public MultiHeadAttention kernelInitializer(Initializer init) {
        checkNotBuilt();
        this.kernelInitializer = init;
        return this;
    }

    public MultiHeadAttention biasInitializer(String name) {
        return biasInitializer(Initializers.get(name));
    }

    public MultiHeadAttention biasInitializer(Initializer init) {
        checkNotBuilt();
        this.biasInitializer = init;
        return this;
    }

    public MultiHeadAttention kernelRegularizer(Regularizer r) {
        checkNotBuilt();
        this.kernelRegularizer = r;
        return this;
    }

    public MultiHeadAttention biasRegularizer(Regularizer r) {
        checkNotBuilt();
        this.biasRegularizer = r;
        return this;
    }

    /**
     * Keras's {@code activity_regularizer} of MultiHeadAttention: as in Keras, it regularizes the
     * outputs of the query, key, value and output projections (each adds {@code regularizer(out) / batch}),
     * which the layer adds itself; so the base {@link #activityRegularizer()} (applied by the model to
     * the layer's outputs) stays null.
     */
    @Override
    public MultiHeadAttention activityRegularizer(Regularizer r) {
        checkNotBuilt();
        this.projectionActivityRegularizer = r;
        return this;
    }

    /** The regularizer of the four projections' outputs (Keras's activity_regularizer), or null. */
    public Regularizer projectionActivityRegularizer() {
        return projectionActivityRegularizer;
    }

    /** Keras's {@code seed}: the dropout stream; without it the layer draws one from the build seed. */
    public MultiHeadAttention seed(Long value) {
        checkNotBuilt();
        this.seed = value;
        return this;
    }

    /** Keras's {@code kernel_constraint}: on the four projections' kernels, after each optimizer step. */
    public MultiHeadAttention kernelConstraint(Constraint c) {
        return constraint("kernel", c);
    }

    /** Keras's {@code bias_constraint}: on the four projections' biases. */
    public MultiHeadAttention biasConstraint(Constraint c) {
        return constraint("bias", c);
    }

    /**
     * {@code "kernel"} and {@code "bias"} stand for the four projections' kernels or biases (Keras
     * gives MHA's kernel_constraint and bias_constraint to each of its EinsumDense sublayers), so a
     * Keras file's constraints land on {@code query/kernel}, ..., {@code attention_output/bias}.
     */
    @Override
    public MultiHeadAttention constraint(String weightName, Constraint c) {
        super.constraint(weightName, c);
        if (weightName.equals("kernel") || weightName.equals("bias")) {
            for (String p : new String[] {"query", "key", "value", "attention_output"}) {
                super.constraint(p + "/" + weightName, c);
            }
        }
        return this;
    }

    /** Keras's call option {@code use_causal_mask=True}. */
    public MultiHeadAttention useCausalMask(boolean value) {
        checkNotBuilt();
        this.useCausalMask = value;
        return this;
    }

    /** Keras's call option {@code return_attention_scores=True}: a second output (batch, heads, T, S). */
    public MultiHeadAttention returnAttentionScores(boolean value) {
        checkNotBuilt();
        this.returnAttentionScores = value;
        return this;
    }

    /** The layer takes Keras's {@code attention_mask} (batch, T, S) as its last input. */
    public MultiHeadAttention attentionMaskInput(boolean value) {
        checkNotBuilt();
        this.attentionMaskInput = value;
        return this;
    }

    @Override
    public MultiHeadAttention name(String n) {
        super.name(n);
        return this;
    }

    public int numHeads() {
        return numHeads;
    }

    public int keyDim() {
        return keyDim;
    }

    public int valueDim() {
        return valueDim;
    }

    public double dropout() {
        return dropout;
    }

    public boolean useBias() {
        return useBias;
    }

    /** Keras's {@code output_shape}, or null (the query's last dim). */
    public int[] outputShapeOption() {
        return outputShape == null ? null : outputShape.clone();
    }

    public boolean useCausalMask() {
        return useCausalMask;
    }

    public boolean returnAttentionScores() {
        return returnAttentionScores;
    }

    public boolean attentionMaskInput() {
        return attentionMaskInput;
    }

    // ---------------------------------------------------------------- shapes

    private int tensorInputs(int count) {
        int n = attentionMaskInput ? count - 1 : count;
        if (n < 2 || n > 3) {
            throw new LayerShapeException("Layer '" + name() + "' (MultiHeadAttention) takes [query, value] or "
                    + "[query, value, key]" + (attentionMaskInput ? " plus the attention mask" : "") + " but is called on "
                    + count + " input(s)");
        }
        return n;
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        throw new LayerShapeException("Layer '" + name() + "' (MultiHeadAttention) takes a list of inputs "
                + "[query, value] or [query, value, key]");
    }

    @Override
    public List<int[]> computeOutputShapes(List<int[]> in) {
        int n = tensorInputs(in.size());
        int[] q = in.get(0);
        int[] v = in.get(1);
        int[] k = n > 2 ? in.get(2) : v;
        for (int i = 0; i < n; i++) {
            int[] s = in.get(i);
            if (s.length != 2 || s[1] <= 0) {
                throw new LayerShapeException("Layer '" + name() + "' (MultiHeadAttention) expects inputs of shape "
                        + "(None, T, features) with known features (attention over axis 1 only) but got "
                        + Shapes.listToString(in));
            }
        }
        if (v[0] != k[0] && v[0] > 0 && k[0] > 0) {
            throw new LayerShapeException("Layer '" + name() + "' (MultiHeadAttention): all dimensions of value "
                    + Shapes.withBatch(v) + " and key " + Shapes.withBatch(k) + ", except the last one, must be equal");
        }
        if (attentionMaskInput) {
            int[] m = in.get(in.size() - 1);
            if (m.length != 2 || (m[0] > 0 && q[0] > 0 && m[0] != q[0]) || (m[1] > 0 && v[0] > 0 && m[1] != v[0])) {
                throw new LayerShapeException("Layer '" + name() + "' (MultiHeadAttention): the attention mask "
                        + Shapes.withBatch(m) + " must be (None, " + q[0] + ", " + v[0] + ")");
            }
        }
        int[] outDims = outputShape != null ? outputShape : new int[] {q[1]};
        int[] out = new int[1 + outDims.length];
        out[0] = q[0];
        System.arraycopy(outDims, 0, out, 1, outDims.length);
        List<int[]> shapes = new ArrayList<>(2);
        shapes.add(out);
        if (returnAttentionScores) {
            shapes.add(new int[] {numHeads, q[0], k[0]});
        }
        return shapes;
    }

    private int outputSize() {
        return outputShape == null ? queryProj.inputSize() : (int) Shapes.size(outputShape);
    }

    @Override
    protected void createWeights(List<int[]> in, Rng rng) {
        int n = tensorInputs(in.size());
        int dq = in.get(0)[1];
        int dv = in.get(1)[1];
        int dk = n > 2 ? in.get(2)[1] : dv;
        dropoutSeed = seed != null ? seed : rng == null ? 0L : rng.nextLong();
        queryProj = projection("query", new int[] {dq, numHeads, keyDim}, new int[] {numHeads, keyDim}, rng);
        keyProj = projection("key", new int[] {dk, numHeads, keyDim}, new int[] {numHeads, keyDim}, rng);
        valueProj = projection("value", new int[] {dv, numHeads, valueDim}, new int[] {numHeads, valueDim}, rng);
        int[] outDims = outputShape != null ? outputShape : new int[] {dq};
        int[] ok = new int[2 + outDims.length];
        ok[0] = numHeads;
        ok[1] = valueDim;
        System.arraycopy(outDims, 0, ok, 2, outDims.length);
        outputProj = projection("attention_output", ok, outDims.clone(), rng);
    }

    /** Keras's order: each sublayer's kernel, then its bias. */
    private MultiHeadProjection projection(String sublayer, int[] kernelShape, int[] biasShape, Rng rng) {
        Variable k = addWeight(sublayer + "/kernel", kernelShape, kernelInitializer, kernelRegularizer, rng);
        Variable b = useBias ? addWeight(sublayer + "/bias", biasShape, biasInitializer, biasRegularizer, rng) : null;
        return new MultiHeadProjection(k, b, sublayer.equals("attention_output") ? numHeads * valueDim : kernelShape[0]);
    }

    @Override
    public List<Mask> computeMasks(List<Tensor> inputs, List<Mask> masks) {
        Mask q = AttentionMath.mask(masks, 0);
        return returnAttentionScores ? Arrays.asList(q, null) : Collections.singletonList(q);
    }

    @Override
    protected boolean supportsMasking() {
        return true;
    }

    // ---------------------------------------------------------------- running

    /** Per call site: what backward needs. */
    private static final class Run {
        int batch;
        int t;
        int s;
        Tensor query;
        Tensor value;
        Tensor key;
        boolean hasKey;
        int maskInputs;
        float[] q; // projected query times 1/sqrt(key_dim), (B, T, N, H)
        float[] k; // (B, S, N, H)
        float[] v; // (B, S, N, Hv)
        float[] probs; // (B, N, T, S) before dropout
        float[] weights; // after dropout
        float[] dropScale;
        float[] context; // (B, T, N, Hv)
        float[] y; // the output projection, kept only for its activity term
        boolean[] mask; // (B, T, S) or null
        Rng rng;
        boolean recorded;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        throw new IllegalArgumentException("Layer '" + name() + "' (MultiHeadAttention) takes a list of inputs "
                + "[query, value] or [query, value, key]: use forwardAll");
    }

    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        requireBuilt();
        int n = tensorInputs(inputs.size());
        List<int[]> shapes = new ArrayList<>(inputs.size());
        for (Tensor x : inputs) {
            if (x.rank() != 3) {
                throw new LayerShapeException("Layer '" + name() + "' (MultiHeadAttention) expects inputs of shape "
                        + "(batch, T, features) but got " + Shapes.toString(x.shape()));
            }
            shapes.add(Shapes.dropFirst(x.shape()));
        }
        build(shapes, null);
        Tensor query = inputs.get(0);
        Tensor value = inputs.get(1);
        Tensor key = n > 2 ? inputs.get(2) : value;
        int batch = query.dim(0);
        int t = query.dim(1);
        int s = value.dim(1);
        if (value.dim(0) != batch || key.dim(0) != batch || key.dim(1) != s) {
            throw new LayerShapeException("Layer '" + name() + "' (MultiHeadAttention): query "
                    + Shapes.toString(query.shape()) + ", value " + Shapes.toString(value.shape()) + " and key "
                    + Shapes.toString(key.shape()) + " do not fit");
        }
        Run r = ctx.state(Run::new);
        r.recorded = false;
        r.batch = batch;
        r.t = t;
        r.s = s;
        r.query = query;
        r.value = value;
        r.key = key;
        r.hasKey = n > 2;
        r.maskInputs = inputs.size() - n;

        boolean[] mask = MultiHeadMath.attentionMask(masks, n > 2, attentionMaskInput ? inputs.get(inputs.size() - 1)
                : null, useCausalMask, batch, t, s, name());
        boolean zeroFullyMasked = dropout > 0f || returnAttentionScores;

        int nh = numHeads;
        MultiHeadMath.Dims d = new MultiHeadMath.Dims(batch, nh, t, s, keyDim, valueDim);
        Regularizer act = projectionActivityRegularizer;
        // the activity terms are on the projections as Keras's EinsumDense returns them (q before scaling)
        float[] q = queryProj.forward(query.data(), act, batch, ctx);
        float[] k = keyProj.forward(key.data(), act, batch, ctx);
        float[] v = valueProj.forward(value.data(), act, batch, ctx);
        MultiHeadMath.scale(q, (float) (1.0 / Math.sqrt(keyDim)));
        float[] probs = MultiHeadMath.scores(q, k, mask, zeroFullyMasked, d);
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
        float[] context = MultiHeadMath.context(weights, v, d);
        float[] y = outputProj.forward(context, act, batch, ctx);
        if (training) {
            r.y = act != null ? y : null;
            r.q = q;
            r.k = k;
            r.v = v;
            r.probs = probs;
            r.weights = weights;
            r.dropScale = dropScale;
            r.context = context;
            r.mask = mask;
            r.recorded = true;
        }
        int[] outDims = outputShape != null ? outputShape : new int[] {query.dim(2)};
        int[] yShape = new int[2 + outDims.length];
        yShape[0] = batch;
        yShape[1] = t;
        System.arraycopy(outDims, 0, yShape, 2, outDims.length);
        Tensor out = Tensor.of(y, yShape);
        if (!returnAttentionScores) {
            return Collections.singletonList(out);
        }
        return Arrays.asList(out, Tensor.of(probs.clone(), batch, nh, t, s));
    }

    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        Run r = ctx.existingState();
        if (r == null || !r.recorded) {
            throw noForwardRecorded();
        }
        MultiHeadMath.Dims d = new MultiHeadMath.Dims(r.batch, numHeads, r.t, r.s, keyDim, valueDim);
        Tensor g0 = gradOutputs.isEmpty() ? null : gradOutputs.get(0);
        Tensor g1 = gradOutputs.size() > 1 ? gradOutputs.get(1) : null;
        float[] dy = g0 == null ? new float[r.batch * r.t * outputSize()] : g0.data();
        Regularizer act = projectionActivityRegularizer;
        dy = MultiHeadProjection.withActivityGradient(dy, r.y, act, r.batch);
        float[] dContext = outputProj.backward(r.context, dy, true);
        float[] dv = new float[r.v.length];
        float[] dWeights = MultiHeadMath.contextBackward(dContext, r.weights, r.v, dv, d);
        if (r.dropScale != null) {
            for (int i = 0; i < dWeights.length; i++) {
                dWeights[i] *= r.dropScale[i];
            }
        }
        if (g1 != null) {
            float[] g = g1.data();
            for (int i = 0; i < dWeights.length; i++) {
                dWeights[i] += g[i];
            }
        }
        float[] dq = new float[r.q.length];
        float[] dk = new float[r.k.length];
        MultiHeadMath.scoresBackward(r.probs, dWeights, r.mask, r.q, r.k, dq, dk, d);
        MultiHeadMath.scale(dq, (float) (1.0 / Math.sqrt(keyDim)));
        if (act != null) {  // the query's activity term is at the unscaled projection
            float[] q = r.q.clone();
            MultiHeadMath.scale(q, (float) Math.sqrt(keyDim));
            dq = MultiHeadProjection.withActivityGradient(dq, q, act, r.batch);
            dk = MultiHeadProjection.withActivityGradient(dk, r.k, act, r.batch);
            dv = MultiHeadProjection.withActivityGradient(dv, r.v, act, r.batch);
        }
        return MultiHeadProjection.inputGradients(new MultiHeadProjection[] {queryProj, keyProj, valueProj},
                new Tensor[] {r.query, r.key, r.value}, new float[][] {dq, dk, dv}, r.hasKey, r.maskInputs,
                ctx.inputGradientNeeded());
    }

    // ---------------------------------------------------------------- config

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("num_heads", numHeads);
        c.put("key_dim", keyDim);
        c.put("value_dim", valueDim);
        c.put("dropout", (double) dropout);
        c.put("use_bias", useBias);
        c.put("use_gate", false);
        c.put("output_shape", outputShape == null ? null : ConfigValues.intList(outputShape));
        c.put("attention_axes", ConfigValues.intList(new int[] {1}));
        c.put("sliding_window", null);
        c.put("kernel_initializer", kernelInitializer.name());
        c.put("bias_initializer", biasInitializer.name());
        c.put("kernel_regularizer", ConfigValues.regularizer(kernelRegularizer));
        c.put("bias_regularizer", ConfigValues.regularizer(biasRegularizer));
        c.put("activity_regularizer", ConfigValues.regularizer(projectionActivityRegularizer));
        c.put("kernel_constraint", constraintConfig("kernel"));
        c.put("bias_constraint", constraintConfig("bias"));
        c.put("seed", seed);
        return c;
    }

    /**
     * Rebuilds the layer from its Keras config. Supported: attention over axis 1 of (batch, T, features)
     * inputs ({@code attention_axes} null, 1, [1] or [-2]), no {@code use_gate}, no {@code sliding_window}.
     */
    public static MultiHeadAttention fromConfig(Map<String, Object> config) {
        if (ConfigValues.getBoolean(config, "use_gate", false)) {
            throw new IllegalArgumentException("MultiHeadAttention: use_gate=True is not supported yet");
        }
        if (ConfigValues.has(config, "sliding_window")) {
            throw new IllegalArgumentException("MultiHeadAttention: sliding_window is not supported yet");
        }
        int[] axes = ConfigValues.getIntList(config, "attention_axes");
        if (axes != null && !(axes.length == 1 && (axes[0] == 1 || axes[0] == -2))) {
            throw new IllegalArgumentException("MultiHeadAttention: attention_axes " + Arrays.toString(axes)
                    + " is not supported; only attention over axis 1 of (batch, T, features) inputs");
        }
        MultiHeadAttention m = new MultiHeadAttention(ConfigValues.getInt(config, "num_heads", 0),
                ConfigValues.getInt(config, "key_dim", 0));
        String name = ConfigValues.name(config);
        if (name != null) {
            m.name(name);
        }
        if (ConfigValues.has(config, "value_dim")) {
            m.valueDim(ConfigValues.getInt(config, "value_dim", 0));
        }
        m.dropout(ConfigValues.getDouble(config, "dropout", 0.0));
        m.useBias(ConfigValues.getBoolean(config, "use_bias", true));
        int[] os = ConfigValues.getIntList(config, "output_shape");
        if (os != null) {
            m.outputShape(os);
        }
        m.kernelInitializer(ConfigValues.getInitializer(config, "kernel_initializer", "glorot_uniform"));
        m.biasInitializer(ConfigValues.getInitializer(config, "bias_initializer", "zeros"));
        m.kernelRegularizer(ConfigValues.getRegularizer(config, "kernel_regularizer"));
        m.biasRegularizer(ConfigValues.getRegularizer(config, "bias_regularizer"));
        m.activityRegularizer(ConfigValues.getRegularizer(config, "activity_regularizer"));
        m.kernelConstraint(Constraints.get(config.get("kernel_constraint")));
        m.biasConstraint(Constraints.get(config.get("bias_constraint")));
        if (ConfigValues.has(config, "seed")) {
            m.seed((long) ConfigValues.getDouble(config, "seed", 0));
        }
        m.trainable(ConfigValues.getBoolean(config, "trainable", true));
        return m;
    }
}
