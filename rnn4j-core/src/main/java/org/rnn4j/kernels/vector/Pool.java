package org.rnn4j.kernels.vector;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A persistent team of worker threads for splitting one kernel call into fixed chunks of its
 * output. The caller and the workers claim chunks from a shared ticket until none is left, so a
 * worker that the OS has not scheduled yet (a busy machine) costs nothing: the caller does the
 * chunks itself. Which thread computes a chunk never changes its result (the kernels compute
 * every output element the same way in any chunk), so results do not depend on timing.
 *
 * <p>Workers spin briefly after each job (RNN time steps arrive every few microseconds) and
 * then park, so an idle pool costs nothing. One call at a time uses the team; a concurrent
 * caller gets {@code false} from {@link #tryRun} and runs alone, with the same results.
 */
final class Pool {
    /** A job cut into {@code chunks} pieces; each piece writes a disjoint part of the output. */
    interface Job {
        void run(int chunk, int chunks, Workspace ws);
    }

    private static final long SPIN_NANOS = 50_000;

    /** One posted job: immutable, so a late worker sees a consistent (job, generation) pair. */
    private record Post(Job job, long gen, int chunks) {
    }

    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final ThreadLocal<Workspace> local = ThreadLocal.withInitial(Workspace::new);
    /** Generation in the high 32 bits, next unclaimed chunk in the low 32. */
    private final AtomicLong ticket = new AtomicLong();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Post post;
    private long gen;

    Pool(int threads) {
        workers = new Worker[Math.max(0, threads - 1)];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker("rnn4j-kernel-" + (w + 1));
            workers[w].start();
        }
    }

    int threads() {
        return workers.length + 1;
    }

    /** The calling thread's workspace (for single-threaded calls). */
    Workspace workspace() {
        return local.get();
    }

    /**
     * Runs {@code job} in {@code chunks} pieces on the caller and up to {@code helpers} workers,
     * and returns when all pieces are done. Returns false (having run nothing) if the team is in
     * use by another call.
     */
    boolean tryRun(Job job, int chunks, int helpers) {
        if (!busy.compareAndSet(false, true)) {
            return false;
        }
        try {
            long g = ++gen & 0x7fffffffL;
            finished.set(0);
            failure.set(null);
            ticket.set(g << 32);
            Post p = new Post(job, g, chunks);
            post = p;
            for (int w = 0; w < Math.min(helpers, workers.length); w++) {
                LockSupport.unpark(workers[w]);
            }
            work(p, local.get());
            long start = System.nanoTime();
            while (finished.get() < chunks) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            Throwable failure = this.failure.getAndSet(null);
            if (failure instanceof RuntimeException re) {
                throw re;
            } else if (failure instanceof Error e) {
                throw e;
            } else if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return true;
        } finally {
            busy.set(false);
        }
    }

    /** Claims and runs chunks of {@code p} until none is left (failures are kept for the caller). */
    private void work(Post p, Workspace ws) {
        while (true) {
            long t = ticket.get();
            if ((t >>> 32) != p.gen()) {
                return;
            }
            int q = (int) t;
            if (q >= p.chunks()) {
                return;
            }
            if (!ticket.compareAndSet(t, t + 1)) {
                continue;
            }
            try {
                p.job().run(q, p.chunks(), ws);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
            finished.incrementAndGet(); // after the failure is recorded: the caller reads it next
        }
    }

    private final class Worker extends Thread {
        private final Workspace ws = new Workspace();

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long start = System.nanoTime();
                Post p;
                while ((p = post) == null || p.gen() == seen) {
                    if (System.nanoTime() - start < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                seen = p.gen();
                work(p, ws);
            }
        }
    }
}
