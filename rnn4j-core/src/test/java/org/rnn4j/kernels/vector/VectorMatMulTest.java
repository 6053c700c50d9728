package org.rnn4j.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.ScalarMatMul;
import org.junit.jupiter.api.Test;

/** Differential tests: the Vector API matmul against the scalar reference, and against itself. */
class VectorMatMulTest {
    private static final int[] EDGE = {1, 3, 15, 17, 33, 65};
    private final MatMul scalar = new ScalarMatMul();
    private final MatMul vector = new VectorMatMul(1);

    /** One gemm problem with padded strides and offsets, so no kernel can assume dense storage. */
    private static final class Problem {
        final boolean tA, tB;
        final int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
        final float[] a, b, c0;

        Problem(long seed, boolean tA, boolean tB, int m, int n, int k, int pad) {
            SplittableRandom r = new SplittableRandom(seed);
            this.tA = tA;
            this.tB = tB;
            this.m = m;
            this.n = n;
            this.k = k;
            lda = (tA ? m : k) + pad;
            ldb = (tB ? k : n) + pad;
            ldc = n + pad;
            aOff = pad * 3;
            bOff = pad * 5;
            cOff = pad * 7;
            a = fill(r, aOff + (tA ? k : m) * lda);
            b = fill(r, bOff + (tB ? n : k) * ldb);
            c0 = fill(r, cOff + m * ldc);
        }

        float[] run(MatMul mm, boolean acc) {
            float[] c = c0.clone();
            mm.gemm(tA, tB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc);
            return c;
        }

        float[] runInParts(int parts, boolean acc) {
            float[] c = c0.clone();
            VectorMatMul.gemmInParts(parts, tA, tB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc);
            return c;
        }

        /** Float rounding bound for C[i][j]: a few ulps of sum |a||b| (+ |C0| when accumulating). */
        double tolerance(int i, int j, boolean acc) {
            double s = acc ? Math.abs(c0[cOff + i * ldc + j]) : 0;
            for (int p = 0; p < k; p++) {
                float av = tA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                float bv = tB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                s += Math.abs((double) av * bv);
            }
            return 1e-6 * (k + 2) * s + 1e-30;
        }

        String describe(boolean acc) {
            return (tA ? "T" : "N") + (tB ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k
                    + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + " acc=" + acc;
        }
    }

    private static float[] fill(SplittableRandom r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    private void assertMatchesScalar(Problem p, boolean acc) {
        float[] want = p.run(scalar, acc);
        float[] got = p.run(vector, acc);
        for (int idx = 0; idx < want.length; idx++) {
            int rel = idx - p.cOff;
            int i = rel >= 0 ? rel / p.ldc : -1;
            int j = rel >= 0 ? rel % p.ldc : -1;
            boolean inside = i >= 0 && i < p.m && j < p.n;
            if (!inside) {
                // Padding and everything outside C must be untouched.
                if (Float.floatToRawIntBits(got[idx]) != Float.floatToRawIntBits(p.c0[idx])) {
                    fail(p.describe(acc) + ": wrote outside C at array index " + idx);
                }
                continue;
            }
            double err = Math.abs((double) got[idx] - want[idx]);
            if (!(err <= p.tolerance(i, j, acc))) {
                fail(p.describe(acc) + ": C[" + i + "][" + j + "] = " + got[idx] + ", scalar " + want[idx]);
            }
        }
    }

    @Test
    void matchesScalarOnEdgeSizesAllTransposes() {
        long seed = 1;
        for (int m : EDGE) {
            for (int n : EDGE) {
                for (int k : EDGE) {
                    for (int t = 0; t < 4; t++) {
                        Problem p = new Problem(seed++, (t & 1) != 0, (t & 2) != 0, m, n, k, (int) (seed % 3));
                        assertMatchesScalar(p, false);
                        assertMatchesScalar(p, true);
                    }
                }
            }
        }
    }

    @Test
    void matchesScalarAcrossBlockBoundaries() {
        // k crosses KC, m crosses MC, n crosses NC: every blocking loop takes more than one trip.
        int[][] shapes = {
            {Gemm.MC + 9, 2 * Gemm.NR + 5, Gemm.KC + 1},
            {2, Gemm.NC + 7, 2 * Gemm.KC + 3},
            {Gemm.DIRECT_MAX_M, 3 * MicroKernel.L + 5, Gemm.KC + 17},
            {3 * Gemm.MC + 1, 33, 2},
            {64, 256, 64},
            {2 * Gemm.MR + 3, Gemm.DIRECT_A_MAX_N + 37, 45},
            {Gemm.MR + 1, 40, 300},
        };
        long seed = 1000;
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                Problem p = new Problem(seed++, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1);
                assertMatchesScalar(p, false);
                assertMatchesScalar(p, true);
            }
        }
    }

