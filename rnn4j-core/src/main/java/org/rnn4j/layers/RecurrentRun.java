package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.PackedMatrix;
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
 * <p>Apart, reading this run's buffers: the whole-sequence matmuls in
 * {@link RecurrentSequenceMatmuls}, the per-step recurrent matmuls in {@link RecurrentStepMatmuls},
 * the masked-output rules in {@link RecurrentOutputs}, the argument checks in
 * {@link RecurrentCallChecks}.
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
    private boolean[] maskBuffer = new boolean[0];
    protected boolean[] stepMask;             // [T, B] processing order, or null
    protected float[][] inputMasks;           // groups x [B, F] dropout scales, or null
    protected float[][] recurrentMasks;       // groups x [B, H] recurrent dropout scales, or null
    private final RecurrentDropoutMasks dropout = new RecurrentDropoutMasks();
    private final RecurrentSequenceMatmuls matmuls = new RecurrentSequenceMatmuls(this);
    private final RecurrentOutputs outputs = new RecurrentOutputs(this);
    private final RecurrentStepMatmuls stepMatmuls = new RecurrentStepMatmuls(this);
    boolean recorded;
    /** Number of inputs of the last forward call: 1 (x) or 1 + the state count. */
    int inputCount = 1;
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
        return stepMatmuls.packed(false, gateFrom, gateTo);
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
        RecurrentCallChecks.forward(layer, x, mask, initial, units, stateCount());
        int f = layer.kernel.shape()[0];
        int b = x.dim(0);
        int t = x.dim(1);
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
        outputs.begin(initial.length > 0 && initial[0] != null);
        drawDropoutMasks(training);
        matmuls.project();
        stepMatmuls.invalidateForward();
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
        stepMatmuls.invalidateForward();
        RecurrentInference.Cell cell = inferenceCell();
        if (cell == null) {
            return false;
        }
        batch = b;
        steps = t;
        features = f;
        stepMask = null;
        outputs.clear();
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

    /**
     * Whether this call keeps the activated gates in {@link #gates}, apart from {@link #pre}; a
     * cell that activates them in place over {@code pre} returns false and saves the buffer.
     */
    protected boolean keepsGatesApart() {
        return true;
    }

    private void size(int b, int t, int f) {
        batch = b;
        steps = t;
        features = f;
        int h = units;
        int gh = gateCount * h;
        xs = ensure(xs, t * b * f);
        pre = ensure(pre, t * b * gh);
        if (keepsGatesApart()) {
            gates = ensure(gates, t * b * gh);
        }
        hAll = ensure(hAll, (t + 1) * b * h);
        dz = ensure(dz, t * b * gh);
        dh = ensure(dh, b * h);
        dhPrev = ensure(dhPrev, b * h);
        hm = ensure(hm, b * h);
        if (maskBuffer.length < t * b) {
            maskBuffer = new boolean[t * b];
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

    /**
     * {@code c[., gate block] += hPrev . U[:, gates gateFrom..gateTo)} for step {@code s}, with
     * recurrent dropout applied per mask group; {@code cOff} is where gate {@code gateFrom} of row 0 is.
     */
    protected final void recurrentProject(int s, int gateFrom, int gateTo, float[] c, int cOff, int ldc) {
        stepMatmuls.recurrentProject(s, gateFrom, gateTo, c, cOff, ldc);
    }

    /** hm = h(step s) * recurrent mask of {@code gate}'s group. */
    protected final void maskState(int s, int gate) {
        stepMatmuls.maskState(s, gate);
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
        return outputs.output();
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
        RecurrentCallChecks.backward(layer, gradOutput, stateGrads, b, t, h, stateCount());
        float[] g = gradOutput == null ? null : gradOutput.data();
        if (stateGrads.length > 0 && stateGrads[0] != null) {
            System.arraycopy(stateGrads[0].data(), 0, dh, 0, b * h);
        } else {
            Arrays.fill(dh, 0, b * h, 0f);
        }
        transposeRecurrentKernel();
        stepMatmuls.invalidateBackward();
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
        Tensor dx = matmuls.inputGradients(needInput);
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
        outputs.addOutputGradient(g, s, r0, rows, dst);
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
        return stepMatmuls.packed(transposed, gateFrom, gateTo);
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

    /** {@code out[outOff + j] += sum over all T*B rows of d[dOff + row*ld + j]}, j < cols. */
    protected final void columnSums(float[] d, int dOff, int ld, int cols, float[] out, int outOff) {
        matmuls.columnSums(d, dOff, ld, cols, out, outOff);
    }

    /**
     * {@code dU[:, gates gateFrom..gateTo) += (src * recurrent mask)^T d} over all T*B rows, where
     * {@code src} holds the matmul's left operand per step ({@code [T, B, H]}) and {@code d}
     * the gradients of the gate block starting at {@code dOff} (row stride {@code ld}).
     */
    protected final void recurrentKernelGradient(float[] src, boolean applyMask, float[] d, int dOff, int ld,
                                                 int gateFrom, int gateTo) {
        matmuls.recurrentKernelGradient(src, applyMask, d, dOff, ld, gateFrom, gateTo);
    }

    /**
     * {@code out += (d . U[:, gates gateFrom..gateTo)^T) * recurrent mask}, the recurrent part of
     * the gradient for the previous h; {@code d} holds the gate block of row 0 at {@code dOff}.
     */
    protected final void recurrentBackprop(float[] d, int dOff, int ld, int gateFrom, int gateTo, float[] out) {
        stepMatmuls.recurrentBackprop(d, dOff, ld, gateFrom, gateTo, out);
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
