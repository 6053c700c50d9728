package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * The time loop allocates nothing: once a layer's buffers are sized, a forward call over 400
 * steps allocates about what the output tensor needs, however long the sequence. Measured with
 * the scalar reference kernels, so it checks the layer code, not the JIT state of the SIMD ones.
 */
class RecurrentAllocationTest {
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void forwardAllocationDoesNotGrowWithTimesteps() {
        int b = 4;
        int t = 400;
        Tensor x = GradientCheck.randn(1, 1f, b, t, 3);
        Mask mask = RecurrentFusedVsReferenceTest.randomMask(2, b, t);
        allocatedBytes(); // the first call initialises the management bean
        for (RecurrentLayer<?> l : new RecurrentLayer<?>[] {new SimpleRNN(8), new LSTM(8), new GRU(8),
                new GRU(8).resetAfter(false), new LSTM(8).recurrentDropout(0.3).dropout(0.2)}) {
            l.build(new int[] {t, 3}, new Rng(3));
            // This test is about the layer's own loop; the SIMD matmul has its own tests.
            l.useScalarKernels();
            // The first call sizes the buffers; the fewest bytes over a few calls is the steady state.
            long used = Long.MAX_VALUE;
            long before = 0;
            for (int i = 0; i < 5; i++) {
                before = allocatedBytes();
                l.forward(x, mask, true);
                used = Math.min(used, allocatedBytes() - before);
            }
            // (asserted only after measuring: the first assertion loads classes on this thread)
            assertTrue(before > 0, "thread allocation counting is not available on this JVM");
            // Output, bias row and dropout masks: a few KB. Per-step allocation would be >= 400 objects.
            assertTrue(used < 8_000, l.className() + " allocated " + used + " bytes for " + t + " steps");
        }
    }
}
