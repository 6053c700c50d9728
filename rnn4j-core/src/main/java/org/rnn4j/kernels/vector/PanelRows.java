package org.rnn4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Few rows (1 to 4) of {@code C (+)= op(A) * B} with B in packed panels ({@link VectorPacked}): the
 * per-step product of a small-batch recurrent layer with its recurrent kernel, prepared once per
 * call. Two things make it faster than reading B's rows in place (measured on one LSTM(64) row,
 * 64 x 256: 780–976 ns in place, 441–534 ns here):
 * <ul>
 *   <li>Eight accumulators per pass (one row over four panels, two rows over two, four rows over
 *       one), so eight independent FMA chains hide the FMA latency.</li>
 *   <li>Each B load is at {@code panel + p * NR}, a constant stride, so C2 hoists its range check
 *       out of the loop; with B's own row stride (a variable) every load kept its check.</li>
 * </ul>
 *
 * <p>Every element is computed as the other paths compute it: an FMA chain over p from zero per KC
 * block, then added to C (or stored, for the first block without {@code accumulate}). Panels past
 * the last whole one (zero-padded) go through a scratch tile and only their real columns are
 * written.
 */
final class PanelRows {
    private static final VectorSpecies<Float> S = MicroKernel.S;
    private static final int L = MicroKernel.L;
    private static final int NR = Gemm.NR;

    private PanelRows() {
    }

