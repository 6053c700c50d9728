package org.rnn4j.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.ScalarMatMul;
import org.rnn4j.kernels.vector.VectorMatMul;

/**
 * Matmul time at the shapes RNNs use and at a 2048^2 sgemm. GFLOP/s = 2*m*n*k / time; the
 * secondary score "flops" (ops/s with {@code -prof} off) is printed by {@link #gemm} as
 * operations: run with {@code -rf json} and divide, or use {@code BenchMain --matmul}.
 *
 * <p>Shapes "MxNxK:TT": T marks a transposed operand (A^T B = weight gradients, A B^T = input
 * gradients).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatMulBenchmark {
    @Param({"3072x256x8:NN", "8192x2048x256:NN", "64x256x64:NN", "128x2048x512:NN",
            "256x2048x8192:TN", "8192x256x2048:NT", "64x256x64:TN", "64x64x256:NT", "2048x2048x2048:NN"})
    public String shape;

    /** scalar, vector1 (one thread) or vector (all threads of the pool). */
    @Param({"vector", "vector1"})
    public String impl;

    private MatMul mm;
    private boolean tA, tB;
    private int m, n, k;
    private float[] a, b, c;

    @Setup
    public void setUp() {
        String[] parts = shape.split(":");
        String[] d = parts[0].split("x");
        m = Integer.parseInt(d[0]);
        n = Integer.parseInt(d[1]);
        k = Integer.parseInt(d[2]);
        tA = parts[1].charAt(0) == 'T';
        tB = parts[1].charAt(1) == 'T';
        mm = switch (impl) {
            case "scalar" -> new ScalarMatMul();
            case "vector1" -> new VectorMatMul(1);
            default -> new VectorMatMul();
        };
        SplittableRandom r = new SplittableRandom(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextDouble(-1, 1);
        }
    }

    @Benchmark
    public void gemm(Blackhole bh) {
        mm.gemm(tA, tB, m, n, k, a, 0, tA ? m : k, b, 0, tB ? k : n, c, 0, n, false);
        bh.consume(c);
    }
}
