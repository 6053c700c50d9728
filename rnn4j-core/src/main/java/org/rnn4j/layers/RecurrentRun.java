package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.PackedMatrix;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * The per-call state of one recurrent layer at one call site (kept in its {@link LayerContext}):
 * the workspace of the fused whole-sequence forward and backward (BPTT) of {@link RecurrentLoop},
 * what backward needs from the forward pass, the dropout masks and their random stream, and the
 * packed recurrent kernel. Buffers are sized by the first call and reused by later calls of the
 * same context; nothing is allocated inside the time loop.
 *
 * <p>Layout (why: every per-step block is contiguous for the matmuls): the input is copied in
 * processing order (reversed when {@code goBackwards}) into a time-major {@code [T, B, F]}
 * buffer; the input projection of all steps is ONE matmul {@code [T*B, F] x [F, G*H]} before
 * the loop; each step then adds the recurrent matmul {@code [B, H] x [H, G*H]} and runs the
 * gate math of {@link org.rnn4j.kernels.RecurrentCells}. The backward pass mirrors it: per step
 * the gate gradients and the recurrent matmul, then ONE matmul each for the kernel,
 * recurrent-kernel and input gradients. Masked (padded) steps carry the previous state forward,
 * as Keras's backend {@code rnn} does; their output is the previous output (zeros before a row's
 * first real step, whatever the initial state).
 *
 * <p>Subclasses (one per cell, inner classes of {@link LSTM}, {@link GRU}, {@link SimpleRNN})
 * add the step math and the cell's own buffers (LSTM's c).
 */
abstract class RecurrentRun {
    final RecurrentLoop layer;
    protected final int units;
    protected final int gateCount;

    // Sizes of the last call: B batch, T steps, F features (H units, G gates).
    protected int batch;
    protected int steps;
    protected int features;
    protected float[] xs = new float[0];      // [T, B, F] input in processing order
    protected float[] pre = new float[0];     // [T, B, G*H] pre-activations
    protected float[] gates = new float[0];   // [T, B, G*H] activated gates
    protected float[] hAll = new float[0];    // [T+1, B, H] h after each step; slot 0 = initial state
    protected float[] dz = new float[0];      // [T, B, G*H] pre-activation gradients
    protected float[] dh = new float[0];      // [B, H] gradient reaching h of the current step
    protected float[] dhPrev = new float[0];  // [B, H] gradient for h of the previous step
    protected float[] hm = new float[0];      // [B, H] h masked by recurrent dropout
    // U^T [G*H, H], made once per backward call so the per-step matmul reads it contiguously.
    protected float[] recurrentKernelT = new float[0];
    private float[] scratch = new float[0];   // [T*B*max(F,H)] masked copies outside the loop
    private float[] biasRow = new float[0];   // [G*H] bias of the input projection
    private float[] dxs = new float[0];       // [T*B*F] input gradient in processing order
    private float[] dxPart = new float[0];    // [T*B*F] one dropout group's share of it
    private boolean[] maskBuffer = new boolean[0];
    protected boolean[] stepMask;             // [T, B] processing order, or null
    // With an initial state and a mask: per row, the first real step in processing order (T if
    // none). Keras's output before it is zeros (the carried output starts at zeros), not h0.
    private int[] firstReal = new int[0];
    private boolean zerosBeforeFirstReal;
    protected float[][] inputMasks;           // groups x [B, F] dropout scales, or null
    protected float[][] recurrentMasks;       // groups x [B, H] recurrent dropout scales, or null
    private final RecurrentDropoutMasks dropout = new RecurrentDropoutMasks();
    boolean recorded;
    /** Number of inputs of the last forward call: 1 (x) or 1 + the state count. */
    int inputCount = 1;
    // U and U^T packed at the first step of each forward/backward call and reused by every later
    // step, instead of the matmul re-packing the same weights at each step. Per context: a packed
    // copy is re-made each pass, so weight updates between calls are always seen.
    private final PackedRecurrentKernels packs = new PackedRecurrentKernels();
    // The row-block inference path (made at its first use) and whether the last call ran it.
    private RecurrentInference inference;
    protected boolean inferred;

