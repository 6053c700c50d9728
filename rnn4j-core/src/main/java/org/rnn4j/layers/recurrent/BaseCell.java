package org.rnn4j.layers.recurrent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.activations.Activations;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.Initializers;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.RecurrentLayer;
import org.rnn4j.layers.Variable;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Names;
import org.rnn4j.util.Rng;

/**
 * Options and weights shared by Keras's SimpleRNNCell, LSTMCell and GRUCell ({@code kernel
 * (input_dim, G*units)}, {@code recurrent_kernel (units, G*units)}, {@code bias}), and the
 * per-call dropout masks of the step-by-step path. A lone built-in cell in an {@link RNN} runs on
 * the fused whole-sequence loop of the matching layer ({@link #fusedLayer}), which then owns the
 * variables this cell exposes; inside {@link StackedRNNCells} the cell's own step runs.
 *
 * @param <T> the concrete cell, so fluent setters return it
 */
public abstract class BaseCell<T extends BaseCell<T>> implements Cell {
    protected final int units;
    private String name;
    private Activation activation = Activations.get("tanh");
    private Activation recurrentActivation = Activations.get("sigmoid");
    private boolean useBias = true;
    private double dropout;
    private double recurrentDropout;
    private Long seed;
    private Initializer kernelInitializer = Initializers.get("glorot_uniform");
    private Initializer recurrentInitializer = Initializers.get("orthogonal");
    private Initializer biasInitializer = Initializers.get("zeros");
    private Regularizer kernelRegularizer;
    private Regularizer recurrentRegularizer;
    private Regularizer biasRegularizer;
    private boolean trainable = true;

    protected Variable kernel;
    protected Variable recurrentKernel;
    protected Variable bias;
    private final List<Variable> weights = new ArrayList<>(3);
    private long dropoutSeed;
    protected final MatMul matmul = Kernels.matmul();

