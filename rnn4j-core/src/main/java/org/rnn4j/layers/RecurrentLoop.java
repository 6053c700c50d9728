package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.activations.Activation;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.PackedMatrix;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * The fused whole-sequence forward and backward (BPTT) driver of the recurrent layers.
 *
 * <p>Layout (why: every per-step block is contiguous for the matmuls): the input is copied in
 * processing order (reversed when {@code goBackwards}) into a time-major {@code [T, B, F]}
 * buffer; the input projection of all steps is ONE matmul {@code [T*B, F] x [F, G*H]} before
 * the loop; each step then adds the recurrent matmul {@code [B, H] x [H, G*H]} and runs the
 * gate math of {@link org.rnn4j.kernels.RecurrentCells}. All buffers are sized once per call
 * (and reused across calls); nothing is allocated inside the time loop. The backward pass
 * mirrors it: per step the gate gradients and the recurrent matmul, then ONE matmul each for
 * the kernel, recurrent-kernel and input gradients. Masked (padded) steps carry the previous
 * state and output forward, as Keras's backend {@code rnn} does.
 */
abstract class RecurrentLoop extends Layer {
    protected final int units;

    protected Variable kernel;
    protected Variable recurrentKernel;
    protected Variable bias;
    protected Rng dropoutRng;
    private boolean freezeDropoutMasks;
    /** The matmul kernel (Kernels.matmul(); tests may pin the scalar reference). */
    protected MatMul matmul = Kernels.matmul();
    /** The activations the time loop runs: the fastest equivalents (Kernels.activation), set at build. */
    protected Activation stepActivation;
    protected Activation stepRecurrentActivation;

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
    // U and U^T packed at the first step of each forward/backward call and reused by every later
    // step, instead of the matmul re-packing the same weights at each step.
    private final PackedRecurrentKernels packs = new PackedRecurrentKernels();
    /** Test and measurement hook: false = the per-step matmuls take U unpacked (the old path). */
    boolean packRecurrentKernel = true;

    protected RecurrentLoop(int units) {
        checkUnits(units);
        this.units = units;
    }

    protected RecurrentLoop(int units, String explicitName) {
        super(explicitName);
        checkUnits(units);
        this.units = units;
    }

    private void checkUnits(int u) {
        if (u <= 0) {
            throw new IllegalArgumentException(className() + ": units must be a positive integer, got " + u);
        }
    }

    /** Number of gate blocks G in the kernels: 1 (SimpleRNN), 4 (LSTM), 3 (GRU). */
    protected abstract int gateCount();

    // Options the loop reads (RecurrentLayer's getters).
    public abstract Activation activation();

    protected abstract Activation recurrentActivationValue();

    public abstract boolean useBias();

    public abstract boolean returnSequences();

    public abstract boolean goBackwards();

    public abstract boolean zeroOutputForMask();

    public abstract double dropout();

    public abstract double recurrentDropout();

    // ------------------------------------------------------------------ forward

    /** The layer's step: recurrent matmul, gate math and the new state for step {@code s}. */
    protected abstract void stepForward(int s);

    /** Called before the loop once buffers are sized; subclasses size their own and reset states. */
    protected void beginForward() {
    }

    /** The {@code G*H} bias added to the input projection of every step (zeros when none). */
    protected void inputBias(float[] dst) {
        if (useBias()) {
            System.arraycopy(bias.value().data(), 0, dst, 0, gateCount() * units);
        } else {
            Arrays.fill(dst, 0, gateCount() * units, 0f);
        }
    }