    protected RecurrentRun(RecurrentLoop layer) {
        this.layer = layer;
        this.units = layer.units;
        this.gateCount = layer.gateCount();
    }

    // ------------------------------------------------------------------ cell hooks

    /** Number of state tensors: 1 (h), 2 for LSTM (h, c). */
    protected final int stateCount() {
        return layer.stateCount();
    }

    /** The layer's step: recurrent matmul, gate math and the new state for step {@code s}. */
    protected abstract void stepForward(int s);

    /**
     * Called before the loop once the shared buffers are sized: size the cell's own buffers and
     * set its extra initial states ({@code initial[k]} for k >= 1, null = zeros).
     */
    protected void beginForward(Tensor[] initial) {
    }

    /** Called before the backward loop with the gradients of the extra final states (LSTM's dc). */
    protected void beginBackward(Tensor[] stateGrads) {
    }

    /**
     * Back-propagates step {@code s}: given {@link #dh}, writes the pre-activation gradients into
     * {@link #dz} (and the cell's own buffers) and the full gradient for the previous h into
     * {@link #dhPrev}.
     */
    protected abstract void stepBackward(int s);

    /** Final value of state {@code k} >= 1 (LSTM's c). */
    protected Tensor extraFinalState(int k) {
        throw new IllegalStateException();
    }

    /** Gradient of initial state {@code k} >= 1 after a backward pass (LSTM's dc0). */
    protected Tensor extraInitialStateGradient(int k) {
        throw new IllegalStateException();
    }

    /** The {@code G*H} bias added to the input projection of every step (zeros when none). */
    protected void inputBias(float[] dst) {
        if (layer.useBias()) {
            System.arraycopy(layer.bias.value().data(), 0, dst, 0, gateCount * units);
        } else {
            Arrays.fill(dst, 0, gateCount * units, 0f);
        }
    }

    /** dRecurrentKernel; by default {@code sum_s hPrev_s^T dz_s} over all gates. */
    protected void recurrentGradients() {
        recurrentKernelGradient(hAll, true, dz, 0, gateCount * units, 0, gateCount);
    }

    /** dBias; by default the column sums of dz. */
    protected void biasGradients() {
        columnSums(dz, 0, gateCount * units, gateCount * units, layer.bias.grad().data(), 0);
    }

    /**
     * The cell's row-block inference ({@link RecurrentInference}) for its current options, or null
     * to run inference on the recorded path. Called on the caller's thread before the blocks run,
     * so the cell resolves its kernels and packs U here ({@link #packedU}).
     */
    protected RecurrentInference.Cell inferenceCell() {
        return null;
    }

    /** U[:, gates gateFrom..gateTo) packed for this forward pass (shared by all blocks, read-only). */
    protected final PackedMatrix packedU(int gateFrom, int gateTo) {
        return packed(false, gateFrom, gateTo);
    }

    /** Masks per dropout draw: Keras uses one per gate when recurrent dropout is on (implementation 1). */
    protected int maskGroups() {
        return layer.recurrentDropout() > 0 ? gateCount : 1;
    }

    protected static float[] ensure(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }

    // ------------------------------------------------------------------ forward