    @Test
    void aReadInPlaceGivesThePackedBits() {
        // n above DIRECT_A_MAX_N packs A; the same columns computed by a narrower call read A in
        // place (full row tiles) and pack only the edge panel: every element must be the same bits.
        int m = 3 * Gemm.MR + 5, k = Gemm.KC + 29, n = Gemm.DIRECT_A_MAX_N + 50, w = 3 * Gemm.NR + 7;
        assertTrue(!Gemm.directA(false, n) && Gemm.directA(false, w));
        for (boolean acc : new boolean[] {false, true}) {
            Problem p = new Problem(4000, false, false, m, n, k, 3);
            float[] wide = p.run(vector, acc);
            float[] narrow = p.c0.clone();
            int j0 = Gemm.NR + 3;
            vector.gemm(false, false, m, w, k, p.a, p.aOff, p.lda, p.b, p.bOff + j0, p.ldb, narrow, p.cOff + j0, p.ldc,
                    acc);
            for (int i = 0; i < m; i++) {
                for (int j = j0; j < j0 + w; j++) {
                    int idx = p.cOff + i * p.ldc + j;
                    assertEquals(Float.floatToRawIntBits(wide[idx]), Float.floatToRawIntBits(narrow[idx]),
                            "C[" + i + "][" + j + "] acc=" + acc);
                }
            }
        }
    }

    @Test
    void zeroSizes() {
        float[] c = {5f, 6f};
        vector.gemm(false, false, 1, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 0, 2, true);
        assertArrayEquals(new float[] {5f, 6f}, c);
        vector.gemm(false, false, 1, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 0, 2, false);
        assertArrayEquals(new float[] {0f, 0f}, c);
        vector.gemm(false, false, 0, 2, 3, new float[0], 0, 3, new float[6], 0, 2, c, 0, 2, false);
        assertArrayEquals(new float[] {0f, 0f}, c);
    }

    @Test
    void anyPartitionGivesBitIdenticalResults() {
        int[][] shapes = {{200, 300, 100}, {300, 70, 260}, {3, 500, 40}, {65, 17, 33}, {300, 8, 260}, {2, 40, 100}};
        long seed = 2000;
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                for (boolean acc : new boolean[] {false, true}) {
                    Problem p = new Problem(seed++, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 2);
                    float[] one = p.run(vector, acc);
                    for (int parts = 2; parts <= 3; parts++) {
                        assertArrayEquals(one, p.runInParts(parts, acc), p.describe(acc) + " parts=" + parts);
                    }
                }
            }
        }
    }

    @Test
    void twoThreadsBitIdenticalToOne() {
        VectorMatMul two = new VectorMatMul(2);
        long seed = 3000;
        // Above the parallel threshold: 2^19 multiply-adds.
        int[][] shapes = {{128, 512, 64}, {512, 64, 128}, {64, 256, 64 * 8}, {3072, 8, 256}};
        for (int[] s : shapes) {
            assertTrue((long) s[0] * s[1] * s[2] >= VectorMatMul.PARALLEL_MIN_FMAS);
            for (int t = 0; t < 4; t++) {
                for (boolean acc : new boolean[] {false, true}) {
                    Problem p = new Problem(seed++, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1);
                    assertArrayEquals(p.run(vector, acc), p.run(two, acc), p.describe(acc));
                }
            }
        }
    }

    @Test
    void rejectsArraysTooSmallForTheStrides() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                vector.gemm(false, false, 2, 2, 2, new float[4], 0, 1, new float[4], 0, 2, new float[4], 0, 2, false));
        assertTrue(e.getMessage().contains("A is 2x2"), e.getMessage());
    }

    @Test
    void kernelsChoosesTheVectorMatMulWhenTheModuleIsPresent() {
        assertTrue(Kernels.matmul().name().startsWith("vector-"), Kernels.matmul().name());
        assertEquals(MicroKernel.S.length() * 32, MicroKernel.S.vectorBitSize());
    }
}
