package org.rnn4j.layers;

import java.util.Arrays;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.tensor.Tensor;

/**
 * The whole-sequence matmuls of a {@link RecurrentRun}, each ONE matmul over all {@code T*B} rows
 * outside the time loop (on all kernel threads): the input projection before the forward loop,
 * and after the backward loop the kernel, recurrent-kernel and input gradients and the bias sums.
 * They live together because they share the dropout-masked copies of their operands (one scratch
 * buffer). Reads the run's sizes, buffers and masks of the current call; holds only its own
 * buffers, sized by the first call and reused.
 */
final class RecurrentSequenceMatmuls {
    private final RecurrentRun run;
    private float[] scratch = new float[0];   // [T*B*max(F,H)] masked copies outside the loop
    private float[] biasRow = new float[0];   // [G*H] bias of the input projection
    private float[] dxs = new float[0];       // [T*B*F] input gradient in processing order
    private float[] dxPart = new float[0];    // [T*B*F] one dropout group's share of it

    RecurrentSequenceMatmuls(RecurrentRun run) {
        this.run = run;
    }

    /** pre = bias + xs . kernel for all steps at once (per gate group with input dropout). */
    void project() {
        int rows = run.steps * run.batch;
        int gh = run.gateCount * run.units;
        int f = run.features;
        biasRow = RecurrentRun.ensure(biasRow, gh);
        float[] b = biasRow;
        run.inputBias(b);
        float[] pre = run.pre;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(b, 0, pre, r * gh, gh);
        }
        MatMul mm = run.layer.matmul;
        float[] w = run.layer.kernel.value().data();
        float[][] inputMasks = run.inputMasks;
        if (inputMasks == null) {
            mm.gemm(false, false, rows, gh, f, run.xs, 0, f, w, 0, gh, pre, 0, gh, true);
            return;
        }
        int blk = gh / inputMasks.length;
        for (int k = 0; k < inputMasks.length; k++) {
            float[] xm = maskedInput(k);
            mm.gemm(false, false, rows, blk, f, xm, 0, f, w, k * blk, gh, pre, k * blk, gh, true);
        }
    }

    /** xs with input dropout mask {@code k} applied (the mask is the same at every step). */
    private float[] maskedInput(int k) {
        int rows = run.steps * run.batch;
        int f = run.features;
        scratch = RecurrentRun.ensure(scratch, rows * Math.max(f, run.units));
        float[] m = run.inputMasks[k];
        float[] xs = run.xs;
        int bf = run.batch * f;
        for (int i = 0; i < rows * f; i++) {
            scratch[i] = xs[i] * m[i % bf];
        }
        return scratch;
    }

    /** dKernel += xs^T dz, and the input gradient dz . kernel^T back in [B, T, F] order. */
    Tensor inputGradients(boolean needInput) {
        int batch = run.batch;
        int rows = run.steps * batch;
        int gh = run.gateCount * run.units;
        int f = run.features;
        float[] xs = run.xs;
        float[] dz = run.dz;
        float[][] inputMasks = run.inputMasks;
        MatMul mm = run.layer.matmul;
        float[] w = run.layer.kernel.value().data();
        float[] dw = run.layer.kernel.grad().data();
        if (!needInput) {
            weightGradientOnly(rows, gh, f, dw);
            return null;
        }
        dxs = RecurrentRun.ensure(dxs, rows * f);
        if (inputMasks == null) {
            mm.gemm(true, false, f, gh, rows, xs, 0, f, dz, 0, gh, dw, 0, gh, true);
            mm.gemm(false, true, rows, f, gh, dz, 0, gh, w, 0, gh, dxs, 0, f, false);
        } else {
            Arrays.fill(dxs, 0, rows * f, 0f);
            int blk = gh / inputMasks.length;
            dxPart = RecurrentRun.ensure(dxPart, rows * f);
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
        int t = run.steps;
        boolean back = run.layer.goBackwards();
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
        float[][] inputMasks = run.inputMasks;
        MatMul mm = run.layer.matmul;
        if (inputMasks == null) {
            mm.gemm(true, false, f, gh, rows, run.xs, 0, f, run.dz, 0, gh, dw, 0, gh, true);
            return;
        }
        int blk = gh / inputMasks.length;
        for (int k = 0; k < inputMasks.length; k++) {
            float[] xm = maskedInput(k);
            mm.gemm(true, false, f, blk, rows, xm, 0, f, run.dz, k * blk, gh, dw, k * blk, gh, true);
        }
    }

    /** {@code out[outOff + j] += sum over all T*B rows of d[dOff + row*ld + j]}, j < cols. */
    void columnSums(float[] d, int dOff, int ld, int cols, float[] out, int outOff) {
        run.layer.matmul.addColumnSums(run.steps * run.batch, cols, d, dOff, ld, out, outOff);
    }

    /**
     * {@code dU[:, gates gateFrom..gateTo) += (src * recurrent mask)^T d} over all T*B rows, where
     * {@code src} holds the matmul's left operand per step ({@code [T, B, H]}) and {@code d}
     * the gradients of the gate block starting at {@code dOff} (row stride {@code ld}).
     */
    void recurrentKernelGradient(float[] src, boolean applyMask, float[] d, int dOff, int ld, int gateFrom, int gateTo) {
        int batch = run.batch;
        int rows = run.steps * batch;
        int h = run.units;
        int gh = run.gateCount * h;
        float[][] recurrentMasks = run.recurrentMasks;
        float[] du = run.layer.recurrentKernel.grad().data();
        MatMul mm = run.layer.matmul;
        if (!applyMask || recurrentMasks == null) {
            mm.gemm(true, false, h, (gateTo - gateFrom) * h, rows, src, 0, h, d, dOff, ld, du, gateFrom * h, gh, true);
            return;
        }
        scratch = RecurrentRun.ensure(scratch, rows * Math.max(run.features, h));
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
}
