package org.rnn4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MicroKernel}'s tiles for 6 rows (AVX2 and narrower vectors: 6 x 2 accumulators, the
 * BLIS/OpenBLAS Haswell and Zen shape). Same arithmetic per element as the 8-row tiles.
 */
final class MicroKernel6 {
    private static final VectorSpecies<Float> S = MicroKernel.S;
    private static final int L = MicroKernel.L;
    private static final int NR = MicroKernel.NR;

    private MicroKernel6() {
    }

    /** {@link MicroKernel#tile} for MR = 6 (A panel stride 6). */
    static void tile(int kc, float[] ap, int ai, float[] bp, int bi, int bStride,
                              float[] c, int ci, int ldc, boolean add, int rows) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        if (bStride == NR) {
            // Constant stride, so C2 hoists the B loads' range checks (see MicroKernel).
            for (int p = 0; p < kc; p++) {
                int ao = ai + 6 * p;
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
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int ao = ai + 6 * p;
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
    }

    /** {@link MicroKernel#tileRows} for MR = 6: row r of A at {@code a[ai + r*lda + p]}. */
    static void tileRows(int kc, float[] a, int ai, int lda, float[] bp, int bi, int bStride,
                              float[] c, int ci, int ldc, boolean add) {
        int a0 = ai;
        int a1 = ai + 1 * lda;
        int a2 = ai + 2 * lda;
        int a3 = ai + 3 * lda;
        int a4 = ai + 4 * lda;
        int a5 = ai + 5 * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        if (bStride == NR) {
            // Constant stride, so C2 hoists the B loads' range checks (see MicroKernel).
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
    }
}
