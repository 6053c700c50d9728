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

    /** The same with initial states in and final states out, through a context of the caller's. */
    @Test
    void forwardAllWithStatesAllocationDoesNotGrowWithTimesteps() {
        int b = 4;
        int t = 400;
        Tensor x = GradientCheck.randn(1, 1f, b, t, 3);
        java.util.List<Mask> masks = java.util.List.of(RecurrentFusedVsReferenceTest.randomMask(2, b, t));
        allocatedBytes();
        for (RecurrentLayer<?> l : new RecurrentLayer<?>[] {new SimpleRNN(8).returnState(true),
                new LSTM(8).returnState(true).returnSequences(true), new GRU(8).returnState(true),
                new GRU(8).resetAfter(false).returnState(true)}) {
            java.util.List<Tensor> in = new java.util.ArrayList<>(java.util.List.of(x));
            java.util.List<int[]> shapes = new java.util.ArrayList<>(java.util.List.of(new int[] {t, 3}));
            for (int k = 0; k < l.stateCount(); k++) {
                in.add(GradientCheck.randn(5 + k, 1f, b, 8));
                shapes.add(new int[] {8});
            }
            l.build(shapes, new Rng(3));
            l.useScalarKernels();
            LayerContext ctx = new LayerContext();
            long used = Long.MAX_VALUE;
            long before = 0;
            for (int i = 0; i < 5; i++) {
                before = allocatedBytes();
                l.forwardAll(in, masks, true, ctx);
                used = Math.min(used, allocatedBytes() - before);
            }
            assertTrue(before > 0, "thread allocation counting is not available on this JVM");
            // Output (LSTM: 4 x 400 x 8 floats = 51 KB), states and lists; per-step allocation would add >= 400 objects.
            long output = l.returnSequences() ? 4L * b * t * 8 : 4L * b * 8;
            assertTrue(used < output + 8_000, l.className() + " allocated " + used + " bytes for " + t + " steps");
        }
    }
}
