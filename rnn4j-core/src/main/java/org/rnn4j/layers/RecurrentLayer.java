package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.activations.Activations;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.Initializers;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Base of Keras's SimpleRNN, LSTM and GRU: options, Keras weight layouts and the fused
 * whole-sequence forward and backward (BPTT) driver.
 *
 * <p>Layout (why: every per-step block is contiguous for the matmuls): the input is copied in
 * processing order (reversed when {@code goBackwards}) into a time-major {@code [T, B, F]}
 * buffer; the input projection of all steps is ONE matmul {@code [T*B, F] x [F, G*H]} before
 * the loop; each step then adds the recurrent matmul {@code [B, H] x [H, G*H]} and runs the
 * gate math of {@link org.rnn4j.kernels.RecurrentCells}. All buffers are sized once per call
 * (and reused across calls); nothing is allocated inside the time loop. The backward pass
 * mirrors it: per step the gate gradients and the recurrent matmul, then ONE matmul each for
 * the kernel, recurrent-kernel and input gradients.
 *
 * @param <T> the concrete layer, so fluent setters return it
 */
public abstract class RecurrentLayer<T extends RecurrentLayer<T>> extends Layer {
    protected final int units;
    private Activation activation = Activations.get("tanh");
    private Activation recurrentActivation = Activations.get("sigmoid");
    private boolean useBias = true;
    private boolean returnSequences;
    private boolean returnState;
    private boolean goBackwards;
    private boolean zeroOutputForMask;
    private double dropout;
    private double recurrentDropout;
    private Long seed;
    private Initializer kernelInitializer = Initializers.get("glorot_uniform");
    private Initializer recurrentInitializer = Initializers.get("orthogonal");
    private Initializer biasInitializer = Initializers.get("zeros");
    private Regularizer kernelRegularizer;
    private Regularizer recurrentRegularizer;
    private Regularizer biasRegularizer;

    protected Variable kernel;
    protected Variable recurrentKernel;
    protected Variable bias;
    private Rng dropoutRng;
    private boolean freezeDropoutMasks;

    // Workspace of the last call (sizes: B batch, T steps, F features, H units, G gates).
    protected int batch;
    protected int steps;
    protected int features;
    protected float[] xs = new float[0];      // [T, B, F] input in processing order
    protected float[] pre = new float[0];     // [T, B, G*H] pre-activations
    protected float[] gates = new float[0];   // [T, B, G*H] activated gates
    protected float[] hAll = new float[0];    // [T+1, B, H] h after each step; slot 0 = initial zeros
    protected float[] dz = new float[0];      // [T, B, G*H] pre-activation gradients
    protected float[] dh = new float[0];      // [B, H] gradient reaching h of the current step
    protected float[] dhPrev = new float[0];  // [B, H] gradient for h of the previous step
    protected float[] hm = new float[0];      // [B, H] h masked by recurrent dropout
    // U^T [G*H, H], made once per backward call so the per-step matmul reads it contiguously.
    protected float[] recurrentKernelT = new float[0];
    private float[] scratch = new float[0];   // [T*B*max(F,H)] masked copies outside the loop
    private boolean[] maskBuffer = new boolean[0];
    protected boolean[] stepMask;             // [T, B] processing order, or null
    protected float[][] inputMasks;           // groups x [B, F] dropout scales, or null
    protected float[][] recurrentMasks;       // groups x [B, H] recurrent dropout scales, or null
    private boolean recorded;

    protected RecurrentLayer(int units) {
        checkUnits(units);
        this.units = units;
    }

    /** A copy named explicitly (see {@link Layer#Layer(String)}). */
    protected RecurrentLayer(int units, String explicitName) {
        super(explicitName);
        checkUnits(units);
        this.units = units;
    }

    private void checkUnits(int u) {
        if (u <= 0) {
            throw new IllegalArgumentException(className() + ": units must be a positive integer, got " + u);
        }
    }

    @SuppressWarnings("unchecked")
    protected final T self() {
        return (T) this;
    }

    /** Number of gate blocks G in the kernels: 1 (SimpleRNN), 4 (LSTM), 3 (GRU). */
    protected abstract int gateCount();

