package org.rnn4j.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The pool's hand-off under back-to-back calls from one thread: a call returns only when each of
 * its chunks has run exactly once, even when a worker still looking at the previous call's task
 * sees the next call being set up on the same task object.
 */
class PoolTest {
    @Test
    void everyChunkRunsExactlyOnceBeforeTheCallReturnsAcrossBackToBackCallsOfDifferentSizes() {
        Pool pool = new Pool(2);
        int calls = 100_000;
        int maxChunks = 7;
        AtomicIntegerArray runs = new AtomicIntegerArray(maxChunks);
        int[] wrong = new int[1];
        String[] first = new String[1];
        for (int call = 0; call < calls; call++) {
            // Alternate sizes: a worker finishing a 2-chunk call must not claim chunk 2.. of the next one.
            int chunks = call % 2 == 0 ? 2 : maxChunks;
            for (int q = 0; q < maxChunks; q++) {
                runs.set(q, 0);
            }
            pool.run((q, n, ws) -> {
                if (q == n - 1) {
                    for (int spin = 0; spin < 50; spin++) {
                        Thread.onSpinWait(); // the last chunk ends late, often on the worker
                    }
                }
                runs.incrementAndGet(q);
            }, chunks, 1);
            for (int q = 0; q < maxChunks; q++) {
                int expected = q < chunks ? 1 : 0;
                if (runs.get(q) != expected && wrong[0]++ == 0) {
                    first[0] = "call " + call + " (" + chunks + " chunks): chunk " + q + " ran " + runs.get(q) + " times";
                }
            }
        }
        assertEquals(0, wrong[0], first[0]);
    }
}
