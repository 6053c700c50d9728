package org.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The JIT warm-up runs every kernel path it names without failing and leaves results unchanged. */
class WarmUpTest {
    @Test
    void runsTheRoundsAskedForAndChangesNoResult() {
        float[] a = {1f, 2f, 3f, 4f};
        float[] b = {0.5f, -1f, 2f, 0.25f};
        float[] before = new float[4];
        Kernels.matmul().gemm(2, 2, 2, a, b, before, false);
        assertEquals(2, WarmUp.run(2, 600_000));
        assertTrue(WarmUp.done());
        float[] after = new float[4];
        Kernels.matmul().gemm(2, 2, 2, a, b, after, false);
        assertArrayEquals(before, after);
    }
}