    /** A new layer of the same class and units with the given name, consuming no name counter. */
    protected abstract T newInstance(String name);

    // ------------------------------------------------------------------ fluent options

    public T activation(String name) {
        return activation(Activations.get(name));
    }

    public T activation(Activation a) {
        checkNotBuilt();
        this.activation = a;
        return self();
    }

    /** For LSTM and GRU (public setters there). */
    protected void setRecurrentActivation(Activation a) {
        checkNotBuilt();
        this.recurrentActivation = a;
    }

    public T useBias(boolean value) {
        checkNotBuilt();
        this.useBias = value;
        return self();
    }

    public T returnSequences(boolean value) {
        checkNotBuilt();
        this.returnSequences = value;
        return self();
    }

    /**
     * Keras's {@code return_state}. Our layers return one tensor, so the final states are
     * available from {@link #states()} after each forward call; the output is unchanged.
     */
    public T returnState(boolean value) {
        checkNotBuilt();
        this.returnState = value;
        return self();
    }

    public T goBackwards(boolean value) {
        checkNotBuilt();
        this.goBackwards = value;
        return self();
    }

    /** Keras's RNN {@code zero_output_for_mask}: zeros instead of the carried output at masked steps. */
    public T zeroOutputForMask(boolean value) {
        checkNotBuilt();
        this.zeroOutputForMask = value;
        return self();
    }

    /** Fraction of the inputs dropped in training (one mask per call, shared by all steps, as Keras). */
    public T dropout(double rate) {
        checkNotBuilt();
        this.dropout = Math.min(1.0, Math.max(0.0, rate));
        return self();
    }

    /** Fraction of the recurrent state dropped in training (one mask per call, as Keras). */
    public T recurrentDropout(double rate) {
        checkNotBuilt();
        this.recurrentDropout = Math.min(1.0, Math.max(0.0, rate));
        return self();
    }

    /** Seed of the dropout masks (Keras's {@code seed}); by default drawn from the model's seed. */
    public T seed(Long value) {
        checkNotBuilt();
        this.seed = value;
        return self();
    }

    public T kernelInitializer(String name) {
        return kernelInitializer(Initializers.get(name));
    }

    public T kernelInitializer(Initializer init) {
        checkNotBuilt();
        this.kernelInitializer = init;
        return self();
    }

    public T recurrentInitializer(String name) {
        return recurrentInitializer(Initializers.get(name));
    }

    public T recurrentInitializer(Initializer init) {
        checkNotBuilt();
        this.recurrentInitializer = init;
        return self();
    }

    public T biasInitializer(String name) {
        return biasInitializer(Initializers.get(name));
    }

