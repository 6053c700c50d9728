package org.rnn4j.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.PackedMatrix;
import org.rnn4j.kernels.ScalarMatMul;

/**
 * Differential tests of the packed-B gemm: for every shape, transpose case, offset and
 * accumulate flag, the packed call must give exactly (bit for bit) the unpacked call's result,
 * whatever the partition between threads.
 */
class PackedGemmTest {
    private static final int[] SIZES = {1, 3, 5, 17, 33, 70};

    /** A gemm problem with padded strides and offsets (no kernel may assume dense storage). */
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
            aOff = pad * 3 + 1;
            bOff = pad * 5 + 2;
            cOff = pad * 7 + 3;
            a = fill(r, aOff + (tA ? k : m) * lda);
            b = fill(r, bOff + (tB ? n : k) * ldb);
            c0 = fill(r, cOff + m * ldc);
        }

        float[] unpacked(MatMul mm, boolean acc) {
            float[] c = c0.clone();
            mm.gemm(tA, tB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc);
            return c;
        }

        PackedMatrix pack(MatMul mm) {
            return mm.pack(tB, k, n, b, bOff, ldb);
        }

        float[] packed(MatMul mm, PackedMatrix pb, boolean acc) {
            float[] c = c0.clone();
            mm.gemm(tA, m, n, k, a, aOff, lda, pb, c, cOff, ldc, acc);
            return c;
        }

        String what(boolean acc) {
            return (tA ? "A^T" : "A") + (tB ? " B^T" : " B") + " m=" + m + " n=" + n + " k=" + k
                    + (acc ? " accumulate" : "");
        }
    }

    private static float[] fill(SplittableRandom r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    private static void assertPackedEqualsUnpacked(MatMul mm, Problem p) {
        PackedMatrix pb = p.pack(mm);
        for (boolean acc : new boolean[] {false, true}) {
            assertArrayEquals(p.unpacked(mm, acc), p.packed(mm, pb, acc), mm.name() + " " + p.what(acc));
        }
    }

    @Test
    void vectorPackedEqualsUnpackedOnOddSizesAllTransposes() {
        MatMul vector = new VectorMatMul(1);
        long seed = 1;
        for (boolean tA : new boolean[] {false, true}) {
            for (boolean tB : new boolean[] {false, true}) {
                for (int m : SIZES) {
                    for (int n : SIZES) {
                        for (int k : new int[] {1, 7, 33}) {
                            assertPackedEqualsUnpacked(vector, new Problem(seed++, tA, tB, m, n, k, 3));
                        }
                    }
                }
            }
        }
    }

    @Test
    void scalarPackedEqualsUnpacked() {
        MatMul scalar = new ScalarMatMul();
        long seed = 100;
        for (boolean tA : new boolean[] {false, true}) {
            for (boolean tB : new boolean[] {false, true}) {
                for (int[] s : new int[][] {{1, 1, 1}, {5, 17, 3}, {17, 33, 70}, {70, 5, 33}}) {
                    assertPackedEqualsUnpacked(scalar, new Problem(seed++, tA, tB, s[0], s[1], s[2], 2));
                }
            }
        }
    }

    /** Shapes of the recurrent layers and ones crossing the KC (256) and NC (2048) block bounds. */
    @Test
    void vectorPackedEqualsUnpackedAcrossBlockBoundaries() {
        MatMul vector = new VectorMatMul(1);
        int[][] shapes = {{64, 256, 64}, {64, 64, 256}, {9, 2100, 300}, {130, 40, 520}, {17, 2049, 257}};
        long seed = 500;
        for (int[] s : shapes) {
            for (boolean tB : new boolean[] {false, true}) {
                assertPackedEqualsUnpacked(vector, new Problem(seed++, false, tB, s[0], s[1], s[2], 1));
            }
        }
    }

    @Test
    void anyPartitionGivesTheSameBits() {
        int[][] shapes = {{40, 200, 37}, {200, 40, 37}, {33, 70, 300}, {40, 600, 500}};
        long seed = 900;
        for (int[] s : shapes) {
            for (boolean tA : new boolean[] {false, true}) {
                for (boolean tB : new boolean[] {false, true}) {
                    Problem p = new Problem(seed++, tA, tB, s[0], s[1], s[2], 2);
                    MatMul one = new VectorMatMul(1);
                    PackedMatrix pb = p.pack(one);
                    for (boolean acc : new boolean[] {false, true}) {
                        float[] expected = p.packed(one, pb, acc);
                        for (int parts : new int[] {2, 3, 4, 7}) {
                            float[] c = p.c0.clone();
                            VectorMatMul.gemmPackedInParts(parts, tA, p.m, p.n, p.k, p.a, p.aOff, p.lda, pb,
                                    c, p.cOff, p.ldc, acc);
                            assertArrayEquals(expected, c, parts + " parts, " + p.what(acc));
                        }
                    }
                }
            }
        }
    }

    @Test
    void twoThreadsEqualOneThread() {
        // Big enough to be split between threads (>= 2 M multiply-adds).
        Problem p = new Problem(77, false, false, 128, 512, 600, 0);
        MatMul one = new VectorMatMul(1);
        MatMul two = new VectorMatMul(2);
        PackedMatrix pb = p.pack(two);
        for (boolean acc : new boolean[] {false, true}) {
            assertArrayEquals(p.packed(one, pb, acc), p.packed(two, pb, acc), p.what(acc));
        }
    }

    @Test
    void repackInPlaceFollowsNewWeightsAndShapes() {
        MatMul vector = new VectorMatMul(1);
        Problem big = new Problem(3, false, false, 20, 70, 40, 1);
        Problem small = new Problem(4, false, true, 20, 17, 33, 2);
        PackedMatrix pb = big.pack(vector);
        pb.repack(small.tB, small.k, small.n, small.b, small.bOff, small.ldb);
        assertArrayEquals(small.unpacked(vector, true), small.packed(vector, pb, true));
        // Changed weights are picked up only by repack (the handle holds a packed copy).
        small.b[small.bOff] += 1f;
        pb.repack(small.tB, small.k, small.n, small.b, small.bOff, small.ldb);
        assertArrayEquals(small.unpacked(vector, false), small.packed(vector, pb, false));
    }

    @Test
    void foreignHandleFallsBackToTheReference() {
        // A handle made by another implementation is read through its reference to B.
        Problem p = new Problem(5, true, false, 17, 33, 9, 1);
        MatMul vector = new VectorMatMul(1);
        PackedMatrix scalarHandle = p.pack(new ScalarMatMul());
        assertArrayEquals(p.unpacked(vector, true), p.packed(vector, scalarHandle, true));
    }

    @Test
    void shapeMismatchIsRejectedWithBothShapes() {
        Problem p = new Problem(6, false, false, 8, 33, 17, 0);
        MatMul vector = new VectorMatMul(1);
        PackedMatrix pb = p.pack(vector);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> vector.gemm(false, 8, 32, 17, p.a, 0, 17, pb, new float[8 * 32], 0, 32, false));
        assertTrue(e.getMessage().contains("17x33") && e.getMessage().contains("17x32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> vector.pack(false, 17, 33, new float[10], 0, 33));
    }

    @Test
    void zeroSizes() {
        MatMul vector = new VectorMatMul(1);
        float[] c = {5f, 6f};
        PackedMatrix empty = vector.pack(false, 0, 2, new float[0], 0, 2);
        vector.gemm(false, 1, 2, 0, new float[0], 0, 0, empty, c, 0, 2, false);
        assertEquals(0f, c[0]);
        assertEquals(0f, c[1]);
    }
}
