package org.rnn4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner kernel: an MR x NR tile of C from an A row panel and a B column
 * panel, MR*NR/L accumulators held in vector registers across the whole k loop.
 *
 * <p>Every variant computes each C element the same way: acc = FMA chain over p in increasing
 * order from 0, then C = (add ? C + acc : acc). Which variant, tile or thread computed an element
 * therefore never changes its bits. Indices are written as linear functions of the loop counter
 * so C2 can hoist the range checks of the A loads out of the k loop (measured on AVX2: 70 to 81
 * GFLOP/s per core for the kernel alone, L1-resident panels).
 *
 * <p>The bodies are written out (one per MR, no helper taking vectors, which C2 may leave
 * un-inlined and then box). Each tile has two k loops of the same arithmetic: one for packed
 * panels, whose stride NR is a constant, so C2 also hoists the range checks of the B loads, and
 * one for B read in place with its own row stride, where each B load keeps its check. The 6-row
 * tiles (AVX2) are in {@link MicroKernel6}.
 */
final class MicroKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /**
     * Rows per tile: MR*2 accumulators + 2 B vectors + 1 broadcast must fit the register file. With
     * 512-bit vectors (32 registers) 8 rows use 19; with 256-bit AVX2 (16 registers) 8 rows would
     * spill (measured: 8x16 ran at 50 GFLOP/s per core, 6x16 at 81), so 6 rows (15 registers, the
     * BLIS/OpenBLAS Haswell and Zen shape). Narrower vectors keep 6.
     */
    static final int MR = L >= 16 ? 8 : 6;
    static final int NR = 2 * L;

    private MicroKernel() {
    }

    /**
     * C[0..rows, 0..NR] at {@code c[ci + r*ldc + j]} = (add ? C : 0) + sum_p A[r][p] * B[p][j], A from
     * a packed panel ({@code ap[ai + p*MR + r]}, zero-padded beyond {@code rows}), B[p][0..NR) at
     * {@code bp[bi + p*bStride ..]}: a packed panel (stride NR) or B's own rows. Only the first
     * {@code rows} (1..MR) rows of C are written.
     */
    static void tile(int kc, float[] ap, int ai, float[] bp, int bi, int bStride,
                     float[] c, int ci, int ldc, boolean add, int rows) {
        if (MR == 8) {
            tile8(kc, ap, ai, bp, bi, bStride, c, ci, ldc, add, rows);
        } else {
            MicroKernel6.tile(kc, ap, ai, bp, bi, bStride, c, ci, ldc, add, rows);
        }
    }

    /** {@link #tile} for a full tile: all MR rows. */
    static void tile(int kc, float[] ap, int ai, float[] bp, int bi, int bStride,
                     float[] c, int ci, int ldc, boolean add) {
        tile(kc, ap, ai, bp, bi, bStride, c, ci, ldc, add, MR);
    }

    /**
     * {@link #tile} (all MR rows) with A read in place: row r of op(A) = A (not transposed) at
     * {@code a[ai + r*lda + p]}, so small A needs no packing. Same arithmetic, same bits.
     */
    static void tileRows(int kc, float[] a, int ai, int lda, float[] bp, int bi, int bStride,
                         float[] c, int ci, int ldc, boolean add) {
        if (MR == 8) {
            tile8Rows(kc, a, ai, lda, bp, bi, bStride, c, ci, ldc, add);
        } else {
            MicroKernel6.tileRows(kc, a, ai, lda, bp, bi, bStride, c, ci, ldc, add);
        }
    }

    /** {@link #tile} for MR = 8 (A panel stride 8). */
    private static void tile8(int kc, float[] ap, int ai, float[] bp, int bi, int bStride,
                              float[] c, int ci, int ldc, boolean add, int rows) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        if (bStride == NR) {
            // Constant stride (packed panels): C2 hoists the range checks of the B loads out of
            // the loop. A variable stride leaves one check per load (8% of W1 inference samples).
            for (int p = 0; p < kc; p++) {
                int ao = ai + 8 * p;
                int bo = bi + p * NR;
                FloatVector b0 = FloatVector.fromArray(S, bp, bo);
                FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
                FloatVector av;
                av = FloatVector.broadcast(S, ap[ao + 0]);
                c00 = av.fma(b0, c00);
                c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, ap[ao + 1]);
                c10 = av.fma(b0, c10);
                c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, ap[ao + 2]);
                c20 = av.fma(b0, c20);
                c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, ap[ao + 3]);
                c30 = av.fma(b0, c30);
                c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(S, ap[ao + 4]);
                c40 = av.fma(b0, c40);
                c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(S, ap[ao + 5]);
                c50 = av.fma(b0, c50);
                c51 = av.fma(b1, c51);
                av = FloatVector.broadcast(S, ap[ao + 6]);
                c60 = av.fma(b0, c60);
                c61 = av.fma(b1, c61);
                av = FloatVector.broadcast(S, ap[ao + 7]);
                c70 = av.fma(b0, c70);
                c71 = av.fma(b1, c71);
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int ao = ai + 8 * p;
                int bo = bi + p * bStride;
                FloatVector b0 = FloatVector.fromArray(S, bp, bo);
                FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
                FloatVector av;
                av = FloatVector.broadcast(S, ap[ao + 0]);
                c00 = av.fma(b0, c00);
                c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, ap[ao + 1]);
                c10 = av.fma(b0, c10);
                c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, ap[ao + 2]);
                c20 = av.fma(b0, c20);
                c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, ap[ao + 3]);
                c30 = av.fma(b0, c30);
                c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(S, ap[ao + 4]);
                c40 = av.fma(b0, c40);
                c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(S, ap[ao + 5]);
                c50 = av.fma(b0, c50);
                c51 = av.fma(b1, c51);
                av = FloatVector.broadcast(S, ap[ao + 6]);
                c60 = av.fma(b0, c60);
                c61 = av.fma(b1, c61);
                av = FloatVector.broadcast(S, ap[ao + 7]);
                c70 = av.fma(b0, c70);
                c71 = av.fma(b1, c71);
            }
        }
        // Written out: a helper taking vectors may be left un-inlined, and then boxes them.
        if (add) {
            FloatVector.fromArray(S, c, ci).add(c00).intoArray(c, ci);
            FloatVector.fromArray(S, c, ci + L).add(c01).intoArray(c, ci + L);
        } else {
            c00.intoArray(c, ci);
            c01.intoArray(c, ci + L);
        }
        if (rows <= 1) {
            return;
        }
        if (add) {
            FloatVector.fromArray(S, c, ci + ldc).add(c10).intoArray(c, ci + ldc);
            FloatVector.fromArray(S, c, ci + ldc + L).add(c11).intoArray(c, ci + ldc + L);
        } else {
            c10.intoArray(c, ci + ldc);
            c11.intoArray(c, ci + ldc + L);
        }
        if (rows <= 2) {
            return;
        }
        if (add) {
            FloatVector.fromArray(S, c, ci + 2 * ldc).add(c20).intoArray(c, ci + 2 * ldc);
            FloatVector.fromArray(S, c, ci + 2 * ldc + L).add(c21).intoArray(c, ci + 2 * ldc + L);
        } else {
            c20.intoArray(c, ci + 2 * ldc);
            c21.intoArray(c, ci + 2 * ldc + L);
        }
        if (rows <= 3) {
            return;
        }
        if (add) {
            FloatVector.fromArray(S, c, ci + 3 * ldc).add(c30).intoArray(c, ci + 3 * ldc);
            FloatVector.fromArray(S, c, ci + 3 * ldc + L).add(c31).intoArray(c, ci + 3 * ldc + L);
        } else {
            c30.intoArray(c, ci + 3 * ldc);
            c31.intoArray(c, ci + 3 * ldc + L);
        }
        if (rows <= 4) {
            return;
        }
        if (add) {
            FloatVector.fromArray(S, c, ci + 4 * ldc).add(c40).intoArray(c, ci + 4 * ldc);
            FloatVector.fromArray(S, c, ci + 4 * ldc + L).add(c41).intoArray(c, ci + 4 * ldc + L);
        } else {
            c40.intoArray(c, ci + 4 * ldc);
            c41.intoArray(c, ci + 4 * ldc + L);
        }
        if (rows <= 5) {
            return;
        }
        if (add) {
            FloatVector.fromArray(S, c, ci + 5 * ldc).add(c50).intoArray(c, ci + 5 * ldc);
            FloatVector.fromArray(S, c, ci + 5 * ldc + L).add(c51).intoArray(c, ci + 5 * ldc + L);
        } else {
            c50.intoArray(c, ci + 5 * ldc);
            c51.intoArray(c, ci + 5 * ldc + L);
        }
        if (rows <= 6) {
            return;
        }
        if (add) {
            FloatVector.fromArray(S, c, ci + 6 * ldc).add(c60).intoArray(c, ci + 6 * ldc);
            FloatVector.fromArray(S, c, ci + 6 * ldc + L).add(c61).intoArray(c, ci + 6 * ldc + L);
        } else {
            c60.intoArray(c, ci + 6 * ldc);
            c61.intoArray(c, ci + 6 * ldc + L);
        }
        if (rows <= 7) {
            return;
        }
        if (add) {
            FloatVector.fromArray(S, c, ci + 7 * ldc).add(c70).intoArray(c, ci + 7 * ldc);
            FloatVector.fromArray(S, c, ci + 7 * ldc + L).add(c71).intoArray(c, ci + 7 * ldc + L);
        } else {
            c70.intoArray(c, ci + 7 * ldc);
            c71.intoArray(c, ci + 7 * ldc + L);
        }
    }

    /** {@link #tileRows} for MR = 8: row r of A at {@code a[ai + r*lda + p]}. */
    private static void tile8Rows(int kc, float[] a, int ai, int lda, float[] bp, int bi, int bStride,
                              float[] c, int ci, int ldc, boolean add) {
        int a0 = ai;
        int a1 = ai + 1 * lda;
        int a2 = ai + 2 * lda;
        int a3 = ai + 3 * lda;
        int a4 = ai + 4 * lda;
        int a5 = ai + 5 * lda;
        int a6 = ai + 6 * lda;
        int a7 = ai + 7 * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        if (bStride == NR) {
            // Constant stride (packed panels): C2 hoists the range checks of the B loads out of
            // the loop. A variable stride leaves one check per load (8% of W1 inference samples).
            for (int p = 0; p < kc; p++) {
                int bo = bi + p * NR;
                FloatVector b0 = FloatVector.fromArray(S, bp, bo);
                FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
                FloatVector av;
                av = FloatVector.broadcast(S, a[a0 + p]);
                c00 = av.fma(b0, c00);
                c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, a[a1 + p]);
                c10 = av.fma(b0, c10);
                c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, a[a2 + p]);
                c20 = av.fma(b0, c20);
                c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, a[a3 + p]);
                c30 = av.fma(b0, c30);
                c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(S, a[a4 + p]);
                c40 = av.fma(b0, c40);
                c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(S, a[a5 + p]);
                c50 = av.fma(b0, c50);
                c51 = av.fma(b1, c51);
                av = FloatVector.broadcast(S, a[a6 + p]);
                c60 = av.fma(b0, c60);
                c61 = av.fma(b1, c61);
                av = FloatVector.broadcast(S, a[a7 + p]);
                c70 = av.fma(b0, c70);
                c71 = av.fma(b1, c71);
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int bo = bi + p * bStride;
                FloatVector b0 = FloatVector.fromArray(S, bp, bo);
                FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
                FloatVector av;
                av = FloatVector.broadcast(S, a[a0 + p]);
                c00 = av.fma(b0, c00);
                c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, a[a1 + p]);
                c10 = av.fma(b0, c10);
                c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, a[a2 + p]);
                c20 = av.fma(b0, c20);
                c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, a[a3 + p]);
                c30 = av.fma(b0, c30);
                c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(S, a[a4 + p]);
                c40 = av.fma(b0, c40);
                c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(S, a[a5 + p]);
                c50 = av.fma(b0, c50);
                c51 = av.fma(b1, c51);
                av = FloatVector.broadcast(S, a[a6 + p]);
                c60 = av.fma(b0, c60);
                c61 = av.fma(b1, c61);
                av = FloatVector.broadcast(S, a[a7 + p]);
                c70 = av.fma(b0, c70);
                c71 = av.fma(b1, c71);
            }
        }
        // Written out: a helper taking vectors may be left un-inlined, and then boxes them.
        if (add) {
            FloatVector.fromArray(S, c, ci).add(c00).intoArray(c, ci);
            FloatVector.fromArray(S, c, ci + L).add(c01).intoArray(c, ci + L);
        } else {
            c00.intoArray(c, ci);
            c01.intoArray(c, ci + L);
        }
        if (add) {
            FloatVector.fromArray(S, c, ci + ldc).add(c10).intoArray(c, ci + ldc);
            FloatVector.fromArray(S, c, ci + ldc + L).add(c11).intoArray(c, ci + ldc + L);
        } else {
            c10.intoArray(c, ci + ldc);
            c11.intoArray(c, ci + ldc + L);
        }
        if (add) {
            FloatVector.fromArray(S, c, ci + 2 * ldc).add(c20).intoArray(c, ci + 2 * ldc);
            FloatVector.fromArray(S, c, ci + 2 * ldc + L).add(c21).intoArray(c, ci + 2 * ldc + L);
        } else {
            c20.intoArray(c, ci + 2 * ldc);
            c21.intoArray(c, ci + 2 * ldc + L);
        }
        if (add) {
            FloatVector.fromArray(S, c, ci + 3 * ldc).add(c30).intoArray(c, ci + 3 * ldc);
            FloatVector.fromArray(S, c, ci + 3 * ldc + L).add(c31).intoArray(c, ci + 3 * ldc + L);
        } else {
            c30.intoArray(c, ci + 3 * ldc);
            c31.intoArray(c, ci + 3 * ldc + L);
        }
        if (add) {
            FloatVector.fromArray(S, c, ci + 4 * ldc).add(c40).intoArray(c, ci + 4 * ldc);
            FloatVector.fromArray(S, c, ci + 4 * ldc + L).add(c41).intoArray(c, ci + 4 * ldc + L);
        } else {
            c40.intoArray(c, ci + 4 * ldc);
            c41.intoArray(c, ci + 4 * ldc + L);
        }
        if (add) {
            FloatVector.fromArray(S, c, ci + 5 * ldc).add(c50).intoArray(c, ci + 5 * ldc);
            FloatVector.fromArray(S, c, ci + 5 * ldc + L).add(c51).intoArray(c, ci + 5 * ldc + L);
        } else {
            c50.intoArray(c, ci + 5 * ldc);
            c51.intoArray(c, ci + 5 * ldc + L);
        }
        if (add) {
            FloatVector.fromArray(S, c, ci + 6 * ldc).add(c60).intoArray(c, ci + 6 * ldc);
            FloatVector.fromArray(S, c, ci + 6 * ldc + L).add(c61).intoArray(c, ci + 6 * ldc + L);
        } else {
            c60.intoArray(c, ci + 6 * ldc);
            c61.intoArray(c, ci + 6 * ldc + L);
        }
        if (add) {
            FloatVector.fromArray(S, c, ci + 7 * ldc).add(c70).intoArray(c, ci + 7 * ldc);
            FloatVector.fromArray(S, c, ci + 7 * ldc + L).add(c71).intoArray(c, ci + 7 * ldc + L);
        } else {
            c70.intoArray(c, ci + 7 * ldc);
            c71.intoArray(c, ci + 7 * ldc + L);
        }
    }

}