    public T biasInitializer(Initializer init) {
        checkNotBuilt();
        this.biasInitializer = init;
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

    @Override
    public T inputShape(int... shape) {
        super.inputShape(shape);
        return self();
    }

    @Override
    public T name(String n) {
        super.name(n);
        return self();
    }

    // ------------------------------------------------------------------ getters

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

    public boolean returnSequences() {
        return returnSequences;
    }

    public boolean returnState() {
        return returnState;
    }

    public boolean goBackwards() {
        return goBackwards;
    }

    public boolean zeroOutputForMask() {
        return zeroOutputForMask;
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

    public Initializer kernelInitializer() {
        return kernelInitializer;
    }

    public Initializer recurrentInitializer() {
        return recurrentInitializer;
    }

    public Initializer biasInitializer() {
        return biasInitializer;
    }

    public Regularizer kernelRegularizer() {
        return kernelRegularizer;
    }

    public Regularizer recurrentRegularizer() {
        return recurrentRegularizer;
    }

    public Regularizer biasRegularizer() {
        return biasRegularizer;
    }

    /** The {@code kernel} weight {@code (input_dim, G*units)}; null before build. */
    public Variable kernel() {
        return kernel;
    }

    /** The {@code recurrent_kernel} weight {@code (units, G*units)}; null before build. */
    public Variable recurrentKernel() {
        return recurrentKernel;
    }

    /** The {@code bias} weight, or null without bias or before build. */
    public Variable bias() {
        return bias;
    }

    /** A copy of this layer's configuration (not its weights) under a new name. */
    public T copyConfig(String newName) {
        T c = newInstance(newName);
        RecurrentLayer<T> o = c;
        o.activation = activation;
        o.recurrentActivation = recurrentActivation;
        o.useBias = useBias;
        o.returnSequences = returnSequences;
        o.returnState = returnState;
        o.goBackwards = goBackwards;
        o.zeroOutputForMask = zeroOutputForMask;
        o.dropout = dropout;
        o.recurrentDropout = recurrentDropout;
        o.seed = seed;
        o.kernelInitializer = kernelInitializer;
        o.recurrentInitializer = recurrentInitializer;
        o.biasInitializer = biasInitializer;
        o.kernelRegularizer = kernelRegularizer;
        o.recurrentRegularizer = recurrentRegularizer;
        o.biasRegularizer = biasRegularizer;
        o.trainable(isTrainable());
        copyOptionsTo(c);
        return c;
    }

    /** Copies the subclass's own options (unitForgetBias, resetAfter). */
    protected void copyOptionsTo(T other) {
    }

    // ------------------------------------------------------------------ shapes and weights

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length != 2 || in[1] <= 0) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + ") expects input of shape "
                    + "(None, timesteps, features) with a known feature size but got " + Shapes.withBatch(in)
                    + "; recurrent layers take 3D input (batch, timesteps, features), e.g. inputShape(4, 6)"
                    + (in.length > 2 ? "; flatten the extra axes first, e.g. with TimeDistributed(new Flatten())"
                    : in.length < 2 ? "; make a sequence first, e.g. with RepeatVector or Reshape" : ""));
        }
        return returnSequences ? new int[] {in[0], units} : new int[] {units};
    }

    /** Keras's shape of {@code bias}. */
    protected int[] biasShape() {
        return new int[] {gateCount() * units};
    }

    /** The initializer actually used for {@code bias} (LSTM's unit_forget_bias wraps it). */
    protected Initializer effectiveBiasInitializer() {
        return biasInitializer;
    }

    @Override
    protected void createWeights(int[] in, Rng rng) {
        int gh = gateCount() * units;
        kernel = addWeight("kernel", new int[] {in[1], gh}, kernelInitializer, kernelRegularizer, rng);
        recurrentKernel = addWeight("recurrent_kernel", new int[] {units, gh}, recurrentInitializer,
                recurrentRegularizer, rng);
        if (useBias) {
            bias = addWeight("bias", biasShape(), effectiveBiasInitializer(), biasRegularizer, rng);
        }
        dropoutRng = seed != null ? new Rng(seed) : rng.split();
    }

    @Override
    public Mask computeMask(Tensor input, Mask mask) {
        return returnSequences ? mask : null;
    }

    // ------------------------------------------------------------------ forward

    /** The layer's step: recurrent matmul, gate math and the new state for step {@code s}. */
    protected abstract void stepForward(int s);

    /** Called before the loop once buffers are sized; subclasses size their own and reset states. */
    protected void beginForward() {
    }

    /** The {@code G*H} bias added to the input projection of every step (zeros when none). */
    protected void inputBias(float[] dst) {
        if (useBias) {
            System.arraycopy(bias.value().data(), 0, dst, 0, gateCount() * units);
        } else {
            Arrays.fill(dst, 0, gateCount() * units, 0f);
        }
    }

    /** Masks per dropout draw: Keras uses one per gate when recurrent dropout is on (implementation 1). */
    protected int maskGroups() {
        return recurrentDropout > 0 ? gateCount() : 1;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training) {
        requireBuilt();
        int f = kernel.shape()[0];
        if (x.rank() != 3 || x.dim(2) != f || x.dim(1) == 0) {
            int[] declared = inputShape();
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + ") expects input of shape "
                    + Shapes.withBatch(declared) + " (batch, timesteps, features=" + f + ") but got "
                    + Shapes.withBatch(Shapes.dropFirst(x.shape()))
                    + "; pass a 3D tensor [batch, timesteps, " + f + "]");
        }
        int b = x.dim(0);
        int t = x.dim(1);
        if (mask != null && (mask.batch() != b || mask.time() != t)) {
            throw new IllegalArgumentException("Layer '" + name() + "': mask is " + mask.batch() + " x " + mask.time()
                    + " but the input has batch " + b + " and " + t + " timesteps");
        }
        size(b, t, f);
        int h = units;
        int gh = gateCount() * h;
        float[] xd = x.data();
        for (int s = 0; s < t; s++) {
            int tt = goBackwards ? t - 1 - s : s;
            for (int r = 0; r < b; r++) {
                System.arraycopy(xd, (r * t + tt) * f, xs, (s * b + r) * f, f);
            }
        }
        stepMask = null;
        if (mask != null) {
            stepMask = maskBuffer;
            for (int s = 0; s < t; s++) {
                int tt = goBackwards ? t - 1 - s : s;
                for (int r = 0; r < b; r++) {
                    stepMask[s * b + r] = mask.get(r, tt);
                }
            }
        }
        drawDropoutMasks(training);
        project();
        Arrays.fill(hAll, 0, b * h, 0f);
        beginForward();
        for (int s = 0; s < t; s++) {
            stepForward(s);
        }
        recorded = training;
        return output();
    }

    private void size(int b, int t, int f) {
        batch = b;
        steps = t;
        features = f;
        int h = units;
        int gh = gateCount() * h;
        xs = ensure(xs, t * b * f);
        pre = ensure(pre, t * b * gh);
        gates = ensure(gates, t * b * gh);
        hAll = ensure(hAll, (t + 1) * b * h);
        dz = ensure(dz, t * b * gh);
        dh = ensure(dh, b * h);
        dhPrev = ensure(dhPrev, b * h);
        hm = ensure(hm, b * h);
        if (maskBuffer.length < t * b) {
            maskBuffer = new boolean[t * b];
        }
    }

    protected static float[] ensure(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }

    private void drawDropoutMasks(boolean training) {
        if (freezeDropoutMasks && (inputMasks != null || recurrentMasks != null)) {
            return;
        }
        int groups = maskGroups();
        // Keras applies dropout only for 0 < rate < 1 (a rate of 1 is ignored, not "drop all").
        inputMasks = training && dropout > 0 && dropout < 1 ? draw(groups, batch * features, dropout) : null;
        recurrentMasks = training && recurrentDropout > 0 && recurrentDropout < 1
                ? draw(groups, batch * units, recurrentDropout) : null;
    }

    private float[][] draw(int groups, int n, double rate) {
        float[][] m = new float[groups][n];
        float keep = (float) (1.0 / (1.0 - rate));
        for (float[] g : m) {
            for (int i = 0; i < n; i++) {
                g[i] = dropoutRng.nextDouble() < rate ? 0f : keep;
            }
        }
        return m;
    }

    /** Test hook: reuse the current dropout masks in later calls (for finite differences). */
    void freezeDropoutMasks(boolean value) {
        this.freezeDropoutMasks = value;
    }

    /** pre = bias + xs . kernel for all steps at once (per gate group with input dropout). */
    private void project() {
        int rows = steps * batch;
        int gh = gateCount() * units;
        float[] b = new float[gh];
        inputBias(b);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(b, 0, pre, r * gh, gh);
        }
        MatMul mm = Kernels.matmul();
        float[] w = kernel.value().data();
        if (inputMasks == null) {
            mm.gemm(false, false, rows, gh, features, xs, 0, features, w, 0, gh, pre, 0, gh, true);
            return;
        }
        int blk = gh / inputMasks.length;
        for (int k = 0; k < inputMasks.length; k++) {
            float[] xm = maskedInput(k);
            mm.gemm(false, false, rows, blk, features, xm, 0, features, w, k * blk, gh, pre, k * blk, gh, true);
        }
    }

    /** xs with input dropout mask {@code k} applied (the mask is the same at every step). */
    private float[] maskedInput(int k) {
        int rows = steps * batch;
        scratch = ensure(scratch, rows * Math.max(features, units));
        float[] m = inputMasks[k];
        int bf = batch * features;
        for (int i = 0; i < rows * features; i++) {
            scratch[i] = xs[i] * m[i % bf];
        }
        return scratch;
    }

    /**
     * {@code c[., gate block] += hPrev . U[:, gates gateFrom..gateTo)} for step {@code s}, with
     * recurrent dropout applied per mask group; {@code cOff} is where gate {@code gateFrom} of row 0 is.
     */
    protected final void recurrentProject(int s, int gateFrom, int gateTo, float[] c, int cOff, int ldc) {
        int h = units;
        int gh = gateCount() * h;
        float[] u = recurrentKernel.value().data();
        MatMul mm = Kernels.matmul();
        if (recurrentMasks == null) {
            mm.gemm(false, false, batch, (gateTo - gateFrom) * h, h, hAll, s * batch * h, h, u, gateFrom * h, gh,
                    c, cOff, ldc, true);
            return;
        }
        if (recurrentMasks.length == 1) {
            maskState(s, 0);
            mm.gemm(false, false, batch, (gateTo - gateFrom) * h, h, hm, 0, h, u, gateFrom * h, gh, c, cOff, ldc, true);
            return;
        }
        for (int k = gateFrom; k < gateTo; k++) {
            maskState(s, k);
            mm.gemm(false, false, batch, h, h, hm, 0, h, u, k * h, gh, c, cOff + (k - gateFrom) * h, ldc, true);
        }
    }

    /** hm = h(step s) * recurrent mask of {@code gate}'s group. */
    protected final void maskState(int s, int gate) {
        float[] m = recurrentMasks[recurrentMasks.length == 1 ? 0 : gate];
        int n = batch * units;
        int off = s * n;
        for (int i = 0; i < n; i++) {
            hm[i] = hAll[off + i] * m[i];
        }
    }

    /** The previous state as seen by {@code gate} at step {@code s}: hm (dropout) or hAll. */
    protected final float[] stateForGate(int s, int gate) {
        if (recurrentMasks == null) {
            return hAll;
        }
        maskState(s, gate);
        return hm;
    }

    protected final int stateOffset(int s) {
        return recurrentMasks == null ? s * batch * units : 0;
    }

    private Tensor output() {
        int b = batch;
        int t = steps;
        int h = units;
        if (!returnSequences) {
            float[] out = new float[b * h];
            System.arraycopy(hAll, t * b * h, out, 0, b * h);
            return Tensor.of(out, b, h);
        }
        float[] out = new float[b * t * h];
        for (int s = 0; s < t; s++) {
            for (int r = 0; r < b; r++) {
                if (zeroOutputForMask && stepMask != null && !stepMask[s * b + r]) {
                    continue;
                }
                System.arraycopy(hAll, ((s + 1) * b + r) * h, out, (r * t + s) * h, h);
            }
        }
        return Tensor.of(out, b, t, h);
    }

    /** Final states of the last forward call (Keras's return_state values): h, then c for LSTM. */
    public List<Tensor> states() {
        List<Tensor> list = new ArrayList<>();
        list.add(lastState(hAll));
        return list;
    }

    protected final Tensor lastState(float[] all) {
        int n = batch * units;
        float[] v = new float[n];
        System.arraycopy(all, steps * n, v, 0, n);
        return Tensor.of(v, batch, units);
    }

    // ------------------------------------------------------------------ backward

    /** Called before the backward loop (e.g. LSTM clears its carried dc). */
    protected void beginBackward() {
    }

    /**
     * Back-propagates step {@code s}: given {@link #dh}, writes the pre-activation gradients into
     * {@link #dz} (and the layer's own buffers) and the full gradient for the previous h into
     * {@link #dhPrev}.
     */
    protected abstract void stepBackward(int s);

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (!recorded) {
            throw noForwardRecorded();
        }
        int b = batch;
        int t = steps;
        int h = units;
        int[] expected = returnSequences ? new int[] {b, t, h} : new int[] {b, h};
        if (!Arrays.equals(gradOutput.shape(), expected)) {
            throw new IllegalArgumentException("Layer '" + name() + "': output gradient has shape "
                    + Shapes.toString(gradOutput.shape()) + " but the output was " + Shapes.toString(expected));
        }
        float[] g = gradOutput.data();
        Arrays.fill(dh, 0, b * h, 0f);
        transposeRecurrentKernel();
        beginBackward();
        for (int s = t - 1; s >= 0; s--) {
            if (returnSequences) {
                for (int r = 0; r < b; r++) {
                    if (zeroOutputForMask && stepMask != null && !stepMask[s * b + r]) {
                        continue;
                    }
                    int src = (r * t + s) * h;
                    int dst = r * h;
                    for (int j = 0; j < h; j++) {
                        dh[dst + j] += g[src + j];
                    }
                }
            } else if (s == t - 1) {
                for (int i = 0; i < b * h; i++) {
                    dh[i] += g[i];
                }
            }
            stepBackward(s);
            float[] tmp = dh;
            dh = dhPrev;
            dhPrev = tmp;
        }
        Tensor dx = inputGradients();
        recurrentGradients();
        if (useBias) {
            biasGradients();
        }
        return dx;
    }

    /** dKernel += xs^T dz, and the input gradient dz . kernel^T back in [B, T, F] order. */
    private Tensor inputGradients() {
        int rows = steps * batch;
        int gh = gateCount() * units;
        int f = features;
        MatMul mm = Kernels.matmul();
        float[] w = kernel.value().data();
        float[] dw = kernel.grad().data();
        float[] dxs = new float[rows * f];
        if (inputMasks == null) {
            mm.gemm(true, false, f, gh, rows, xs, 0, f, dz, 0, gh, dw, 0, gh, true);
            mm.gemm(false, true, rows, f, gh, dz, 0, gh, w, 0, gh, dxs, 0, f, false);
        } else {
            int blk = gh / inputMasks.length;
            float[] part = new float[rows * f];
            int bf = batch * f;
            for (int k = 0; k < inputMasks.length; k++) {
                float[] xm = maskedInput(k);
                mm.gemm(true, false, f, blk, rows, xm, 0, f, dz, k * blk, gh, dw, k * blk, gh, true);
                mm.gemm(false, true, rows, f, blk, dz, k * blk, gh, w, k * blk, gh, part, 0, f, false);
                float[] m = inputMasks[k];
                for (int i = 0; i < rows * f; i++) {
                    dxs[i] += part[i] * m[i % bf];
                }
            }
        }
        float[] dx = new float[rows * f];
        int t = steps;
        for (int s = 0; s < t; s++) {
            int tt = goBackwards ? t - 1 - s : s;
            for (int r = 0; r < batch; r++) {
                System.arraycopy(dxs, (s * batch + r) * f, dx, (r * t + tt) * f, f);
            }
        }
        return Tensor.of(dx, batch, t, f);
    }

    /** dRecurrentKernel; by default {@code sum_s hPrev_s^T dz_s} over all gates. */
    protected void recurrentGradients() {
        recurrentKernelGradient(hAll, true, dz, 0, gateCount() * units, 0, gateCount());
    }

    /** dBias; by default the column sums of dz. */
    protected void biasGradients() {
        columnSums(dz, 0, gateCount() * units, gateCount() * units, bias.grad().data(), 0);
    }

    /** {@code out[outOff + j] += sum over all T*B rows of d[dOff + row*ld + j]}, j < cols. */
    protected final void columnSums(float[] d, int dOff, int ld, int cols, float[] out, int outOff) {
        int rows = steps * batch;
        for (int r = 0; r < rows; r++) {
            int o = dOff + r * ld;
            for (int j = 0; j < cols; j++) {
                out[outOff + j] += d[o + j];
            }
        }
    }

    /**
     * {@code dU[:, gates gateFrom..gateTo) += (src * recurrent mask)^T d} over all T*B rows, where
     * {@code src} holds the matmul's left operand per step ({@code [T, B, H]}) and {@code d}
     * the gradients of the gate block starting at {@code dOff} (row stride {@code ld}).
     */
    protected final void recurrentKernelGradient(float[] src, boolean applyMask, float[] d, int dOff, int ld,
                                                 int gateFrom, int gateTo) {
        int rows = steps * batch;
        int h = units;
        int gh = gateCount() * h;
        float[] du = recurrentKernel.grad().data();
        MatMul mm = Kernels.matmul();
        if (!applyMask || recurrentMasks == null) {
            mm.gemm(true, false, h, (gateTo - gateFrom) * h, rows, src, 0, h, d, dOff, ld, du, gateFrom * h, gh, true);
            return;
        }
        scratch = ensure(scratch, rows * Math.max(features, h));
        int bh = batch * h;
        int groupsFrom = recurrentMasks.length == 1 ? 0 : gateFrom;
        int groupsTo = recurrentMasks.length == 1 ? 1 : gateTo;
        for (int k = groupsFrom; k < groupsTo; k++) {
            float[] m = recurrentMasks[k];
            for (int i = 0; i < rows * h; i++) {
                scratch[i] = src[i] * m[i % bh];
            }
            int g0 = recurrentMasks.length == 1 ? gateFrom : k;
            int g1 = recurrentMasks.length == 1 ? gateTo : k + 1;
            mm.gemm(true, false, h, (g1 - g0) * h, rows, scratch, 0, h, d, dOff + (g0 - gateFrom) * h, ld,
                    du, g0 * h, gh, true);
        }
    }

    /**
     * {@code out += (d . U[:, gates gateFrom..gateTo)^T) * recurrent mask}, the recurrent part of
     * the gradient for the previous h; {@code d} holds the gate block of row 0 at {@code dOff}.
     */
    protected final void recurrentBackprop(float[] d, int dOff, int ld, int gateFrom, int gateTo, float[] out) {
        int h = units;
        float[] ut = recurrentKernelT;
        MatMul mm = Kernels.matmul();
        if (recurrentMasks == null) {
            mm.gemm(false, false, batch, h, (gateTo - gateFrom) * h, d, dOff, ld, ut, gateFrom * h * h, h, out, 0, h, true);
            return;
        }
        int n = batch * h;
        if (recurrentMasks.length == 1) {
            mm.gemm(false, false, batch, h, (gateTo - gateFrom) * h, d, dOff, ld, ut, gateFrom * h * h, h, hm, 0, h, false);
            addMasked(out, hm, recurrentMasks[0], n);
            return;
        }
        for (int k = gateFrom; k < gateTo; k++) {
            mm.gemm(false, false, batch, h, h, d, dOff + (k - gateFrom) * h, ld, ut, k * h * h, h, hm, 0, h, false);
            addMasked(out, hm, recurrentMasks[k], n);
        }
    }

    private void transposeRecurrentKernel() {
        int h = units;
        int gh = gateCount() * h;
        recurrentKernelT = ensure(recurrentKernelT, gh * h);
        float[] u = recurrentKernel.value().data();
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < gh; j++) {
                recurrentKernelT[j * h + i] = u[i * gh + j];
            }
        }
    }

    protected static void addMasked(float[] out, float[] v, float[] m, int n) {
        for (int i = 0; i < n; i++) {
            out[i] += v[i] * m[i];
        }
    }

    // ------------------------------------------------------------------ config

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("return_sequences", returnSequences);
        c.put("return_state", returnState);
        c.put("go_backwards", goBackwards);
        c.put("stateful", false);
        c.put("unroll", false);
        c.put("zero_output_for_mask", zeroOutputForMask);
        c.put("units", units);
        c.put("activation", activation.name());
        if (hasRecurrentActivation()) {
            c.put("recurrent_activation", recurrentActivation.name());
        }
        c.put("use_bias", useBias);
        c.put("kernel_initializer", kernelInitializer.name());
        c.put("recurrent_initializer", recurrentInitializer.name());
        c.put("bias_initializer", biasInitializer.name());
        putOwnOptions(c);
        c.put("kernel_regularizer", kernelRegularizer);
        c.put("recurrent_regularizer", recurrentRegularizer);
        c.put("bias_regularizer", biasRegularizer);
        c.put("activity_regularizer", null);
        c.put("kernel_constraint", null);
        c.put("recurrent_constraint", null);
        c.put("bias_constraint", null);
        c.put("dropout", dropout);
        c.put("recurrent_dropout", recurrentDropout);
        putTrailingOptions(c);
        return c;
    }

    protected boolean hasRecurrentActivation() {
        return true;
    }

    /** Options Keras lists after the initializers (LSTM's unit_forget_bias). */
    protected void putOwnOptions(Map<String, Object> c) {
    }

    /** Options Keras lists after dropout (GRU's reset_after, then seed). */
    protected void putTrailingOptions(Map<String, Object> c) {
        c.put("seed", seed);
    }
}
