package org.rnn4j.kernels;

import org.rnn4j.activations.Activation;
import org.rnn4j.activations.Activations;

/**
 * JIT warm-up for the kernels: runs every kernel path (each gemm branch, packed B, the fused LSTM
 * and GRU steps, the vector activations) on tiny operands until C2 has compiled them. Vector API
 * code runs ~100x slower in the interpreter and C1 (vectors are boxed objects there), so the first
 * full-size training step of a cold JVM pays seconds; on tiny operands the same cold code is
 * cheap, and the compiled methods are the same.
 *
 * <p>{@code -Drnn4j.warmup=MAX_MILLIS} (the {@code ./rnn4j} launcher sets it) runs it once, on the
 * thread that first uses {@link Kernels}, before that use; results never depend on it (it
 * touches only its own arrays).
 */
public final class WarmUp {
    private static volatile boolean done;

    private WarmUp() {
    }

    /** Whether a warm-up has run in this JVM. */
    public static boolean done() {
        return done;
    }

    /**
     * Rounds after which the kernels are compiled (measured on 2 cores under load: a round costs
     * ~660 ms cold (class loading included), ~85 ms by round 4, ~2 ms from round ~60).
     */
    public static final int ROUNDS = 64;

    /**
     * Runs the kernel paths on tiny operands for {@link #ROUNDS} rounds, or fewer if
     * {@code maxMillis} milliseconds pass first (at least one round). Returns the rounds run.
     */
    public static int run(long maxMillis) {
        return run(ROUNDS, maxMillis);
    }

    /** As {@link #run(long)} with the number of rounds given. */
    public static int run(int rounds, long maxMillis) {
        MatMul mm = Kernels.matmul();
        Activation tanh = Kernels.activation(Activations.get("tanh"));
        Activation sigmoid = Kernels.activation(Activations.get("sigmoid"));
        LstmStep lstm = Kernels.lstmStep(tanh, sigmoid);
        GruStep gru = Kernels.gruStep(tanh, sigmoid);
        int units = 16;
        int rows = 20;
        float[] a = fill(new float[rows * 300]);
        float[] b = fill(new float[300 * 1100]);
        float[] c = new float[rows * 1100];
        float[] big = fill(new float[140 * 140]);
        float[] bigC = new float[140 * 140];
        PackedMatrix packed = mm.pack(false, 300, 1000, b, 0, 1000);
        float[] pre = fill(new float[rows * 4 * units]);
        float[] gates = new float[rows * 4 * units];
        float[] state = fill(new float[2 * rows * units]);
        float[] h = fill(new float[2 * rows * units]);
        float[] actC = new float[2 * rows * units]; // aligned with the state at c[cOff]
        float[] dh = fill(new float[rows * units]);
        float[] dc = fill(new float[rows * units]);
        float[] dz = new float[rows * 4 * units];
        float[] dhPrev = new float[rows * units];
        float[] recH = fill(new float[rows * 3 * units]);
        float[] dRecH = new float[rows * 3 * units];
        boolean[] mask = new boolean[rows];
        java.util.Arrays.fill(mask, true);
        mask[1] = false;
        long end = System.nanoTime() + maxMillis * 1_000_000L;
        int round = 0;
        while (round < 1 || round < rounds && System.nanoTime() < end) {
            // The gemm branches a recurrent layer takes: in-place A and B, transposed A (weight
            // gradients), transposed B (input gradients: dot and panel paths), few rows (batch 1),
            // packed A for wide C, packed B panels, and one call big enough for the thread pool.
            mm.gemm(false, false, rows, 4 * units, 8, a, 0, 8, b, 0, 4 * units, c, 0, 4 * units, false);
            mm.gemm(false, false, rows, 4 * units, units, a, 0, units, b, 0, 4 * units, c, 0, 4 * units, true);
            mm.gemm(true, false, units, 4 * units, rows, a, 0, units, b, 0, 4 * units, c, 0, 4 * units, true);
            mm.gemm(false, true, rows, units, 4 * units, a, 0, 4 * units, b, 0, 4 * units, c, 0, units, false);
            mm.gemm(false, true, rows, 8, 4 * units, a, 0, 4 * units, b, 0, 4 * units, c, 0, 8, false);
            mm.gemm(false, false, 1, 4 * units, units, a, 0, units, b, 0, 4 * units, c, 0, 4 * units, false);
            mm.gemm(false, false, 7, 1030, 4, a, 0, 4, b, 0, 1030, c, 0, 1030, false);
            if (round % 32 == 0) {
                mm.gemm(false, 7, 1000, 300, a, 0, 300, packed, c, 0, 1000, true);
                mm.gemm(false, false, 140, 140, 110, big, 0, 140, big, 0, 140, bigC, 0, 140, false);
            }
            if (lstm != null) {
                lstm.forward(rows, units, pre, gates, 0, state, 0, rows * units, actC, h, 0, rows * units, mask, 0);
                lstm.backward(rows, units, gates, 0, state, 0, rows * units, actC, dh, dc, dz, dhPrev, mask, 0);
            }
            if (gru != null) {
                gru.forward(rows, units, pre, gates, 0, recH, 0, h, 0, rows * units, mask, 0);
                gru.backward(rows, units, gates, 0, recH, 0, h, 0, dh, dz, dRecH, dhPrev, mask, 0);
            }
            tanh.forward(pre, gates, 0, rows, 4 * units);
            sigmoid.forward(pre, gates, 0, rows, 4 * units);
            tanh.backward(pre, gates, dz, dRecH, 0, rows, 3 * units);
            sigmoid.backward(pre, gates, dz, dRecH, 0, rows, 3 * units);
            round++;
        }
        done = true;
        return round;
    }

    private static float[] fill(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = ((i * 7919) % 2001 - 1000) / 1000f;
        }
        return x;
    }
}
