package org.rnn4j.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by the threads alive at a start point, and the garbage collections since. A
 * training step of ours should allocate almost nothing once its buffers are sized: a kernel
 * whose vectors C2 failed to keep in registers allocates a box per operation, which timings
 * alone cannot tell from a slow machine and the JIT log does not always show (issue #10).
 */
final class HeapUse {
    private final long[] threadIds;
    private final long bytes0;
    private final long collections0;

    private HeapUse(long[] threadIds, long bytes0, long collections0) {
        this.threadIds = threadIds;
        this.bytes0 = bytes0;
        this.collections0 = collections0;
    }

    /** A start point: the live threads (the kernel pool's workers are long-lived) and their counts. */
    static HeapUse start() {
        long[] ids = ManagementFactory.getThreadMXBean().getAllThreadIds();
        return new HeapUse(ids, allocated(ids), collectionCount());
    }

    /** Bytes allocated since {@link #start} by the threads alive then, or -1 when the JVM does not count them. */
    long allocatedBytes() {
        long now = allocated(threadIds);
        return now < 0 || bytes0 < 0 ? -1 : now - bytes0;
    }

    /** Collections of all the JVM's collectors since {@link #start}, or -1 when they are not counted. */
    long collections() {
        long now = collectionCount();
        return now < 0 || collections0 < 0 ? -1 : now - collections0;
    }

    private static long allocated(long[] ids) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean sun)
                || !sun.isThreadAllocatedMemorySupported() || !sun.isThreadAllocatedMemoryEnabled()) {
            return -1;
        }
        long sum = 0;
        for (long b : sun.getThreadAllocatedBytes(ids)) {
            if (b > 0) { // -1 for a thread that has ended since
                sum += b;
            }
        }
        return sum;
    }

    private static long collectionCount() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            long c = gc.getCollectionCount();
            if (c < 0) {
                return -1;
            }
            sum += c;
        }
        return sum;
    }
}
