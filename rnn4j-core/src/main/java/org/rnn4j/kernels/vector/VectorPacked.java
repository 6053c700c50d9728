package org.rnn4j.kernels.vector;

import org.rnn4j.kernels.PackedMatrix;

/**
 * op(B)[k, n] in the micro-kernel's panel format, packed once: for each KC block of rows (in
 * order), the column panels of NR floats, zero-padded at the right edge. Block {@code pc}
 * starts at {@code pc * nPad}; its panel {@code jr / NR} at {@code + (jr / NR) * kc * NR}.
 * Any number of threads may multiply with one handle at once (the first packs, under the handle's
 * lock); {@link #repack} must not run concurrently with calls that use the handle.
 */
final class VectorPacked extends PackedMatrix {
    private float[] panels = new float[0];
    private int nPad;

    /** Whether the panels still hold an older B (packing waits for the first call that reads them). */
    private volatile boolean stale = true;

    @Override
    public void repack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        super.repack(transB, k, n, b, bOff, ldb);
        VectorMatMul.checkOperand("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        long size = (long) k * Gemm.roundUp(n, Gemm.NR);
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("pack: B of " + k + "x" + n + " is too large to pack");
        }
        // Lazy: calls with few rows (batch-1 inference) read B directly and never need the panels.
        stale = true;
    }

    /** Packs the panels now if B was (re)bound since the last packing; called by the calling thread. */
    void ensurePacked() {
        if (!stale) {
            return;
        }
        synchronized (this) {
            if (stale) {
                pack();
            }
        }
    }

    private void pack() {
        int k = k();
        int n = n();
        nPad = Gemm.roundUp(n, Gemm.NR);
        if (panels.length < k * nPad) {
            panels = new float[k * nPad];
        }
        for (int pc = 0; pc < k && n > 0; pc += Gemm.KC) {
            int kc = Math.min(Gemm.KC, k - pc);
            Packing.packB(transB(), source(), sourceOffset(), ldb(), pc, kc, 0, n, panels, pc * nPad);
        }
        stale = false;
    }

    float[] panels() {
        return panels;
    }

    int nPad() {
        return nPad;
    }
}
