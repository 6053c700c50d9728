package org.rnn4j.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.PackedMatrix;

/**
 * Several threads calling gemm at once on one shared matmul (as two models, or N threads
 * predicting with one model, do): each must get exactly, bit for bit, what a lone single-threaded
 * caller gets, and none may be sent down the single-threaded path because another is computing.
 */
class ConcurrentGemmTest {
    private static final int CALLERS = 4;
    private static final int ROUNDS = 12;

    /** One caller's problems: above the parallel threshold, odd sizes, all transposes, packed B too. */
    private static final class Work {
        final boolean tA, tB, acc;
        final int m, n, k;
        final float[] a, b, c0;
        float[] expected;
        float[] expectedPacked;

        Work(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            tA = r.nextBoolean();
            tB = r.nextBoolean();
            acc = r.nextBoolean();
            m = 97 + r.nextInt(80);
            n = 131 + r.nextInt(200);
            k = 150 + r.nextInt(120);
            a = fill(r, m * k);
            b = fill(r, k * n);
            c0 = fill(r, m * n);
        }

        float[] run(MatMul mm) {
            float[] c = c0.clone();
            mm.gemm(tA, tB, m, n, k, a, 0, tA ? m : k, b, 0, tB ? k : n, c, 0, n, acc);
            return c;
        }

        float[] runPacked(MatMul mm, PackedMatrix pb) {
            float[] c = c0.clone();
            mm.gemm(tA, m, n, k, a, 0, tA ? m : k, pb, c, 0, n, acc);
            return c;
        }
    }

    private static float[] fill(SplittableRandom r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    @Test
    void concurrentCallersGetTheSingleCallerBits() throws Exception {
        Pool pool = new Pool(3);
        MatMul shared = new VectorMatMul(pool, 3);
        MatMul alone = new VectorMatMul(1);
        List<Work> works = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            Work w = new Work(100 + i);
            assertTrue((long) w.m * w.n * w.k >= VectorMatMul.PARALLEL_MIN_FMAS);
            w.expected = w.run(alone);
            w.expectedPacked = w.runPacked(alone, alone.pack(w.tB, w.k, w.n, w.b, 0, w.tB ? w.k : w.n));
            works.add(w);
        }
        // One packed handle shared by every caller (N threads predicting with one model).
        Work common = works.get(0);
        PackedMatrix sharedB = shared.pack(common.tB, common.k, common.n, common.b, 0, common.tB ? common.k : common.n);

        CyclicBarrier start = new CyclicBarrier(CALLERS);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            Work w = works.get(i);
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    for (int round = 0; round < ROUNDS; round++) {
                        assertArrayEquals(w.expected, w.run(shared), "unpacked, round " + round);
                        assertArrayEquals(common.expectedPacked, common.runPacked(shared, sharedB),
                                "shared packed B, round " + round);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "caller-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(120_000);
            assertTrue(!t.isAlive(), t.getName() + " did not finish");
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        // Four callers fit the slot table: no call ran alone because another was computing.
        assertEquals(0, pool.soloRuns());
    }

    @Test
    void anyThreadCountGivesTheSameBits() {
        Pool pool = new Pool(4);
        Work w = new Work(7);
        float[] want = w.run(new VectorMatMul(1));
        for (int threads = 1; threads <= 4; threads++) {
            assertArrayEquals(want, w.run(new VectorMatMul(pool, threads)), threads + " threads");
        }
    }

    @Test
    void aFailingChunkReachesItsCallerAndThePoolStaysUsable() {
        Pool pool = new Pool(2);
        Pool.Job bad = (chunk, chunks, ws) -> {
            if (chunk == 1) {
                throw new IllegalStateException("chunk 1 failed");
            }
        };
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> pool.run(bad, 4, 1));
        assertEquals("chunk 1 failed", e.getMessage());
        Work w = new Work(8);
        assertArrayEquals(w.run(new VectorMatMul(1)), w.run(new VectorMatMul(pool, 2)));
    }
}
