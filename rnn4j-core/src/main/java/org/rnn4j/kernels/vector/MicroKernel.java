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
 * un-inlined and then box). Each tile has one method per B stride: packed panels, whose stride NR
 * is a constant, so C2 also hoists the range checks of the B loads, and B read in place with its
 * own row stride, where each B load keeps its check.
 *
 * <p>The tile methods only store their accumulators; C + acc and partial tiles go through the
 * small tile buffer and {@link #merge}. Why: C2 intrinsifies a tile's stores late, and only while
 * the compilation is under its node budget ({@code LiveNodeCountInliningCutoff}). The former tiles
 * (both k loops, and stores with and without the add, in one method) sometimes went over it,
 * depending on the profile at compile time: the last stores then stayed calls on boxed vectors,
 * and in about one JVM in six W1 trained 2-7x slower for the whole process. The 8-row tiles with
 * A read in place are in {@link MicroKernelRows8}, the 6-row tiles (AVX2) in {@link MicroKernel6}.
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
     * C[0..MR, 0..NR] at {@code c[ci + r*ldc + j]} = sum_p A[r][p] * B[p][j], A from a packed panel
     * ({@code ap[ai + p*MR + r]}, zero-padded beyond its rows), B[p][0..NR) at
     * {@code bp[bi + p*bStride ..]}: a packed panel (stride NR) or B's own rows. All MR rows are
     * written: a partial tile or C + acc goes to the tile buffer, then {@link #merge}.
     */
    static void tile(int kc, float[] ap, int ai, float[] bp, int bi, int bStride, float[] c, int ci, int ldc) {
        if (MR == 8) {
            if (bStride == NR) {
                tile8Panel(kc, ap, ai, bp, bi, c, ci, ldc);
            } else {
                tile8Strided(kc, ap, ai, bp, bi, bStride, c, ci, ldc);
            }
        } else if (bStride == NR) {
            MicroKernel6.tilePanel(kc, ap, ai, bp, bi, c, ci, ldc);
        } else {
            MicroKernel6.tileStrided(kc, ap, ai, bp, bi, bStride, c, ci, ldc);
        }
    }

    /**
     * {@link #tile} with A read in place: row r of op(A) = A (not transposed) at
     * {@code a[ai + r*lda + p]}, so small A needs no packing. Same arithmetic, same bits.
     */
    static void tileRows(int kc, float[] a, int ai, int lda, float[] bp, int bi, int bStride,
                         float[] c, int ci, int ldc) {
        if (MR == 8) {
            if (bStride == NR) {
                MicroKernelRows8.tilePanel(kc, a, ai, lda, bp, bi, c, ci, ldc);
            } else {
                MicroKernelRows8.tileStrided(kc, a, ai, lda, bp, bi, bStride, c, ci, ldc);
            }
        } else if (bStride == NR) {
            MicroKernel6.rowsPanel(kc, a, ai, lda, bp, bi, c, ci, ldc);
        } else {
            MicroKernel6.rowsStrided(kc, a, ai, lda, bp, bi, bStride, c, ci, ldc);
        }
    }

    /**
     * The first {@code rows} rows and {@code width} columns of a tile computed into {@code tile}
     * (row stride NR) into C at {@code c[ci + r*ldc + j]}: C = C + acc with {@code add}, else acc.
     */
    static void merge(float[] tile, float[] c, int ci, int ldc, int rows, int width, boolean add) {
        if (width == NR) {
            for (int r = 0; r < rows; r++) {
                int o = ci + r * ldc;
                int t = r * NR;
                if (add) {
                    FloatVector.fromArray(S, c, o).add(FloatVector.fromArray(S, tile, t)).intoArray(c, o);
                    FloatVector.fromArray(S, c, o + L).add(FloatVector.fromArray(S, tile, t + L)).intoArray(c, o + L);
                } else {
                    FloatVector.fromArray(S, tile, t).intoArray(c, o);
                    FloatVector.fromArray(S, tile, t + L).intoArray(c, o + L);
                }
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            int o = ci + r * ldc;
            for (int j = 0; j < width; j++) {
                c[o + j] = add ? c[o + j] + tile[r * NR + j] : tile[r * NR + j];
            }
        }
    }

    /** {@link #tile} for MR = 8 over a packed B panel (constant stride NR). */
    private static void tile8Panel(int kc, float[] ap, int ai, float[] bp, int bi,
                                   float[] c, int ci, int ldc) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero, c01 = zero;
        FloatVector c10 = zero, c11 = zero;
        FloatVector c20 = zero, c21 = zero;
        FloatVector c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero;
        FloatVector c50 = zero, c51 = zero;
        FloatVector c60 = zero, c61 = zero;
        FloatVector c70 = zero, c71 = zero;
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
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
        c60.intoArray(c, ci + 6 * ldc);
        c61.intoArray(c, ci + 6 * ldc + L);
        c70.intoArray(c, ci + 7 * ldc);
        c71.intoArray(c, ci + 7 * ldc + L);
    }

    /** {@link #tile} for MR = 8 with B read in place (row stride {@code bStride}). */
    private static void tile8Strided(int kc, float[] ap, int ai, float[] bp, int bi, int bStride,
                                     float[] c, int ci, int ldc) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero, c01 = zero;
        FloatVector c10 = zero, c11 = zero;
        FloatVector c20 = zero, c21 = zero;
        FloatVector c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero;
        FloatVector c50 = zero, c51 = zero;
        FloatVector c60 = zero, c61 = zero;
        FloatVector c70 = zero, c71 = zero;
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
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
        c60.intoArray(c, ci + 6 * ldc);
        c61.intoArray(c, ci + 6 * ldc + L);
        c70.intoArray(c, ci + 7 * ldc);
        c71.intoArray(c, ci + 7 * ldc + L);
    }
}