    /** Masks per dropout draw: Keras uses one per gate when recurrent dropout is on (implementation 1). */
    protected int maskGroups() {
        return recurrentDropout() > 0 ? gateCount() : 1;
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
        float[] xd = x.data();
        for (int s = 0; s < t; s++) {
            int tt = goBackwards() ? t - 1 - s : s;
            for (int r = 0; r < b; r++) {
                System.arraycopy(xd, (r * t + tt) * f, xs, (s * b + r) * f, f);
            }
        }
        stepMask = null;
        if (mask != null) {
            stepMask = maskBuffer;
            for (int s = 0; s < t; s++) {
                int tt = goBackwards() ? t - 1 - s : s;
                for (int r = 0; r < b; r++) {
                    stepMask[s * b + r] = mask.get(r, tt);
                }
            }
        }
        drawDropoutMasks(training);
        project();
        packs.invalidateForward();
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
        inputMasks = training && dropout() > 0 && dropout() < 1 ? draw(groups, batch * features, dropout()) : null;
        recurrentMasks = training && recurrentDropout() > 0 && recurrentDropout() < 1
                ? draw(groups, batch * units, recurrentDropout()) : null;
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

    /** Test hook: run on the scalar reference kernels (matmul and activations). */
    void useScalarKernels() {
        this.matmul = Kernels.scalarMatmul();
        this.stepActivation = activation();
        this.stepRecurrentActivation = recurrentActivationValue();
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
        MatMul mm = matmul;
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
        MatMul mm = matmul;
        if (recurrentMasks == null && packRecurrentKernel) {
            PackedMatrix pu = packed(false, gateFrom, gateTo);
            mm.gemm(false, batch, (gateTo - gateFrom) * h, h, hAll, s * batch * h, h, pu, c, cOff, ldc, true);
            return;
        }
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
        if (!returnSequences()) {
            float[] out = new float[b * h];
            System.arraycopy(hAll, t * b * h, out, 0, b * h);
            return Tensor.of(out, b, h);
        }
        float[] out = new float[b * t * h];
        for (int s = 0; s < t; s++) {
            for (int r = 0; r < b; r++) {
                if (zeroOutputForMask() && stepMask != null && !stepMask[s * b + r]) {
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
        int[] expected = returnSequences() ? new int[] {b, t, h} : new int[] {b, h};
        if (!Arrays.equals(gradOutput.shape(), expected)) {
            throw new IllegalArgumentException("Layer '" + name() + "': output gradient has shape "
                    + Shapes.toString(gradOutput.shape()) + " but the output was " + Shapes.toString(expected));
        }
        float[] g = gradOutput.data();
        Arrays.fill(dh, 0, b * h, 0f);
        transposeRecurrentKernel();
        packs.invalidateBackward();
        beginBackward();
        for (int s = t - 1; s >= 0; s--) {
            if (returnSequences()) {
                for (int r = 0; r < b; r++) {
                    if (zeroOutputForMask() && stepMask != null && !stepMask[s * b + r]) {
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
        if (useBias()) {
            biasGradients();
        }
        return dx;
    }

    /** dKernel += xs^T dz, and the input gradient dz . kernel^T back in [B, T, F] order. */
    private Tensor inputGradients() {
        int rows = steps * batch;
        int gh = gateCount() * units;
        int f = features;
        MatMul mm = matmul;
        float[] w = kernel.value().data();
        float[] dw = kernel.grad().data();
        if (!inputGradientNeeded()) {
            weightGradientOnly(rows, gh, f, dw);
            return null;
        }
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
            int tt = goBackwards() ? t - 1 - s : s;
            for (int r = 0; r < batch; r++) {
                System.arraycopy(dxs, (s * batch + r) * f, dx, (r * t + tt) * f, f);
            }
        }
        return Tensor.of(dx, batch, t, f);
    }

    /** dKernel += xs^T dz alone, when no input gradient is needed (first layer in training). */
    private void weightGradientOnly(int rows, int gh, int f, float[] dw) {
        if (inputMasks == null) {
            matmul.gemm(true, false, f, gh, rows, xs, 0, f, dz, 0, gh, dw, 0, gh, true);
            return;
        }
        int blk = gh / inputMasks.length;
        for (int k = 0; k < inputMasks.length; k++) {
            float[] xm = maskedInput(k);
            matmul.gemm(true, false, f, blk, rows, xm, 0, f, dz, k * blk, gh, dw, k * blk, gh, true);
        }
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
        MatMul mm = matmul;
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
        MatMul mm = matmul;
        if (recurrentMasks == null && packRecurrentKernel) {
            PackedMatrix put = packed(true, gateFrom, gateTo);
            mm.gemm(false, batch, h, (gateTo - gateFrom) * h, d, dOff, ld, put, out, 0, h, true);
            return;
        }
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

    private PackedMatrix packed(boolean transposed, int gateFrom, int gateTo) {
        return packs.get(matmul, transposed, gateFrom, gateTo, units, gateCount(), recurrentKernel.value().data(),
                recurrentKernelT);
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
}
