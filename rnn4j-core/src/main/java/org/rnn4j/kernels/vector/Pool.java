package org.rnn4j.kernels.vector;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A persistent team of worker threads for splitting kernel calls into fixed chunks of their
 * output, shared by any number of concurrent callers.
 *
 * <p>Each calling thread owns one {@link Task} (thread-local, reused: a call allocates nothing).
 * A call publishes its task in a free slot of a small table, wakes up to {@code helpers} workers
 * and then claims chunks of its own task like they do, from the task's own ticket; it returns
 * when every chunk is finished. Workers scan the table for any task with unclaimed chunks, so two
 * models computing at the same time both get helpers (before, one busy flag for the whole team
 * sent every concurrent caller down the single-threaded path). A worker the OS has not scheduled
 * costs nothing: the caller does the chunks itself.
 *
 * <p>Which thread computes a chunk never changes its result (the kernels compute every output
 * element the same way in any chunk, and each thread has its own pack buffers), so results do not
 * depend on timing, thread count or other callers.
 *
 * <p>Workers spin briefly after each chunk (RNN time steps arrive every few microseconds) and then
 * park, so an idle pool costs nothing.
 */
final class Pool {
    /** A job cut into {@code chunks} pieces; each piece writes a disjoint part of the output. */
    interface Job {
        void run(int chunk, int chunks, Workspace ws);
    }

    private static final long SPIN_NANOS = 50_000;
    /** Concurrent callers that can share the team; more run alone (same results). */
    static final int SLOTS = 16;
    /** A ticket's chunk part while its task is being set up: above any chunk count, so nothing is claimed. */
    private static final long CLOSED = Integer.MAX_VALUE;

    /**
     * One caller's call, reused for its next call. The ticket holds the call's generation in the
     * high 32 bits and the next unclaimed chunk in the low 32: a worker that read a stale task
     * can only claim a chunk of the generation it saw while that generation is still open, and
     * the caller rewrites the fields only after all chunks of the previous generation finished.
     *
     * <p>A new call first closes the ticket ({@link #CLOSED}), then writes {@code chunks} (volatile)
     * and the job, then opens the ticket. A worker reads the ticket, then {@code chunks}, then
     * claims by CAS on the ticket it read: if it saw the new {@code chunks}, the close came
     * before, so its CAS on the old ticket fails. Without the close, a worker that read the
     * finished ticket of a 2-chunk call and then the 7 chunks of the next call claimed "chunk 2"
     * of the finished call, ran chunk 2 of the new job a second time and counted it, and the
     * caller returned while a chunk was still running (PoolTest; wrong numbers under load).
     */
    static final class Task {
        private final AtomicLong ticket = new AtomicLong();
        private final AtomicInteger finished = new AtomicInteger();
        private final AtomicInteger helpersLeft = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Workspace ws = new Workspace();
        /** How many coarse tasks ({@link #runTasks}) this thread is inside: its kernels then stay on it. */
        private int coarseDepth;
        private Job job;
        private volatile int chunks;
        private long gen;
    }

    private final Worker[] workers;
    private final AtomicReferenceArray<Task> slots = new AtomicReferenceArray<>(SLOTS);
    private final ThreadLocal<Task> local = ThreadLocal.withInitial(Task::new);
    /** Calls that found every slot taken and ran on the caller alone (for tests and diagnostics). */
    private final AtomicLong soloRuns = new AtomicLong();

