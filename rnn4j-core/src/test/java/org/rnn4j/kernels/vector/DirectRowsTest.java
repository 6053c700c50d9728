package org.rnn4j.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The few-row gemm path computes each row of C exactly as that row alone: blocks of 4 and 2 rows
 * sharing B's loads give the bits of one-row calls, for every size the tails can take (columns
 * past the last pair of vectors, k across a KC block, transposed A, accumulating or not).
 */
class DirectRowsTest {
    @Test
    void aBlockOfRowsGivesTheBitsOfEachRowAlone() {
        Random r = new Random(7);
        Workspace ws = new Workspace();
        int[] ns = {1, MicroKernel.L - 1, MicroKernel.L, DirectRows.WIDTH - 1, DirectRows.WIDTH, DirectRows.WIDTH + 3,
            4 * MicroKernel.L + 5, 256};
        int[] ks = {1, 7, 64, Gemm.KC + 9};
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
                        float[] block = c0.clone();
                        Gemm.run(ws, transA, false, m, n, k, a, 0, lda, b, 0, ldb, block, 0, ldc, acc);
                        float[] alone = c0.clone();
                        for (int i = 0; i < m; i++) {
                            int aOff = transA ? i : i * lda;
                            Gemm.run(ws, transA, false, 1, n, k, a, aOff, lda, b, 0, ldb, alone, i * ldc, ldc, acc);
                        }
                        for (int i = 0; i < m * ldc; i++) {
                            assertEquals(Float.floatToRawIntBits(alone[i]), Float.floatToRawIntBits(block[i]),
                                    "m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " acc=" + acc + " at " + i);
                        }
                        checked++;
                    }
                }
            }
        }
        assertEquals(Gemm.DIRECT_MAX_M * ns.length * ks.length * 4, checked);
    }

    private static float[] rand(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
