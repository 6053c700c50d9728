package org.rnn4j.kernels.vector;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A persistent team of worker threads for splitting one kernel call into fixed parts. The caller
 * runs part 0 itself; worker w runs part w+1. Workers spin briefly after each job (RNN time steps
 * arrive every few microseconds) and then park, so an idle pool costs nothing.
 *
 * <p>One call at a time uses the team; a concurrent caller gets {@code false} from
 * {@link #tryRun} and runs alone. Kernels make their results independent of the partition, so
 * that fallback changes timing only, never results.
 */
final class Pool {
    /** A job split into {@code parts} pieces; each piece must write a disjoint part of the output. */
    interface Job {
        void run(int part, int parts, Workspace ws);
    }

    private static final long SPIN_NANOS = 50_000;

    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final ThreadLocal<Workspace> local = ThreadLocal.withInitial(Workspace::new);

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
     * Runs {@code job} in {@code parts <= threads()} pieces on the team and waits for all of them.
     * Returns false (having run nothing) if the team is in use by another call.
     */
    boolean tryRun(Job job, int parts) {
        if (parts > threads() || !busy.compareAndSet(false, true)) {
            return false;
        }
        try {
            Thread me = Thread.currentThread();
            for (int w = 0; w < parts - 1; w++) {
                workers[w].post(job, w + 1, parts, me);
            }
            Throwable failure = null;
            try {
                job.run(0, parts, local.get());
            } catch (Throwable t) {
                failure = t;
            }
            for (int w = 0; w < parts - 1; w++) {
                Throwable t = workers[w].await();
                if (failure == null) {
                    failure = t;
                }
            }
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

    private static final class Worker extends Thread {
        private final Workspace ws = new Workspace();
        private volatile long posted;
        private volatile long done;
        private volatile Thread waiter;
        private Job job;
        private int part;
        private int parts;
        private Throwable failure;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        void post(Job j, int p, int n, Thread caller) {
            job = j;
            part = p;
            parts = n;
            failure = null;
            waiter = null;
            posted = posted + 1; // volatile write publishes the fields above
            LockSupport.unpark(this);
        }

        Throwable await() {
            long target = posted;
            long start = System.nanoTime();
            while (done != target) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    waiter = Thread.currentThread();
                    if (done != target) {
                        LockSupport.park(this);
                    }
                }
            }
            waiter = null;
            Throwable t = failure;
            job = null;
            return t;
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long start = System.nanoTime();
                long p;
                while ((p = posted) == seen) {
                    if (System.nanoTime() - start < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                seen = p;
                try {
                    job.run(part, parts, ws);
                } catch (Throwable t) {
                    failure = t;
                }
                done = p;
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }
    }
}