    protected BaseCell(int units) {
        if (units <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": units must be a positive integer, got "
                    + units);
        }
        this.units = units;
        this.name = Names.next(Names.snakeCase(className()));
    }

    @SuppressWarnings("unchecked")
    protected final T self() {
        return (T) this;
    }

    /** Number of gate blocks G: 1 (SimpleRNN), 4 (LSTM), 3 (GRU). */
    protected abstract int gateCount();

    /** The matching fused layer (LSTM for LSTMCell...), configured as this cell, not built. */
    protected abstract RecurrentLayer<?> newFusedLayer(String layerName);

    @Override
    public String className() {
        return getClass().getSimpleName();
    }

    @Override
    public String name() {
        return name;
    }

    public T name(String n) {
        checkNotBuilt();
        this.name = n;
        return self();
    }

    @Override
    public boolean isBuilt() {
        return kernel != null;
    }

    protected final void checkNotBuilt() {
        if (isBuilt()) {
            throw new IllegalStateException("Cell '" + name + "' is already built; set its options before building");
        }
    }

    // ------------------------------------------------------------------ options

    public T activation(String a) {
        return activation(Activations.get(a));
    }

    public T activation(Activation a) {
        checkNotBuilt();
        this.activation = a;
        return self();
    }

    protected void setRecurrentActivation(Activation a) {
        checkNotBuilt();
        this.recurrentActivation = a;
    }

    public T useBias(boolean v) {
        checkNotBuilt();
        this.useBias = v;
        return self();
    }

    /** Fraction of the step inputs dropped in training (one mask per call, shared by all steps, as Keras). */
    public T dropout(double rate) {
        checkNotBuilt();
        this.dropout = Math.min(1.0, Math.max(0.0, rate));
        return self();
    }

    /** Fraction of the previous h dropped in training (one mask per call, as Keras). */
    public T recurrentDropout(double rate) {
        checkNotBuilt();
        this.recurrentDropout = Math.min(1.0, Math.max(0.0, rate));
        return self();
    }

    public T seed(Long s) {
        checkNotBuilt();
        this.seed = s;
        return self();
    }

    public T kernelInitializer(String n) {
        return kernelInitializer(Initializers.get(n));
    }

    public T kernelInitializer(Initializer i) {
        checkNotBuilt();
        this.kernelInitializer = i;
        return self();
    }

    public T recurrentInitializer(String n) {
        return recurrentInitializer(Initializers.get(n));
    }

    public T recurrentInitializer(Initializer i) {
        checkNotBuilt();
        this.recurrentInitializer = i;
        return self();
    }

    public T biasInitializer(String n) {
        return biasInitializer(Initializers.get(n));
    }

    public T biasInitializer(Initializer i) {
        checkNotBuilt();
        this.biasInitializer = i;
        return self();
    }

    public T kernelRegularizer(Regularizer r) {
        checkNotBuilt();
        this.kernelRegularizer = r;
        return self();
    }

    public T recurrentRegularizer(Regularizer r) {
        checkNotBuilt();
        this.recurrentRegularizer = r;
        return self();
    }

    public T biasRegularizer(Regularizer r) {
        checkNotBuilt();
        this.biasRegularizer = r;
        return self();
    }

    public T trainable(boolean v) {
        this.trainable = v;
        return self();
    }

    @Override
    public boolean isTrainable() {
        return trainable;
    }

    public int units() {
        return units;
    }

    public Activation activation() {
        return activation;
    }

    protected Activation recurrentActivationValue() {
        return recurrentActivation;
    }

    public boolean useBias() {
        return useBias;
    }

    public double dropout() {
        return dropout;
    }

    public double recurrentDropout() {
        return recurrentDropout;
    }

    public Long seed() {
        return seed;
    }

    public Variable kernel() {
        return kernel;
    }

    public Variable recurrentKernel() {
        return recurrentKernel;
    }

    public Variable bias() {
        return bias;
    }

    @Override
    public int[] stateSizes() {
        return new int[] {units};
    }

    // ------------------------------------------------------------------ weights

    /** The fused layer for a lone cell in an RNN, configured with this cell's options. */
    final RecurrentLayer<?> fusedLayer(String layerName) {
        RecurrentLayer<?> l = newFusedLayer(layerName);
        l.activation(activation).useBias(useBias).dropout(dropout).recurrentDropout(recurrentDropout).seed(seed)
                .kernelInitializer(kernelInitializer).recurrentInitializer(recurrentInitializer)
                .biasInitializer(biasInitializer).kernelRegularizer(kernelRegularizer)
                .recurrentRegularizer(recurrentRegularizer).biasRegularizer(biasRegularizer);
        return l;
    }

    /** Takes the weights of the fused layer built for this cell (so both name the same variables). */
    final void adopt(RecurrentLayer<?> fused) {
        if (isBuilt()) {
            throw new IllegalStateException("Cell '" + name + "' is already built (a cell belongs to one RNN)");
        }
        kernel = fused.kernel();
        recurrentKernel = fused.recurrentKernel();
        bias = fused.bias();
        weights.clear();
        weights.addAll(fused.weights());
        dropoutSeed = seed != null ? seed : 0L;
    }

    protected int[] biasShape() {
        return new int[] {gateCount() * units};
    }

    protected Initializer effectiveBiasInitializer() {
        return biasInitializer;
    }

    @Override
    public void build(int inputDim, Rng rng) {
        checkNotBuilt();
        if (inputDim <= 0) {
            throw new IllegalArgumentException("Cell '" + name + "' (" + className() + ") needs a known input size, got "
                    + inputDim);
        }
        int gh = gateCount() * units;
        kernel = add("kernel", new int[] {inputDim, gh}, kernelInitializer, kernelRegularizer, rng);
        recurrentKernel = add("recurrent_kernel", new int[] {units, gh}, recurrentInitializer, recurrentRegularizer, rng);
        if (useBias) {
            bias = add("bias", biasShape(), effectiveBiasInitializer(), biasRegularizer, rng);
        }
        dropoutSeed = seed != null ? seed : rng.split().nextLong();
    }

    private Variable add(String n, int[] shape, Initializer init, Regularizer reg, Rng rng) {
        Tensor v = Tensor.zeros(shape);
        init.fill(v, rng);
        Variable var = new Variable(n, v, true, reg);
        weights.add(var);
        return var;
    }

    @Override
    public List<Variable> weights() {
        return Collections.unmodifiableList(weights);
    }

    protected final void requireBuilt() {
        if (!isBuilt()) {
            throw new IllegalStateException("Cell '" + name + "' is not built yet: put it in an RNN layer of a model");
        }
    }

    // ------------------------------------------------------------------ step path helpers

    /** Per-call dropout masks (Keras draws them once per RNN call), kept in the cell's context. */
    static final class Masks {
        Rng rng;
        float[] input;      // [B, F] or null
        float[] recurrent;  // [B, H] or null
    }

    @Override
    public void beginSequence(int batch, boolean training, LayerContext ctx) {
        Masks m = ctx.state(Masks::new);
        boolean in = training && dropout > 0 && dropout < 1;
        boolean rec = training && recurrentDropout > 0 && recurrentDropout < 1;
        if ((in || rec) && m.rng == null) {
            m.rng = new Rng(dropoutSeed);
        }
        m.input = in ? draw(m.rng, batch * kernel.shape()[0], dropout) : null;
        m.recurrent = rec ? draw(m.rng, batch * units, recurrentDropout) : null;
    }

    private static float[] draw(Rng rng, int n, double rate) {
        float keep = (float) (1.0 / (1.0 - rate));
        float[] m = new float[n];
        for (int i = 0; i < n; i++) {
            m[i] = rng.nextDouble() < rate ? 0f : keep;
        }
        return m;
    }

    /** {@code v * mask} (a copy), or {@code v} itself when the mask is null. */
    static float[] masked(float[] v, float[] mask) {
        if (mask == null) {
            return v;
        }
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i] * mask[i];
        }
        return o;
    }

    static void scale(float[] v, float[] mask) {
        if (mask != null) {
            for (int i = 0; i < v.length; i++) {
                v[i] *= mask[i];
            }
        }
    }

    static Masks masks(LayerContext ctx) {
        Masks m = ctx.existingState();
        return m == null ? new Masks() : m;
    }

    /** Checks a step's input and states against the built sizes. */
    protected final void checkStep(Tensor x, Tensor[] states) {
        requireBuilt();
        int f = kernel.shape()[0];
        if (x.rank() != 2 || x.dim(1) != f) {
            throw new IllegalArgumentException("Cell '" + name + "' (" + className() + ") expects step input (batch, "
                    + f + ") but got " + Shapes.toString(x.shape()));
        }
        int[] sizes = stateSizes();
        if (states.length != sizes.length) {
            throw new IllegalArgumentException("Cell '" + name + "' (" + className() + ") has " + sizes.length
                    + " states but got " + states.length);
        }
        for (int k = 0; k < sizes.length; k++) {
            if (states[k].rank() != 2 || states[k].dim(0) != x.dim(0) || states[k].dim(1) != sizes[k]) {
                throw new IllegalArgumentException("Cell '" + name + "' (" + className() + "): state " + k
                        + " must be (" + x.dim(0) + ", " + sizes[k] + ") but got " + Shapes.toString(states[k].shape()));
            }
        }
    }

    /** {@code out[r, :] = bias row (or 0)} then {@code += a . w} for an {@code [B, n]} block. */
    protected final void project(int b, int n, int k, float[] a, float[] w, int wOff, int ldw, float[] out, int outOff,
                                 int ldo, boolean accumulate) {
        matmul.gemm(false, false, b, n, k, a, 0, k, w, wOff, ldw, out, outOff, ldo, accumulate);
    }

    /** Activates columns {@code [from, from+width)} of each of {@code b} rows of stride {@code ld}. */
    protected static void act(Activation a, float[] z, float[] y, int b, int ld, int from, int width) {
        for (int r = 0; r < b; r++) {
            a.forward(z, y, r * ld + from, 1, width);
        }
    }

    /** {@code dz = dy * a'(z)} over the same column block (dz may alias dy). */
    protected static void actBack(Activation a, float[] z, float[] y, float[] dy, float[] dz, int b, int ld, int from,
                                  int width) {
        for (int r = 0; r < b; r++) {
            a.backward(z, y, dy, dz, r * ld + from, 1, width);
        }
    }

    /**
     * The shared end of a step's backward: weight gradients from the pre-activation gradients
     * {@code dzx [B, G*H]} (input side) and {@code dzh} (recurrent side, columns {@code 0..nh}),
     * and the input gradient. Returns dx.
     */
    protected final Tensor inputSide(int b, float[] xin, float[] dzx, float[] dxMask) {
        int f = kernel.shape()[0];
        int gh = gateCount() * units;
        matmul.gemm(true, false, f, gh, b, xin, 0, f, dzx, 0, gh, kernel.grad().data(), 0, gh, true);
        float[] dx = new float[b * f];
        matmul.gemm(false, true, b, f, gh, dzx, 0, gh, kernel.value().data(), 0, gh, dx, 0, f, false);
        scale(dx, dxMask);
        return Tensor.of(dx, b, f);
    }

    protected static void columnSums(float[] d, int b, int ld, int from, int width, float[] out, int outOff) {
        Kernels.matmul().addColumnSums(b, width, d, from, ld, out, outOff);
    }

    // ------------------------------------------------------------------ config

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("trainable", trainable);
        c.put("dtype", "float32");
        c.put("units", units);
        c.put("activation", activation.name());
        if (hasRecurrentActivation()) {
            c.put("recurrent_activation", recurrentActivation.name());
        }
        c.put("use_bias", useBias);
        putAfterBias(c);
        c.put("kernel_initializer", kernelInitializer.name());
        c.put("recurrent_initializer", recurrentInitializer.name());
        c.put("bias_initializer", biasInitializer.name());
        c.put("kernel_regularizer", kernelRegularizer);
        c.put("recurrent_regularizer", recurrentRegularizer);
        c.put("bias_regularizer", biasRegularizer);
        c.put("kernel_constraint", null);
        c.put("recurrent_constraint", null);
        c.put("bias_constraint", null);
        c.put("dropout", dropout);
        c.put("recurrent_dropout", recurrentDropout);
        putTrailing(c);
        c.put("seed", seed);
        return c;
    }

    protected boolean hasRecurrentActivation() {
        return true;
    }

    /** Keys Keras lists right after use_bias (LSTMCell's unit_forget_bias). */
    protected void putAfterBias(Map<String, Object> c) {
    }

    /** Keys Keras lists after recurrent_dropout (GRUCell's reset_after). */
    protected void putTrailing(Map<String, Object> c) {
    }

    @Override
    public String toString() {
        return name + " (" + className() + ")";
    }
}
