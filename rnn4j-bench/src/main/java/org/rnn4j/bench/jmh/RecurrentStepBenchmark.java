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
import org.rnn4j.kernels.PackedMatrix;
import org.rnn4j.kernels.ScalarMatMul;
import org.rnn4j.kernels.vector.VectorMatMul;

/**
 * One recurrent step's product {@code h[rows, H] . U[H, 4H]} on one thread, with U read in place
 * ({@code inplace}: the unpacked gemm) or from the panels a layer packs once per call
 * ({@code packed}), and the bias gradient's column sums of a {@code [T*B, 4H]} gradient (scalar
 * loop against vectors). W1 is H = 64 (U is 64 KB), W4 H = 128; rows 1 is L1's batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class RecurrentStepBenchmark {
    /** rows x H. */
    @Param({"1x64", "4x64", "32x64", "64x64", "1x128"})
    public String step;

    private final MatMul mm = new VectorMatMul(1);
    private final MatMul scalar = new ScalarMatMul();
    private int rows;
    private int units;
    private float[] h;
    private float[] u;
    private float[] z;
    private PackedMatrix packed;
    private float[] dz;
    private float[] bias;

    @Setup
    public void setUp() {
        String[] d = step.split("x");
        rows = Integer.parseInt(d[0]);
        units = Integer.parseInt(d[1]);
        int gh = 4 * units;
        SplittableRandom r = new SplittableRandom(42);
        h = random(r, rows * units);
        u = random(r, units * gh);
        z = new float[rows * gh];
        packed = mm.pack(false, units, gh, u, 0, gh);
        dz = random(r, 48 * 64 * gh);
        bias = new float[gh];
    }

    @Benchmark
    public void inplace(Blackhole bh) {
        int gh = 4 * units;
        mm.gemm(false, false, rows, gh, units, h, 0, units, u, 0, gh, z, 0, gh, true);
        bh.consume(z);
    }

    @Benchmark
    public void packed(Blackhole bh) {
        int gh = 4 * units;
        mm.gemm(false, rows, gh, units, h, 0, units, packed, z, 0, gh, true);
        bh.consume(z);
    }

    /** W1's bias gradient (48 x 64 rows), vectors across columns. */
    @Benchmark
    public void columnSumsVector(Blackhole bh) {
        int gh = 4 * units;
        mm.addColumnSums(48 * 64, gh, dz, 0, gh, bias, 0);
        bh.consume(bias);
    }

    /** The same sums, row by row (the loop C2 did not vectorize). */
    @Benchmark
    public void columnSumsScalar(Blackhole bh) {
        int gh = 4 * units;
        scalar.addColumnSums(48 * 64, gh, dz, 0, gh, bias, 0);
        bh.consume(bias);
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble(-1, 1);
        }
        return v;
    }
}
