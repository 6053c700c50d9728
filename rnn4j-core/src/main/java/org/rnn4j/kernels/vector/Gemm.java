package org.rnn4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One thread's share of a gemm: the classic five loops around the micro-kernel (columns in NC
 * blocks, k in KC blocks with a packed B panel, rows in MC blocks with a packed A panel).
 *
 * <p>Every element of C is computed the same way whatever the tile, block or thread: for each KC
 * block in increasing order, {@code C = C + sum_p (FMA chain over p)}. So any partition of the
 * output between threads gives bit-identical results.
 */
final class Gemm {
    private static final VectorSpecies<Float> S = MicroKernel.S;
    private static final int L = MicroKernel.L;
    static final int MR = MicroKernel.MR;
    static final int NR = MicroKernel.NR;
    static final int KC = 256;
    /** Rows per packed A block (a whole number of tiles; ~120-128 KiB of A in L2). */
    static final int MC = MR == 8 ? 128 : 120;
    static final int NC = 2048;
    static {
        // Packed-B calls start column blocks at multiples of NC and need them on panel bounds.
        assert NC % NR == 0;
    }
    /** At most this many rows and no transposed B: skip packing, stream B rows directly. */
    static final int DIRECT_MAX_M = 4;
    /**
     * A B^T with at most this many columns (an input gradient dX = dZ W^T with few features):
     * dot products of contiguous rows, no packing (packing A would cost more than the math).
     */
    static final int DOT_MAX_N = 16;
    /**
     * Up to this many floats of B (non-transposed), full column panels are read straight from B's
     * rows instead of a packed copy: small B (recurrent kernels) stays in cache anyway, and
     * packing it at every time step costs more than it saves.
     */
    static final long DIRECT_B_MAX = 1 << 18;
    /** Up to this many columns (in one call or part), a non-transposed A is read in place: {@link #directA}. */
    static final int DIRECT_A_MAX_N = Integer.getInteger("rnn4j.directAMaxN", 1024);

    private Gemm() {
    }

