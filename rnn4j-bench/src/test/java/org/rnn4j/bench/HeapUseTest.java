package org.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeapUseTest {
    private static volatile Object sink;

    @Test
    void countsTheBytesAThreadAllocatesAndTheCollections() {
        HeapUse heap = HeapUse.start();
        for (int i = 0; i < 16; i++) {
            sink = new float[1 << 18]; // 16 x 1 MB
        }
        long bytes = heap.allocatedBytes();
        assertTrue(bytes >= 16L << 20, "allocated " + bytes + " bytes, at least 16 MB expected");
        System.gc();
        assertTrue(heap.collections() >= 1, "collections: " + heap.collections());
    }

    @Test
    void aTrainingStepOfOursAllocatesLittle() {
        // W0's model: a step allocates its loss and gradient tensors, not per time step or per vector.
        java.util.Map<String, Object> rec = WorkloadRunner.run(Workloads.all().get("W0"));
        double kb = ((Number) rec.get("train_alloc_kb_per_step")).doubleValue();
        assertTrue(kb >= 0 && kb < 256, "W0 allocated " + kb + " KB per training step");
        assertTrue(((Number) rec.get("train_gc_per_100_steps")).doubleValue() >= 0, rec.toString());
    }
}