    /** Runs the whole sequence; {@code initial} holds the given initial states (entries may be null). */
    final void forward(Tensor x, Mask mask, boolean training, Tensor[] initial, int inputs) {
        recorded = false;
        int f = layer.kernel.shape()[0];
        if (x.rank() != 3 || x.dim(2) != f || x.dim(1) == 0) {
            int[] declared = layer.inputShape();
            throw new LayerShapeException("Layer '" + layer.name() + "' (" + layer.className() + ") expects input of shape "
                    + Shapes.withBatch(declared) + " (batch, timesteps, features=" + f + ") but got "
                    + Shapes.withBatch(Shapes.dropFirst(x.shape()))
                    + "; pass a 3D tensor [batch, timesteps, " + f + "]");
        }
        int b = x.dim(0);
        int t = x.dim(1);
        if (mask != null && (mask.batch() != b || mask.time() != t)) {
            throw new IllegalArgumentException("Layer '" + layer.name() + "': mask is " + mask.batch() + " x " + mask.time()
                    + " but the input has batch " + b + " and " + t + " timesteps");
        }
        for (int k = 0; k < initial.length; k++) {
            Tensor s0 = initial[k];
            if (s0 != null && (s0.rank() != 2 || s0.dim(0) != b || s0.dim(1) != units)) {
                throw new LayerShapeException("Layer '" + layer.name() + "' (" + layer.className() + "): initial state "
                        + k + " (" + RecurrentLoop.stateName(stateCount(), k) + ") must have shape (" + b + ", " + units
                        + ") for this input of batch " + b + ", but got " + Shapes.toString(s0.shape()));
            }
        }
        inferred = false;
        inputCount = inputs;
        if (!training && mask == null && b > 0 && inferInBlocks(x, initial, b, t, f)) {
            return;
        }
        size(b, t, f);
        boolean back = layer.goBackwards();
        float[] xd = x.data();
        for (int s = 0; s < t; s++) {
            int tt = back ? t - 1 - s : s;
            for (int r = 0; r < b; r++) {
                System.arraycopy(xd, (r * t + tt) * f, xs, (s * b + r) * f, f);
            }
        }
        stepMask = null;
        if (mask != null) {
            stepMask = maskBuffer;
            for (int s = 0; s < t; s++) {
                int tt = back ? t - 1 - s : s;
                for (int r = 0; r < b; r++) {
                    stepMask[s * b + r] = mask.get(r, tt);
                }
            }
        }
        zerosBeforeFirstReal = stepMask != null && initial.length > 0 && initial[0] != null;
        if (zerosBeforeFirstReal) {
            for (int r = 0; r < b; r++) {
                int s = 0;
                while (s < t && !stepMask[s * b + r]) {
                    s++;
                }
                firstReal[r] = s;
            }
        }
        drawDropoutMasks(training);
        project();
        packs.invalidateForward();
        if (initial.length > 0 && initial[0] != null) {
            System.arraycopy(initial[0].data(), 0, hAll, 0, b * units);
        } else {
            Arrays.fill(hAll, 0, b * units, 0f);
        }
        beginForward(initial);
        RecurrentRows.Cell rowCell = rowParallelCell();
        int parts = rowCell == null ? 1 : RecurrentRows.parts(layer.matmul, b, (long) gateCount * units * units);
        if (parts > 1) {
            rows().forward(this, rowCell, parts);
        } else {
            for (int s = 0; s < t; s++) {
                stepForward(s);
            }
        }
        recorded = training;
    }

    /** Runs the call on the row-block inference path if the cell has one; false = not taken. */
    private boolean inferInBlocks(Tensor x, Tensor[] initial, int b, int t, int f) {
        packs.invalidateForward();
        RecurrentInference.Cell cell = inferenceCell();
        if (cell == null) {
            return false;
        }
        batch = b;
        steps = t;
        features = f;
        stepMask = null;
        zerosBeforeFirstReal = false;
        inputMasks = null;
        recurrentMasks = null;
        if (inference == null) {
            inference = new RecurrentInference();
        }
        float[][] s0 = new float[initial.length][];
        for (int k = 0; k < initial.length; k++) {
            s0[k] = initial[k] == null ? null : initial[k].data();
        }
        MatMul mm = layer.matmul;
        inference.begin(layer, x, s0, mm);
        inputBias(inference.bias);
        inference.run(mm, mm.threads(), cell);
        inferred = true;
        return true;
    }

