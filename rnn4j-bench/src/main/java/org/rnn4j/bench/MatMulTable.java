package org.rnn4j.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.ScalarMatMul;
import org.rnn4j.kernels.vector.VectorMatMul;

/**
 * GFLOP/s of the matmuls at the RNN shapes and a 2048^2 sgemm, scalar vs vector, 1 vs all
 * threads: a quick table without JMH ({@code BenchMain --workload matmul}). Best of 5 rounds of
 * about {@code seconds/5} each after a warm-up round.
 */
final class MatMulTable {
    /** m, n, k, transA, transB, what it is. */
    static final Object[][] SHAPES = {
        {3072, 256, 8, false, false, "W1 input projection [B*T,F]x[F,4H]"},
        {64, 256, 64, false, false, "W1 recurrent step [B,H]x[H,4H]"},
        {64, 256, 64, true, false, "W1 dU += h^T dz (per step)"},
        {64, 64, 256, false, true, "W1 dh = dz U^T (per step)"},
        {128, 2048, 512, false, false, "W3 recurrent step"},
        {8192, 2048, 256, false, false, "W3 input projection"},
        {256, 2048, 8192, true, false, "W3 dW = X^T dZ"},
        {8192, 256, 2048, false, true, "W3 dX = dZ W^T"},
        {1, 256, 64, false, false, "L1 recurrent step (batch 1)"},
        {2048, 2048, 2048, false, false, "sgemm 2048^2"},
    };

    private MatMulTable() {
    }

    static void run(boolean json, PrintStream out, boolean withScalar, double seconds) {
        MatMul[] impls = withScalar
                ? new MatMul[] {new ScalarMatMul(), new VectorMatMul(1), new VectorMatMul()}
                : new MatMul[] {new VectorMatMul(1), new VectorMatMul()};
        for (Object[] s : SHAPES) {
            int m = (int) s[0], n = (int) s[1], k = (int) s[2];
            boolean tA = (boolean) s[3], tB = (boolean) s[4];
            SplittableRandom r = new SplittableRandom(7);
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextDouble(-1, 1);
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) r.nextDouble(-1, 1);
            }
            double flop = 2.0 * m * n * k;
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("kind", "matmul");
            rec.put("shape", m + "x" + k + (tA ? "^T" : "") + " * " + k + "x" + n + (tB ? "^T" : ""));
            rec.put("what", s[5]);
            for (MatMul mm : impls) {
                double sec = seconds * (mm instanceof ScalarMatMul ? 0.5 : 1);
                double best = time(mm, tA, tB, m, n, k, a, b, c, sec);
                rec.put(mm.name() + "_gflops", Stats.round(flop / best / 1e9, 1));
                rec.put(mm.name() + "_us", Stats.round(best * 1e6, 2));
            }
            out.println(json ? Json.write(rec) : rec.toString());
        }
    }

    private static double time(MatMul mm, boolean tA, boolean tB, int m, int n, int k,
                               float[] a, float[] b, float[] c, double seconds) {
        int lda = tA ? m : k, ldb = tB ? k : n;
        long t0 = System.nanoTime();
        int reps = 0;
        while (reps < 2 || System.nanoTime() - t0 < seconds * 0.2e9) {
            mm.gemm(tA, tB, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false);
            reps++;
        }
        double per = (System.nanoTime() - t0) / 1e9 / reps;
        int n1 = (int) Math.max(1, seconds / 5 / per);
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < n1; i++) {
                mm.gemm(tA, tB, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false);
            }
            best = Math.min(best, (System.nanoTime() - t) / 1e9 / n1);
        }
        return best;
    }
}
