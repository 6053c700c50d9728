package org.rnn4j.kernels.vector;

import org.rnn4j.kernels.PackedMatrix;

/**
 * op(B)[k, n] in the micro-kernel's panel format, packed once: for each KC block of rows (in
 * order), the column panels of NR floats, zero-padded at the right edge. Block {@code pc}
 * starts at {@code pc * nPad}; its panel {@code jr / NR} at {@code + (jr / NR) * kc * NR}.
 */
final class VectorPacked extends PackedMatrix {
    private float[] panels = new float[0];
    private int nPad;

    @Override
    public void repack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        super.repack(transB, k, n, b, bOff, ldb);
        VectorMatMul.checkOperand("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        nPad = Gemm.roundUp(n, Gemm.NR);
        long size = (long) k * nPad;
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("pack: B of " + k + "x" + n + " is too large to pack");
        }
        if (panels.length < size) {
            panels = new float[(int) size];
        }
        if (n == 0) {
            return;
        }
        for (int pc = 0; pc < k; pc += Gemm.KC) {
            int kc = Math.min(Gemm.KC, k - pc);
            Packing.packB(transB, b, bOff, ldb, pc, kc, 0, n, panels, pc * nPad);
        }
    }

    float[] panels() {
        return panels;
    }

    int nPad() {
        return nPad;
    }
}
