package org.rnn4j.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rnn4j.kernels.PackedMatrix;

/**
 * The few-row path over packed panels gives each element the bits of the unpacked gemm, for every
 * grouping it uses (one row over four panels, two rows over two, four rows over one, the single
 * panels left over and a zero-padded last panel), k across a KC block, transposed A, and
 * accumulating or not.
 */
class PanelRowsTest {
    private static final int NR = Gemm.NR;

    @Test
    void packedFewRowsGiveTheBitsOfTheUnpackedGemm() {
        Random r = new Random(11);
        Workspace ws = new Workspace();
        VectorMatMul mm = new VectorMatMul(1);
        int[] ns = {NR, NR + 3, 2 * NR, 3 * NR, 4 * NR, 5 * NR + 7, 8 * NR, 9 * NR};
        int[] ks = {1, 8, 64, Gemm.KC + 9};
        int checked = 0;
        for (int m = 1; m <= Gemm.DIRECT_MAX_M; m++) {
            for (int n : ns) {
                for (int k : ks) {
                    for (int t = 0; t < 4; t++) {
                        boolean transA = (t & 1) != 0;
                        boolean acc = (t & 2) != 0;
                        int lda = transA ? m + 2 : k + 3;
                        int ldb = n + 1;
                        int ldc = n + 5;
                        float[] a = rand(r, (transA ? k : m) * lda);
                        float[] b = rand(r, k * ldb);
                        float[] c0 = rand(r, m * ldc);
                        float[] expected = c0.clone();
                        Gemm.run(ws, transA, false, m, n, k, a, 0, lda, b, 0, ldb, expected, 0, ldc, acc);
                        PackedMatrix packed = mm.pack(false, k, n, b, 0, ldb);
                        float[] got = c0.clone();
                        mm.gemm(transA, m, n, k, a, 0, lda, packed, got, 0, ldc, acc);
                        for (int i = 0; i < m * ldc; i++) {
                            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(got[i]),
                                    "m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " acc=" + acc + " at " + i);
                        }
                        checked++;
                    }
                }
            }
        }
        assertEquals(Gemm.DIRECT_MAX_M * ns.length * ks.length * 4, checked);
    }

    @Test
    void theKernelLeavesColumnsPastNAndOtherRowsAlone() {
        Random r = new Random(12);
        int m = 3;
        int n = 2 * NR + 5;
        int k = 20;
        int ldc = n + 9;
        VectorPacked p = new VectorPacked();
        float[] b = rand(r, k * n);
        p.repack(false, k, n, b, 0, n);
        p.ensurePacked();
        float[] a = rand(r, m * k);
        float[] c = rand(r, (m + 1) * ldc);
        float[] before = c.clone();
        PanelRows.run(m, n, k, a, 0, k, 1, p.panels(), p.nPad(), c, 0, ldc, true, new float[NR * Gemm.MR]);
        for (int i = 0; i < m; i++) {
            for (int j = n; j < ldc; j++) {
                assertEquals(before[i * ldc + j], c[i * ldc + j], "row " + i + " column " + j + " is past n");
            }
        }
        for (int j = 0; j < ldc; j++) {
            assertEquals(before[m * ldc + j], c[m * ldc + j], "row " + m + " is past m");
        }
        assertEquals(before[n - 1] + chain(a, 0, b, n, n - 1, k), c[n - 1], 0f, "last real column of row 0");
    }

    /** The FMA chain over p from zero that every path computes for one element. */
    private static float chain(float[] a, int aOff, float[] b, int ldb, int j, int k) {
        float s = 0f;
        for (int p = 0; p < k; p++) {
            s = Math.fma(a[aOff + p], b[p * ldb + j], s);
        }
        return s;
    }

    private static float[] rand(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