    /** Final state {@code k} of the last call when it ran the inference path. */
    protected final Tensor inferredState(int k) {
        float[] v = Arrays.copyOf(inference.last[k], batch * units);
        return Tensor.of(v, batch, units);
    }

    private void size(int b, int t, int f) {
        batch = b;
        steps = t;
        features = f;
        int h = units;
        int gh = gateCount * h;
        xs = ensure(xs, t * b * f);
        pre = ensure(pre, t * b * gh);
        gates = ensure(gates, t * b * gh);
        hAll = ensure(hAll, (t + 1) * b * h);
        dz = ensure(dz, t * b * gh);
        dh = ensure(dh, b * h);
        dhPrev = ensure(dhPrev, b * h);
        hm = ensure(hm, b * h);
        biasRow = ensure(biasRow, gh);
        if (maskBuffer.length < t * b) {
            maskBuffer = new boolean[t * b];
        }
        if (firstReal.length < b) {
            firstReal = new int[b];
        }
    }

    private void drawDropoutMasks(boolean training) {
        if (layer.freezeDropoutMasks && (inputMasks != null || recurrentMasks != null)) {
            return;
        }
        dropout.draw(layer, training, maskGroups(), batch * features, batch * units);
        inputMasks = dropout.input;
        recurrentMasks = dropout.recurrent;
    }

