package org.rnn4j.layers;

import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.PackedMatrix;

/**
 * The per-step recurrent matmuls of a {@link RecurrentRun}, inside the time loop: in forward
 * {@code hPrev . U} into a gate block of the pre-activations, in backward {@code d . U^T} into
 * the gradient for the previous h. Each runs on U (U^T) packed once per pass when there is no
 * recurrent dropout, on U as it is with packing off, or with h (the gradient) masked per dropout
 * group. Reads the run's sizes, h, masks and U^T of the current call.
 */
final class RecurrentStepMatmuls {
    private final RecurrentRun run;
    // U and U^T packed at the first step of each forward/backward call and reused by every later
    // step, instead of the matmul re-packing the same weights at each step. Per context: a packed
    // copy is re-made each pass, so weight updates between calls are always seen.
    private final PackedRecurrentKernels packs = new PackedRecurrentKernels();

    RecurrentStepMatmuls(RecurrentRun run) {
        this.run = run;
    }

    /** A forward pass starts: U is packed again at its first use. */
    void invalidateForward() {
        packs.invalidateForward();
    }

    /** A backward pass starts: U^T is packed again at its first use. */
    void invalidateBackward() {
        packs.invalidateBackward();
    }

    /** U (or with {@code transposed} U^T) of gates gateFrom..gateTo packed for this pass. */
    PackedMatrix packed(boolean transposed, int gateFrom, int gateTo) {
        RecurrentLoop layer = run.layer;
        return packs.get(layer.matmul, transposed, gateFrom, gateTo, run.units, run.gateCount,
                layer.recurrentKernel.value().data(), run.recurrentKernelT);
    }

    /** See {@link RecurrentRun#recurrentProject}. */
    void recurrentProject(int s, int gateFrom, int gateTo, float[] c, int cOff, int ldc) {
        int batch = run.batch;
        int h = run.units;
        int gh = run.gateCount * h;
        float[] hAll = run.hAll;
        float[] hm = run.hm;
        float[][] recurrentMasks = run.recurrentMasks;
        RecurrentLoop layer = run.layer;
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
    void maskState(int s, int gate) {
        float[][] recurrentMasks = run.recurrentMasks;
        float[] m = recurrentMasks[recurrentMasks.length == 1 ? 0 : gate];
        float[] hAll = run.hAll;
        float[] hm = run.hm;
        int n = run.batch * run.units;
        int off = s * n;
        for (int i = 0; i < n; i++) {
            hm[i] = hAll[off + i] * m[i];
        }
    }

    /** See {@link RecurrentRun#recurrentBackprop}. */
    void recurrentBackprop(float[] d, int dOff, int ld, int gateFrom, int gateTo, float[] out) {
        int batch = run.batch;
        int h = run.units;
        float[] ut = run.recurrentKernelT;
        float[] hm = run.hm;
        float[][] recurrentMasks = run.recurrentMasks;
        MatMul mm = run.layer.matmul;
        if (recurrentMasks == null && run.layer.packRecurrentKernel) {
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
            RecurrentRun.addMasked(out, hm, recurrentMasks[0], n);
            return;
        }
        for (int k = gateFrom; k < gateTo; k++) {
            mm.gemm(false, false, batch, h, h, d, dOff + (k - gateFrom) * h, ld, ut, k * h * h, h, hm, 0, h, false);
            RecurrentRun.addMasked(out, hm, recurrentMasks[k], n);
        }
    }
}
