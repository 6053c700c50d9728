package org.rnn4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of op(A) and op(B) into the contiguous panel layouts the micro-kernel streams:
 * B as column panels {@code [panel][p][NR]}, A as row panels {@code [panel][p][MR]}, zero-padded
 * at the edges so the micro-kernel never branches on size.
 */
final class Packing {
    private static final VectorSpecies<Float> S = MicroKernel.S;
    private static final int L = MicroKernel.L;
    private static final int NR = MicroKernel.NR;
    private static final int MR = MicroKernel.MR;

    private Packing() {
    }

    /** Packs op(B)[p0..p0+kc, j0..j0+nc] where op(B)[p][j] = transB ? b[j*ldb+p] : b[p*ldb+j]. */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      float[] dst) {
        packB(transB, b, bOff, ldb, p0, kc, j0, nc, dst, 0);
    }

    /** As above, writing the panels from {@code dst[d0]} on (a block of a whole packed matrix). */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      float[] dst, int d0) {
        int d = d0;
        for (int jp = 0; jp < nc; jp += NR) {
            int w = Math.min(NR, nc - jp);
            if (!transB) {
                int src = bOff + p0 * ldb + j0 + jp;
                if (w == NR) {
                    for (int p = 0; p < kc; p++, src += ldb, d += NR) {
                        for (int v = 0; v < NR; v += L) {
                            FloatVector.fromArray(S, b, src + v).intoArray(dst, d + v);
                        }
                    }
                } else {
                    for (int p = 0; p < kc; p++, src += ldb, d += NR) {
                        System.arraycopy(b, src, dst, d, w);
                        java.util.Arrays.fill(dst, d + w, d + NR, 0f);
                    }
                }
            } else {
                // Column j of op(B) is row j of the stored B: read along p, write with stride NR.
                for (int jj = 0; jj < w; jj++) {
                    int src = bOff + (j0 + jp + jj) * ldb + p0;
                    int o = d + jj;
                    for (int p = 0; p < kc; p++, o += NR) {
                        dst[o] = b[src + p];
                    }
                }
                for (int jj = w; jj < NR; jj++) {
                    int o = d + jj;
                    for (int p = 0; p < kc; p++, o += NR) {
                        dst[o] = 0f;
                    }
                }
                d += kc * NR;
            }
        }
    }

    /** Packs op(A)[i0..i0+mc, p0..p0+kc] where op(A)[i][p] = transA ? a[p*lda+i] : a[i*lda+p]. */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                      float[] dst) {
        int d = 0;
        for (int ip = 0; ip < mc; ip += MR) {
            int h = Math.min(MR, mc - ip);
            if (!transA) {
                for (int ii = 0; ii < h; ii++) {
                    int src = aOff + (i0 + ip + ii) * lda + p0;
                    int o = d + ii;
                    for (int p = 0; p < kc; p++, o += MR) {
                        dst[o] = a[src + p];
                    }
                }
                for (int ii = h; ii < MR; ii++) {
                    int o = d + ii;
                    for (int p = 0; p < kc; p++, o += MR) {
                        dst[o] = 0f;
                    }
                }
                d += kc * MR;
            } else {
                int src = aOff + p0 * lda + i0 + ip;
                for (int p = 0; p < kc; p++, src += lda, d += MR) {
                    System.arraycopy(a, src, dst, d, h);
                    for (int ii = h; ii < MR; ii++) {
                        dst[d + ii] = 0f;
                    }
                }
            }
        }
    }
}