    static void run(Workspace ws, boolean transA, boolean transB, int m, int n, int k,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float[] c, int cOff, int ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        if (m <= DIRECT_MAX_M && !transB) {
            direct(transA, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        if (transB && !transA && (n <= DOT_MAX_N || m <= DIRECT_MAX_M)) {
            dots(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, ws.tile());
            return;
        }
        float[] bPack = ws.bPack(Math.min(KC, k) * roundUp(Math.min(NC, n), NR));
        float[] aPack = ws.aPack(Math.min(KC, k) * roundUp(Math.min(MC, m), MR));
        float[] tmp = ws.tile();
        boolean directB = !transB && (long) k * n <= DIRECT_B_MAX;
        boolean directA = directA(transA, n);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean add = accumulate || pc > 0;
                if (!directB) {
                    Packing.packB(transB, b, bOff, ldb, pc, kc, jc, nc, bPack);
                }
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(directA, transA, a, aOff, lda, ic, mc, pc, kc, aPack);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int w = Math.min(NR, nc - jr);
                        float[] bSrc = bPack;
                        int bi = (jr / NR) * kc * NR;
                        int bStride = NR;
                        if (directB && w == NR) {
                            bSrc = b;
                            bi = bOff + pc * ldb + jc + jr;
                            bStride = ldb;
                        } else if (directB) {
                            Packing.packB(false, b, bOff, ldb, pc, kc, jc + jr, w, bPack);
                            bi = 0;
                        }
                        for (int ir = 0; ir < mc; ir += MR) {
                            int h = Math.min(MR, mc - ir);
                            int ai = directA ? 0 : (ir / MR) * kc * MR;
                            int ci = cOff + (ic + ir) * ldc + jc + jr;
                            tile(directA, h, w, kc, a, aOff + (ic + ir) * lda + pc, lda, aPack, ai,
                                    bSrc, bi, bStride, c, ci, ldc, add, tmp);
                        }
                    }
                }
            }
        }
    }

    /**
     * Columns [j0, j1) of {@code C (+)= op(A) * B} with B already in panels ({@link VectorPacked}):
     * the loops of {@link #run} without packing B, so each element gets the same arithmetic.
     * {@code j0} must be a multiple of NR (part bounds are); {@code cOff} is C's column 0.
     */
    static void runPacked(Workspace ws, boolean transA, int m, int j0, int j1, int k,
                          float[] a, int aOff, int lda, float[] bp, int nPad,
                          float[] c, int cOff, int ldc, boolean accumulate) {
        if (m <= 0 || j1 <= j0 || k <= 0) {
            return;
        }
        float[] aPack = ws.aPack(Math.min(KC, k) * roundUp(Math.min(MC, m), MR));
        float[] tmp = ws.tile();
        boolean directA = directA(transA, j1 - j0);
        for (int jc = j0; jc < j1; jc += NC) {
            int jcEnd = Math.min(j1, jc + NC);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean add = accumulate || pc > 0;
                int block = pc * nPad;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(directA, transA, a, aOff, lda, ic, mc, pc, kc, aPack);
                    for (int jr = jc; jr < jcEnd; jr += NR) {
                        int w = Math.min(NR, jcEnd - jr);
                        int bi = block + (jr / NR) * kc * NR;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int h = Math.min(MR, mc - ir);
                            int ai = directA ? 0 : (ir / MR) * kc * MR;
                            int ci = cOff + (ic + ir) * ldc + jr;
                            tile(directA, h, w, kc, a, aOff + (ic + ir) * lda + pc, lda, aPack, ai,
                                    bp, bi, NR, c, ci, ldc, add, tmp);
                        }
                    }
                }
            }
        }
    }

    /**
     * One h x w tile of C at {@code ci}: a whole tile stored as is goes straight to C; C + acc and
     * partial tiles go via {@code tmp} (see MicroKernel). A is read in place ({@code aRow}) when
     * {@code directA} and the tile is full height, else from its panel {@code aPack[ai..]}.
     */
    private static void tile(boolean directA, int h, int w, int kc, float[] a, int aRow, int lda, float[] aPack, int ai,
                             float[] b, int bi, int bStride, float[] c, int ci, int ldc, boolean add, float[] tmp) {
        boolean straight = !add && h == MR && w == NR;
        float[] dst = straight ? c : tmp;
        int di = straight ? ci : 0;
        int dld = straight ? ldc : NR;
        if (directA && h == MR) {
            MicroKernel.tileRows(kc, a, aRow, lda, b, bi, bStride, dst, di, dld);
        } else {
            MicroKernel.tile(kc, aPack, ai, b, bi, bStride, dst, di, dld);
        }
        if (!straight) {
            MicroKernel.merge(tmp, c, ci, ldc, h, w, add);
        }
    }

    /**
     * Few rows: each row of C is a sum of rows of B scaled by A, so B streams straight from its
     * storage. Same arithmetic per element as the packed path (FMA chain per KC block, then C+acc).
     */
    private static void direct(boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                               float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                               boolean accumulate) {
        int strideP = transA ? lda : 1;
        int strideI = transA ? 1 : lda;
        int nv = n - n % L;
        // Blocks of 4 and 2 rows share each load of B (DirectRows); the rest, and the columns past
        // the last whole pair of vectors, go one row at a time below.
        int n2 = n - n % DirectRows.WIDTH;
        int shared = 0;
        if (n2 > 0) {
            for (; shared + 4 <= m; shared += 4) {
                DirectRows.four(n2, k, KC, a, aOff + shared * strideI, strideI, strideP, b, bOff, ldb,
                        c, cOff + shared * ldc, ldc, accumulate);
            }
            if (shared + 2 <= m) {
                DirectRows.two(n2, k, KC, a, aOff + shared * strideI, strideI, strideP, b, bOff, ldb,
                        c, cOff + shared * ldc, ldc, accumulate);
                shared += 2;
            }
        }
        for (int i = 0; i < m; i++) {
            int aRow = aOff + i * strideI;
            int cRow = cOff + i * ldc;
            int jStart = i < shared ? n2 : 0;
            if (jStart >= n) {
                continue;
            }
            for (int pc = 0; pc < k; pc += KC) {
                int kEnd = Math.min(k, pc + KC);
                boolean add = accumulate || pc > 0;
                int j = jStart;
                for (; j + 4 * L <= nv; j += 4 * L) {
                    FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
                    FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
                    int bi = bOff + pc * ldb + j;
                    int ai = aRow + pc * strideP;
                    for (int p = pc; p < kEnd; p++, bi += ldb, ai += strideP) {
                        FloatVector av = FloatVector.broadcast(S, a[ai]);
                        s0 = av.fma(FloatVector.fromArray(S, b, bi), s0);
                        s1 = av.fma(FloatVector.fromArray(S, b, bi + L), s1);
                        s2 = av.fma(FloatVector.fromArray(S, b, bi + 2 * L), s2);
                        s3 = av.fma(FloatVector.fromArray(S, b, bi + 3 * L), s3);
                    }
                    int o = cRow + j;
                    if (add) {
                        s0 = FloatVector.fromArray(S, c, o).add(s0);
                        s1 = FloatVector.fromArray(S, c, o + L).add(s1);
                        s2 = FloatVector.fromArray(S, c, o + 2 * L).add(s2);
                        s3 = FloatVector.fromArray(S, c, o + 3 * L).add(s3);
                    }
                    s0.intoArray(c, o);
                    s1.intoArray(c, o + L);
                    s2.intoArray(c, o + 2 * L);
                    s3.intoArray(c, o + 3 * L);
                }
                for (; j < nv; j += L) {
                    FloatVector s0 = FloatVector.zero(S);
                    int bi = bOff + pc * ldb + j;
                    int ai = aRow + pc * strideP;
                    for (int p = pc; p < kEnd; p++, bi += ldb, ai += strideP) {
                        s0 = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, b, bi), s0);
                    }
                    int o = cRow + j;
                    if (add) {
                        s0 = FloatVector.fromArray(S, c, o).add(s0);
                    }
                    s0.intoArray(c, o);
                }
                for (; j < n; j++) {
                    float s = 0f;
                    int bi = bOff + pc * ldb + j;
                    int ai = aRow + pc * strideP;
                    for (int p = pc; p < kEnd; p++, bi += ldb, ai += strideP) {
                        s = Math.fma(a[ai], b[bi], s);
                    }
                    c[cRow + j] = add ? c[cRow + j] + s : s;
                }
            }
        }
    }

    /**
     * C[i][j] (+)= dot(A[i, :], B[j, :]) with both rows contiguous: four columns at a time share
     * the loads of A. Lanes are summed in a fixed order (not reduceLanes, whose order may differ
     * between the interpreter and compiled code), so results never depend on JIT state.
     */
    private static void dots(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate, float[] lanes) {
        int kv = k - k % L;
        for (int i = 0; i < m; i++) {
            int ar = aOff + i * lda;
            int cr = cOff + i * ldc;
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                int b0 = bOff + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
                FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
                FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
                for (int p = 0; p < kv; p += L) {
                    FloatVector av = FloatVector.fromArray(S, a, ar + p);
                    s0 = av.fma(FloatVector.fromArray(S, b, b0 + p), s0);
                    s1 = av.fma(FloatVector.fromArray(S, b, b1 + p), s1);
                    s2 = av.fma(FloatVector.fromArray(S, b, b2 + p), s2);
                    s3 = av.fma(FloatVector.fromArray(S, b, b3 + p), s3);
                }
                s0.intoArray(lanes, 0);
                s1.intoArray(lanes, L);
                s2.intoArray(lanes, 2 * L);
                s3.intoArray(lanes, 3 * L);
                for (int q = 0; q < 4; q++) {
                    int bq = bOff + (j + q) * ldb;
                    float s = sumLanes(lanes, q * L);
                    for (int p = kv; p < k; p++) {
                        s = Math.fma(a[ar + p], b[bq + p], s);
                    }
                    c[cr + j + q] = accumulate ? c[cr + j + q] + s : s;
                }
            }
            for (; j < n; j++) {
                int bq = bOff + j * ldb;
                FloatVector s0 = FloatVector.zero(S);
                for (int p = 0; p < kv; p += L) {
                    s0 = FloatVector.fromArray(S, a, ar + p).fma(FloatVector.fromArray(S, b, bq + p), s0);
                }
                s0.intoArray(lanes, 0);
                float s = sumLanes(lanes, 0);
                for (int p = kv; p < k; p++) {
                    s = Math.fma(a[ar + p], b[bq + p], s);
                }
                c[cr + j] = accumulate ? c[cr + j] + s : s;
            }
        }
    }

    /** Pairwise (tree) sum of L lanes: a fixed order, and independent adds at each level. */
    private static float sumLanes(float[] lanes, int off) {
        for (int w = L / 2; w >= 1; w /= 2) {
            for (int q = 0; q < w; q++) {
                lanes[off + q] += lanes[off + q + w];
            }
        }
        return lanes[off];
    }

    /**
     * Whether full row tiles read a non-transposed A in place instead of from a packed copy: when
     * few column panels share each packed A panel, packing (a scattered copy) costs more than it
     * saves (measured on a [64,64]x[64,256] step gemm: packing A was ~5% of the call).
     */
    static boolean directA(boolean transA, int n) {
        return !transA && n <= DIRECT_A_MAX_N;
    }

    /**
     * Packs the A block rows [i0, i0+mc) x [p0, p0+kc) into panels; with {@code direct}, only the
     * last partial panel (if any), at the start of {@code dst}: full panels are read in place.
     */
    private static void packA(boolean direct, boolean transA, float[] a, int aOff, int lda, int i0, int mc,
                              int p0, int kc, float[] dst) {
        if (!direct) {
            Packing.packA(transA, a, aOff, lda, i0, mc, p0, kc, dst);
            return;
        }
        int full = mc - mc % MR;
        if (full < mc) {
            Packing.packA(transA, a, aOff, lda, i0 + full, mc - full, p0, kc, dst);
        }
    }

    static int roundUp(int x, int r) {
        return (x + r - 1) / r * r;
    }
}
