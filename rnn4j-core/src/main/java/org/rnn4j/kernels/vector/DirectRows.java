package org.rnn4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm}'s few-row path for 4 or 2 rows at once: each load of a row of B feeds the FMAs of
 * every row, so B (a recurrent kernel at batch 2..8: 64 KB for LSTM(64), more than L1) streams
 * once per call instead of once per row. Measured before: a row cost the same alone or in a block
 * of 4 (W1 predict 58 µs CPU per sample at batch 1 and 65 at batch 8, against 22 at batch 16).
 *
 * <p>Every element is computed as the one-row path computes it (an FMA chain over p from zero per
 * KC block, then added to C), so the results are the same bits.
 */
final class DirectRows {
    private static final VectorSpecies<Float> S = MicroKernel.S;
    private static final int L = MicroKernel.L;
    /** Columns per pass: two vectors per row (8 accumulators for 4 rows fit AVX2's 16 registers). */
    static final int WIDTH = 2 * L;

    private DirectRows() {
    }

    /** Rows {@code aOff, aOff + strideI, ...} (4 of them) times B's first {@code n2} columns, n2 a multiple of {@link #WIDTH}. */
    static void four(int n2, int k, int kc, float[] a, int aOff, int strideI, int strideP, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        for (int pc = 0; pc < k; pc += kc) {
            int kEnd = Math.min(k, pc + kc);
            boolean add = accumulate || pc > 0;
            for (int j = 0; j < n2; j += WIDTH) {
                FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S);
                FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S);
                FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S);
                FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S);
                int bi = bOff + pc * ldb + j;
                int a0 = aOff + pc * strideP;
                for (int p = pc; p < kEnd; p++, bi += ldb, a0 += strideP) {
                    FloatVector b0 = FloatVector.fromArray(S, b, bi);
                    FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
                    FloatVector v = FloatVector.broadcast(S, a[a0]);
                    s00 = v.fma(b0, s00);
                    s01 = v.fma(b1, s01);
                    v = FloatVector.broadcast(S, a[a0 + strideI]);
                    s10 = v.fma(b0, s10);
                    s11 = v.fma(b1, s11);
                    v = FloatVector.broadcast(S, a[a0 + 2 * strideI]);
                    s20 = v.fma(b0, s20);
                    s21 = v.fma(b1, s21);
                    v = FloatVector.broadcast(S, a[a0 + 3 * strideI]);
                    s30 = v.fma(b0, s30);
                    s31 = v.fma(b1, s31);
                }
                int o = cOff + j;
                store(c, o, s00, s01, add);
                store(c, o + ldc, s10, s11, add);
                store(c, o + 2 * ldc, s20, s21, add);
                store(c, o + 3 * ldc, s30, s31, add);
            }
        }
    }

    /** {@link #four} for 2 rows. */
    static void two(int n2, int k, int kc, float[] a, int aOff, int strideI, int strideP, float[] b, int bOff, int ldb,
                    float[] c, int cOff, int ldc, boolean accumulate) {
        for (int pc = 0; pc < k; pc += kc) {
            int kEnd = Math.min(k, pc + kc);
            boolean add = accumulate || pc > 0;
            for (int j = 0; j < n2; j += WIDTH) {
                FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S);
                FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S);
                int bi = bOff + pc * ldb + j;
                int a0 = aOff + pc * strideP;
                for (int p = pc; p < kEnd; p++, bi += ldb, a0 += strideP) {
                    FloatVector b0 = FloatVector.fromArray(S, b, bi);
                    FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
                    FloatVector v = FloatVector.broadcast(S, a[a0]);
                    s00 = v.fma(b0, s00);
                    s01 = v.fma(b1, s01);
                    v = FloatVector.broadcast(S, a[a0 + strideI]);
                    s10 = v.fma(b0, s10);
                    s11 = v.fma(b1, s11);
                }
                int o = cOff + j;
                store(c, o, s00, s01, add);
                store(c, o + ldc, s10, s11, add);
            }
        }
    }

    private static void store(float[] c, int o, FloatVector s0, FloatVector s1, boolean add) {
        if (add) {
            s0 = FloatVector.fromArray(S, c, o).add(s0);
            s1 = FloatVector.fromArray(S, c, o + L).add(s1);
        }
        s0.intoArray(c, o);
        s1.intoArray(c, o + L);
    }
}