    Pool(int threads) {
        workers = new Worker[Math.max(0, threads - 1)];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker("rnn4j-kernel-" + (w + 1), w);
            workers[w].start();
        }
    }

    int threads() {
        return workers.length + 1;
    }

    /** The calling thread's workspace (for single-threaded calls). */
    Workspace workspace() {
        return local.get().ws;
    }

    long soloRuns() {
        return soloRuns.get();
    }

    /**
     * Whether the calling thread is running a task of {@link #runTasks}: its kernel calls then
     * stay single-threaded, since the other threads are busy with the sibling tasks (splitting
     * them too would only add hand-offs, and a worker waiting on its own nested split could
     * otherwise hold a slot the caller needs).
     */
    boolean insideTasks() {
        return local.get().coarseDepth > 0;
    }

    /**
     * Runs {@code body.accept(i)} for i in [0, n), the tasks spread over the caller and the
     * workers (coarse parallelism: e.g. the two directions of a bidirectional RNN). Each task's
     * own kernel calls run on the thread that runs the task ({@link #insideTasks}). A task not
     * yet started when the caller finishes its own is run by the caller, so an unscheduled worker
     * delays nothing; results never depend on which thread ran a task. Nested calls run their
     * tasks in order on the calling thread.
     */
    void runTasks(int n, java.util.function.IntConsumer body) {
        if (n <= 0) {
            return;
        }
        Task me = local.get();
        if (n == 1 || workers.length == 0 || me.coarseDepth > 0) {
            me.coarseDepth++;
            try {
                for (int i = 0; i < n; i++) {
                    body.accept(i);
                }
            } finally {
                me.coarseDepth--;
            }
            return;
        }
        run((q, chunks, ws) -> {
            Task t = local.get();
            t.coarseDepth++;
            try {
                body.accept(q);
            } finally {
                t.coarseDepth--;
            }
        }, n, Math.min(n - 1, workers.length));
    }

    /**
     * Runs {@code job} in {@code chunks} pieces on the caller and up to {@code helpers} workers,
     * and returns when all pieces are done. Any number of threads may call this at once; each
     * gets its own chunks computed exactly as a lone caller's would be.
     */
    void run(Job job, int chunks, int helpers) {
        Task t = local.get();
        int helping = Math.min(helpers, workers.length);
        // A call made from inside one of this thread's own calls (a chunk or a coarse task that
        // splits again) must not reuse the Task still in flight: it runs on this thread alone.
        boolean nested = t.job != null || t.coarseDepth > 0;
        int slot = helping > 0 && chunks > 1 && !nested ? claimSlot(t) : -1;
        if (slot < 0) {
            if (helping > 0 && chunks > 1 && !nested) {
                soloRuns.incrementAndGet();
            }
            for (int q = 0; q < chunks; q++) {
                job.run(q, chunks, t.ws);
            }
            return;
        }
        try {
            long g = ++t.gen & 0x7fffffffL;
            t.ticket.set(g << 32 | CLOSED); // before chunks changes: see Task
            t.job = job;
            t.chunks = chunks;
            t.finished.set(0);
            t.failure.set(null);
            t.helpersLeft.set(helping);
            t.ticket.set(g << 32); // publishes the fields above to workers that read the ticket
            for (int w = 0; w < helping; w++) {
                LockSupport.unpark(workers[(slot + w) % workers.length]);
            }
            work(t, t.ws);
            long start = System.nanoTime();
            while (t.finished.get() < chunks) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        } finally {
            t.job = null;
            slots.set(slot, null);
        }
        Throwable failure = t.failure.getAndSet(null);
        if (failure instanceof RuntimeException re) {
            throw re;
        } else if (failure instanceof Error e) {
            throw e;
        } else if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    private int claimSlot(Task t) {
        // Start at a per-thread place so concurrent callers rarely contend for the same slot.
        int start = (int) (Thread.currentThread().getId() % SLOTS);
        for (int i = 0; i < SLOTS; i++) {
            int s = (start + i) % SLOTS;
            if (slots.get(s) == null && slots.compareAndSet(s, null, t)) {
                return s;
            }
        }
        return -1;
    }

    /**
     * Claims and runs chunks of {@code t} until none is left (failures are kept for the caller).
     * Returns whether it ran any.
     */
    private static boolean work(Task t, Workspace ws) {
        boolean ran = false;
        while (true) {
            long tk = t.ticket.get();
            int q = (int) tk;
            // Read after the ticket (volatile): if it is a newer call's, the CAS below fails (see Task).
            int chunks = t.chunks;
            if (q >= chunks) {
                return ran;
            }
            if (!t.ticket.compareAndSet(tk, tk + 1)) {
                continue;
            }
            // Claimed: the generation is open until this chunk is counted, so the fields are stable.
            Job job = t.job;
            chunks = t.chunks;
            try {
                job.run(q, chunks, ws);
            } catch (Throwable e) {
                t.failure.compareAndSet(null, e);
            }
            ran = true;
            t.finished.incrementAndGet(); // after the failure is recorded: the caller reads it next
        }
    }

    /** A task's helper budget: a worker joins only while the caller's {@code helpers} allows. */
    private static boolean enlist(Task t) {
        while (true) {
            int h = t.helpersLeft.get();
            if (h <= 0) {
                return false;
            }
            if (t.helpersLeft.compareAndSet(h, h - 1)) {
                return true;
            }
        }
    }

    private final class Worker extends Thread {
        private final Workspace ws = new Workspace();
        private final int index;

        Worker(String name, int index) {
            super(name);
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            while (true) {
                boolean ran = false;
                for (int i = 0; i < SLOTS; i++) {
                    Task t = slots.get((index + i) % SLOTS);
                    if (t != null && (int) t.ticket.get() < t.chunks && enlist(t)) {
                        ran |= work(t, ws);
                    }
                }
                if (ran) {
                    start = System.nanoTime();
                } else if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                    start = System.nanoTime();
                }
            }
        }
    }
}