    /** pre = bias + xs . kernel for all steps at once (per gate group with input dropout). */
    private void project() {
        int rows = steps * batch;
        int gh = gateCount * units;
        float[] b = biasRow;
        inputBias(b);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(b, 0, pre, r * gh, gh);
        }
        MatMul mm = layer.matmul;
        float[] w = layer.kernel.value().data();
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
        int gh = gateCount * h;
        float[] u = layer.recurrentKernel.value().data();
        MatMul mm = layer.matmul;
        if (recurrentMasks == null && layer.packRecurrentKernel) {
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

    /** Whether the output of row {@code r} at step {@code s} is a constant zero (not h). */
    private boolean zeroOutput(int s, int r) {
        if (stepMask == null) {
            return false;
        }
        if (layer.zeroOutputForMask() && layer.returnSequences() && !stepMask[s * batch + r]) {
            return true;
        }
        return zerosBeforeFirstReal && s < firstReal[r];
    }

    /** The layer's output of the last forward call: the sequence of h, or the last one. */
    final Tensor output() {
        int b = batch;
        int t = steps;
        int h = units;
        if (inferred) {
            float[] src = layer.returnSequences() ? inference.seq : inference.last[0];
            float[] out = Arrays.copyOf(src, layer.returnSequences() ? b * t * h : b * h);
            return layer.returnSequences() ? Tensor.of(out, b, t, h) : Tensor.of(out, b, h);
        }
        if (!layer.returnSequences()) {
            float[] out = new float[b * h];
            System.arraycopy(hAll, t * b * h, out, 0, b * h);
            if (zerosBeforeFirstReal) {
                for (int r = 0; r < b; r++) {
                    if (firstReal[r] == t) {
                        Arrays.fill(out, r * h, (r + 1) * h, 0f);
                    }
                }
            }
            return Tensor.of(out, b, h);
        }
        float[] out = new float[b * t * h];
        for (int s = 0; s < t; s++) {
            for (int r = 0; r < b; r++) {
                if (zeroOutput(s, r)) {
                    continue;
                }
                System.arraycopy(hAll, ((s + 1) * b + r) * h, out, (r * t + s) * h, h);
            }
        }
        return Tensor.of(out, b, t, h);
    }

    /** Final states of the last forward call (Keras's return_state values): h, then c for LSTM. */
    final List<Tensor> finalStates() {
        List<Tensor> list = new ArrayList<>(stateCount());
        list.add(inferred ? inferredState(0) : lastState(hAll));
        for (int k = 1; k < stateCount(); k++) {
            list.add(extraFinalState(k));
        }
        return list;
    }

    protected final Tensor lastState(float[] all) {
        int n = batch * units;
        float[] v = new float[n];
        System.arraycopy(all, steps * n, v, 0, n);
        return Tensor.of(v, batch, units);
    }

    // ------------------------------------------------------------------ backward

    /**
     * Back-propagates the gradients of the output ({@code gradOutput}, null = zeros) and of the
     * final states ({@code stateGrads[k]}, null = zeros) through the recorded training forward.
     * Adds the weight gradients and returns the input gradient (null unless {@code needInput});
     * afterwards {@link #initialStateGradient} gives the initial states' gradients.
     */
    final Tensor backward(Tensor gradOutput, Tensor[] stateGrads, boolean needInput) {
        int b = batch;
        int t = steps;
        int h = units;
        boolean seq = layer.returnSequences();
        if (gradOutput != null) {
            int[] expected = seq ? new int[] {b, t, h} : new int[] {b, h};
            if (!Arrays.equals(gradOutput.shape(), expected)) {
                throw new IllegalArgumentException("Layer '" + layer.name() + "': output gradient has shape "
                        + Shapes.toString(gradOutput.shape()) + " but the output was " + Shapes.toString(expected));
            }
        }
        for (int k = 0; k < stateGrads.length; k++) {
            Tensor g = stateGrads[k];
            if (g != null && !Arrays.equals(g.shape(), new int[] {b, h})) {
                throw new IllegalArgumentException("Layer '" + layer.name() + "': gradient of state " + k + " ("
                        + RecurrentLoop.stateName(stateCount(), k) + ") has shape " + Shapes.toString(g.shape())
                        + " but the state was " + Shapes.toString(new int[] {b, h}));
            }
        }
        float[] g = gradOutput == null ? null : gradOutput.data();
        if (stateGrads.length > 0 && stateGrads[0] != null) {
            System.arraycopy(stateGrads[0].data(), 0, dh, 0, b * h);
        } else {
            Arrays.fill(dh, 0, b * h, 0f);
        }
        transposeRecurrentKernel();
        packs.invalidateBackward();
        beginBackward(stateGrads);
        RecurrentRows.Cell rowCell = rowParallelCell();
        int parts = rowCell == null ? 1 : RecurrentRows.parts(layer.matmul, b, (long) gateCount * units * units);
        if (parts > 1) {
            rows().backward(this, rowCell, g, parts);
        } else {
            for (int s = t - 1; s >= 0; s--) {
                addOutputGradient(g, s, 0, b, dh);
                stepBackward(s);
                float[] tmp = dh;
                dh = dhPrev;
                dhPrev = tmp;
            }
        }
        Tensor dx = inputGradients(needInput);
        recurrentGradients();
        if (layer.useBias()) {
            biasGradients();
        }
        return dx;
    }

    /**
     * {@code dst[(r - r0) * H ..] += } the output gradient of step {@code s} for rows
     * {@code [r0, r0 + rows)} ({@code g} null = none; rows whose output is a constant get none).
     */
    final void addOutputGradient(float[] g, int s, int r0, int rows, float[] dst) {
        if (g == null) {
            return;
        }
        int t = steps;
        int h = units;
        if (layer.returnSequences()) {
            for (int r = r0; r < r0 + rows; r++) {
                if (zeroOutput(s, r)) {
                    continue;
                }
                int src = (r * t + s) * h;
                int d = (r - r0) * h;
                for (int j = 0; j < h; j++) {
                    dst[d + j] += g[src + j];
                }
            }
        } else if (s == t - 1) {
            for (int r = r0; r < r0 + rows; r++) {
                if (zerosBeforeFirstReal && firstReal[r] == t) {
                    continue;
                }
                int d = (r - r0) * h;
                for (int j = 0; j < h; j++) {
                    dst[d + j] += g[r * h + j];
                }
            }
        }
    }

    /** LSTM's carried dc ({@code [B, H]}, updated in place by the backward loop), else null. */
    protected float[] carriedCellGradient() {
        return null;
    }

    /** The cell's row-block steps for the recorded loops, or null (no dropout on h, packed U, fused kernel). */
    protected RecurrentRows.Cell rowParallelCell() {
        return null;
    }

    /** Whether the recorded loops may run in row blocks now: packed U, no recurrent dropout. */
    protected final boolean rowBlocksAllowed() {
        return recurrentMasks == null && layer.packRecurrentKernel;
    }

    private RecurrentRows rowLoops;

    private RecurrentRows rows() {
        if (rowLoops == null) {
            rowLoops = new RecurrentRows();
        }
        return rowLoops;
    }

    /** U (or with {@code transposed} U^T) of gates gateFrom..gateTo packed for this pass. */
    protected final PackedMatrix packedKernel(boolean transposed, int gateFrom, int gateTo) {
        return packed(transposed, gateFrom, gateTo);
    }

    /** The gradient of initial state {@code k} after {@link #backward}: dh0, then dc0 for LSTM. */
    final Tensor initialStateGradient(int k) {
        if (k > 0) {
            return extraInitialStateGradient(k);
        }
        // After the last swap, dh holds the gradient reaching h of step -1, i.e. h0.
        float[] v = new float[batch * units];
        System.arraycopy(dh, 0, v, 0, v.length);
        return Tensor.of(v, batch, units);
    }

    /** dKernel += xs^T dz, and the input gradient dz . kernel^T back in [B, T, F] order. */
    private Tensor inputGradients(boolean needInput) {
        int rows = steps * batch;
        int gh = gateCount * units;
        int f = features;
        MatMul mm = layer.matmul;
        float[] w = layer.kernel.value().data();
        float[] dw = layer.kernel.grad().data();
        if (!needInput) {
            weightGradientOnly(rows, gh, f, dw);
            return null;
        }
        dxs = ensure(dxs, rows * f);
        if (inputMasks == null) {
            mm.gemm(true, false, f, gh, rows, xs, 0, f, dz, 0, gh, dw, 0, gh, true);
            mm.gemm(false, true, rows, f, gh, dz, 0, gh, w, 0, gh, dxs, 0, f, false);
        } else {
            Arrays.fill(dxs, 0, rows * f, 0f);
            int blk = gh / inputMasks.length;
            dxPart = ensure(dxPart, rows * f);
            float[] part = dxPart;
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
        boolean back = layer.goBackwards();
        for (int s = 0; s < t; s++) {
            int tt = back ? t - 1 - s : s;
            for (int r = 0; r < batch; r++) {
                System.arraycopy(dxs, (s * batch + r) * f, dx, (r * t + tt) * f, f);
            }
        }
        return Tensor.of(dx, batch, t, f);
    }

    /** dKernel += xs^T dz alone, when no input gradient is needed (first layer in training). */
    private void weightGradientOnly(int rows, int gh, int f, float[] dw) {
        if (inputMasks == null) {
            layer.matmul.gemm(true, false, f, gh, rows, xs, 0, f, dz, 0, gh, dw, 0, gh, true);
            return;
        }
        int blk = gh / inputMasks.length;
        for (int k = 0; k < inputMasks.length; k++) {
            float[] xm = maskedInput(k);
            layer.matmul.gemm(true, false, f, blk, rows, xm, 0, f, dz, k * blk, gh, dw, k * blk, gh, true);
        }
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
        int gh = gateCount * h;
        float[] du = layer.recurrentKernel.grad().data();
        MatMul mm = layer.matmul;
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
        MatMul mm = layer.matmul;
        if (recurrentMasks == null && layer.packRecurrentKernel) {
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
        return packs.get(layer.matmul, transposed, gateFrom, gateTo, units, gateCount,
                layer.recurrentKernel.value().data(), recurrentKernelT);
    }

    private void transposeRecurrentKernel() {
        int h = units;
        int gh = gateCount * h;
        recurrentKernelT = ensure(recurrentKernelT, gh * h);
        float[] u = layer.recurrentKernel.value().data();
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