    /** A at {@code a[aOff + i * strideI + p * strideP]}; m in [1, 4]. */
    static void run(int m, int n, int k, float[] a, int aOff, int strideI, int strideP, float[] panels, int nPad,
                    float[] c, int cOff, int ldc, boolean accumulate, float[] tile) {
        int whole = n / NR;
        for (int pc = 0; pc < k; pc += Gemm.KC) {
            int kc = Math.min(Gemm.KC, k - pc);
            boolean add = accumulate || pc > 0;
            int block = pc * nPad;
            int ps = kc * NR;
            int a0 = aOff + pc * strideP;
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                for (int q = 0; q < whole; q++) {
                    fourRows(kc, a, a0 + i * strideI, strideI, strideP, panels, block + q * ps,
                            c, cOff + i * ldc + q * NR, ldc, add);
                }
            }
            for (; i + 2 <= m; i += 2) {
                int q = 0;
                for (; q + 2 <= whole; q += 2) {
                    twoRowsTwoPanels(kc, a, a0 + i * strideI, strideI, strideP, panels, block + q * ps, ps,
                            c, cOff + i * ldc + q * NR, ldc, add);
                }
                for (; q < whole; q++) {
                    oneRow(kc, a, a0 + i * strideI, strideP, panels, block + q * ps, c, cOff + i * ldc + q * NR, add);
                    oneRow(kc, a, a0 + (i + 1) * strideI, strideP, panels, block + q * ps,
                            c, cOff + (i + 1) * ldc + q * NR, add);
                }
            }
            for (; i < m; i++) {
                int q = 0;
                for (; q + 4 <= whole; q += 4) {
                    oneRowFourPanels(kc, a, a0 + i * strideI, strideP, panels, block + q * ps, ps,
                            c, cOff + i * ldc + q * NR, add);
                }
                for (; q < whole; q++) {
                    oneRow(kc, a, a0 + i * strideI, strideP, panels, block + q * ps, c, cOff + i * ldc + q * NR, add);
                }
            }
            if (whole * NR < n) {
                // The zero-padded last panel: full-width chains into the scratch tile, real columns out.
                int w = n - whole * NR;
                int pOff = block + whole * ps;
                for (int r = 0; r < m; r++) {
                    oneRow(kc, a, a0 + r * strideI, strideP, panels, pOff, tile, 0, false);
                    int o = cOff + r * ldc + whole * NR;
                    for (int j = 0; j < w; j++) {
                        c[o + j] = add ? c[o + j] + tile[j] : tile[j];
                    }
                }
            }
        }
    }

    private static void oneRow(int kc, float[] a, int ai, int strideP, float[] b, int bi, float[] c, int ci,
                               boolean add) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector v = FloatVector.broadcast(S, a[ai + p * strideP]);
            s0 = v.fma(FloatVector.fromArray(S, b, bi + p * NR), s0);
            s1 = v.fma(FloatVector.fromArray(S, b, bi + p * NR + L), s1);
        }
        if (add) {
            s0 = FloatVector.fromArray(S, c, ci).add(s0);
            s1 = FloatVector.fromArray(S, c, ci + L).add(s1);
        }
        s0.intoArray(c, ci);
        s1.intoArray(c, ci + L);
    }

    /** One row over panels {@code bi, bi + ps, bi + 2ps, bi + 3ps} (C columns {@code ci .. ci + 4 NR}). */
    private static void oneRowFourPanels(int kc, float[] a, int ai, int strideP, float[] b, int bi, int ps,
                                         float[] c, int ci, boolean add) {
        int b1 = bi + ps;
        int b2 = bi + 2 * ps;
        int b3 = bi + 3 * ps;
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S), s4 = FloatVector.zero(S), s5 = FloatVector.zero(S);
        FloatVector s6 = FloatVector.zero(S), s7 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector v = FloatVector.broadcast(S, a[ai + p * strideP]);
            s0 = v.fma(FloatVector.fromArray(S, b, bi + p * NR), s0);
            s1 = v.fma(FloatVector.fromArray(S, b, bi + p * NR + L), s1);
            s2 = v.fma(FloatVector.fromArray(S, b, b1 + p * NR), s2);
            s3 = v.fma(FloatVector.fromArray(S, b, b1 + p * NR + L), s3);
            s4 = v.fma(FloatVector.fromArray(S, b, b2 + p * NR), s4);
            s5 = v.fma(FloatVector.fromArray(S, b, b2 + p * NR + L), s5);
            s6 = v.fma(FloatVector.fromArray(S, b, b3 + p * NR), s6);
            s7 = v.fma(FloatVector.fromArray(S, b, b3 + p * NR + L), s7);
        }
        if (add) {
            s0 = FloatVector.fromArray(S, c, ci).add(s0);
            s1 = FloatVector.fromArray(S, c, ci + L).add(s1);
            s2 = FloatVector.fromArray(S, c, ci + NR).add(s2);
            s3 = FloatVector.fromArray(S, c, ci + NR + L).add(s3);
            s4 = FloatVector.fromArray(S, c, ci + 2 * NR).add(s4);
            s5 = FloatVector.fromArray(S, c, ci + 2 * NR + L).add(s5);
            s6 = FloatVector.fromArray(S, c, ci + 3 * NR).add(s6);
            s7 = FloatVector.fromArray(S, c, ci + 3 * NR + L).add(s7);
        }
        s0.intoArray(c, ci);
        s1.intoArray(c, ci + L);
        s2.intoArray(c, ci + NR);
        s3.intoArray(c, ci + NR + L);
        s4.intoArray(c, ci + 2 * NR);
        s5.intoArray(c, ci + 2 * NR + L);
        s6.intoArray(c, ci + 3 * NR);
        s7.intoArray(c, ci + 3 * NR + L);
    }

    /** Two rows over panels {@code bi, bi + ps}. */
    private static void twoRowsTwoPanels(int kc, float[] a, int ai, int strideI, int strideP, float[] b, int bi, int ps,
                                         float[] c, int ci, int ldc, boolean add) {
        int b1 = bi + ps;
        int a1 = ai + strideI;
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S);
        FloatVector s03 = FloatVector.zero(S), s10 = FloatVector.zero(S), s11 = FloatVector.zero(S);
        FloatVector s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector x0 = FloatVector.fromArray(S, b, bi + p * NR);
            FloatVector x1 = FloatVector.fromArray(S, b, bi + p * NR + L);
            FloatVector x2 = FloatVector.fromArray(S, b, b1 + p * NR);
            FloatVector x3 = FloatVector.fromArray(S, b, b1 + p * NR + L);
            FloatVector v = FloatVector.broadcast(S, a[ai + p * strideP]);
            s00 = v.fma(x0, s00);
            s01 = v.fma(x1, s01);
            s02 = v.fma(x2, s02);
            s03 = v.fma(x3, s03);
            v = FloatVector.broadcast(S, a[a1 + p * strideP]);
            s10 = v.fma(x0, s10);
            s11 = v.fma(x1, s11);
            s12 = v.fma(x2, s12);
            s13 = v.fma(x3, s13);
        }
        int c1 = ci + ldc;
        if (add) {
            s00 = FloatVector.fromArray(S, c, ci).add(s00);
            s01 = FloatVector.fromArray(S, c, ci + L).add(s01);
            s02 = FloatVector.fromArray(S, c, ci + NR).add(s02);
            s03 = FloatVector.fromArray(S, c, ci + NR + L).add(s03);
            s10 = FloatVector.fromArray(S, c, c1).add(s10);
            s11 = FloatVector.fromArray(S, c, c1 + L).add(s11);
            s12 = FloatVector.fromArray(S, c, c1 + NR).add(s12);
            s13 = FloatVector.fromArray(S, c, c1 + NR + L).add(s13);
        }
        s00.intoArray(c, ci);
        s01.intoArray(c, ci + L);
        s02.intoArray(c, ci + NR);
        s03.intoArray(c, ci + NR + L);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + L);
        s12.intoArray(c, c1 + NR);
        s13.intoArray(c, c1 + NR + L);
    }

    /** Four rows over one panel. */
    private static void fourRows(int kc, float[] a, int ai, int strideI, int strideP, float[] b, int bi,
                                 float[] c, int ci, int ldc, boolean add) {
        int a1 = ai + strideI;
        int a2 = ai + 2 * strideI;
        int a3 = ai + 3 * strideI;
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s10 = FloatVector.zero(S);
        FloatVector s11 = FloatVector.zero(S), s20 = FloatVector.zero(S), s21 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector x0 = FloatVector.fromArray(S, b, bi + p * NR);
            FloatVector x1 = FloatVector.fromArray(S, b, bi + p * NR + L);
            FloatVector v = FloatVector.broadcast(S, a[ai + p * strideP]);
            s00 = v.fma(x0, s00);
            s01 = v.fma(x1, s01);
            v = FloatVector.broadcast(S, a[a1 + p * strideP]);
            s10 = v.fma(x0, s10);
            s11 = v.fma(x1, s11);
            v = FloatVector.broadcast(S, a[a2 + p * strideP]);
            s20 = v.fma(x0, s20);
            s21 = v.fma(x1, s21);
            v = FloatVector.broadcast(S, a[a3 + p * strideP]);
            s30 = v.fma(x0, s30);
            s31 = v.fma(x1, s31);
        }
        if (add) {
            s00 = FloatVector.fromArray(S, c, ci).add(s00);
            s01 = FloatVector.fromArray(S, c, ci + L).add(s01);
            s10 = FloatVector.fromArray(S, c, ci + ldc).add(s10);
            s11 = FloatVector.fromArray(S, c, ci + ldc + L).add(s11);
            s20 = FloatVector.fromArray(S, c, ci + 2 * ldc).add(s20);
            s21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L).add(s21);
            s30 = FloatVector.fromArray(S, c, ci + 3 * ldc).add(s30);
            s31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L).add(s31);
        }
        s00.intoArray(c, ci);
        s01.intoArray(c, ci + L);
        s10.intoArray(c, ci + ldc);
        s11.intoArray(c, ci + ldc + L);
        s20.intoArray(c, ci + 2 * ldc);
        s21.intoArray(c, ci + 2 * ldc + L);
        s30.intoArray(c, ci + 3 * ldc);
        s31.intoArray(c, ci + 3 * ldc + L);
    }
}
