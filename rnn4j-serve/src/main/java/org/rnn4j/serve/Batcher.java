package org.rnn4j.serve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.rnn4j.tensor.Tensor;

/**
 * Adaptive batching for one model name (TensorFlow Serving's {@code max_batch_size},
 * {@code batch_timeout_micros}, {@code num_batch_threads}, {@code max_enqueued_batches}).
 *
 * <p>Requests wait in a bounded queue (full: refused with 503). Worker threads take turns forming a
 * batch: the first waiting request opens it, and further requests for the same model version join
 * it until it holds {@code maxBatchSize} instances or the first request has waited
 * {@code maxWaitNanos}, or no other request for the model is on its way (being read or parsed);
 * so a lone request is never held longer than the max wait (a lone client not at all), and under load,
 * while every worker is busy predicting, the queue fills and the next batch forms at once. The
 * batch runs as one call of the model's thread-safe predict and its outputs are split back by rows.
 */
final class Batcher {
    /** One request's instances, checked against {@link #model}. */
    static final class Job {
        final ServedModel model;
        final List<Tensor> inputs;
        final int rows;
        final long enqueuedNanos = System.nanoTime();
        final CompletableFuture<List<Tensor>> result = new CompletableFuture<>();
        /** Set when the client stopped waiting (timeout): skipped, not computed. */
        volatile boolean abandoned;

        Job(ServedModel model, List<Tensor> inputs) {
            this.model = model;
            this.inputs = inputs;
            this.rows = inputs.get(0).dim(0);
        }
    }

    private final String name;
    private final int maxBatchSize;
    private final long maxWaitNanos;
    private final int capacity;
    private final Metrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    /** One worker forms a batch at a time; the others wait for their turn (or run their batch). */
    private final ReentrantLock forming = new ReentrantLock();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean flushNow;
    private boolean closed;
    private volatile int depth;
    /**
     * Requests for this model being read or parsed, not queued yet: while there are none, nothing is
     * about to join a batch, so it closes at once instead of waiting (a lone client pays no wait).
     */
    private final AtomicInteger arriving = new AtomicInteger();

    Batcher(String name, int maxBatchSize, long maxWaitMicros, int capacity, int threads, Metrics metrics) {
        this.name = name;
        this.maxBatchSize = Math.max(1, maxBatchSize);
        this.maxWaitNanos = TimeUnit.MICROSECONDS.toNanos(Math.max(0, maxWaitMicros));
        this.capacity = Math.max(1, capacity);
        this.metrics = metrics;
        for (int i = 0; i < Math.max(1, threads); i++) {
            Thread t = new Thread(this::work, "rnn4j-serve-" + name + "-batch-" + i);
            t.setDaemon(true);
            workers.add(t);
        }
        workers.forEach(Thread::start);
    }

    int depth() {
        return depth;
    }

    /**
     * A request for this model being read and parsed: while any is open, a forming batch may wait
     * for it (up to the max wait). It ends when its job is submitted or, if the request fails
     * before that (bad input), when it is closed.
     */
    final class Arrival implements AutoCloseable {
        private boolean ended;

        private Arrival() {
            arriving.incrementAndGet();
        }

        /** Queues the job; refuses with 503 when the queue is full or the server is stopping. */
        void submit(Job job) {
            enqueue(job, this);
        }

        @Override
        public void close() {
            end();
        }

        private void end() {
            if (!ended) {
                ended = true;
                arriving.decrementAndGet();
            }
        }
    }

    /** Counts a request for this model as on its way until its {@link Arrival} submits or closes. */
    Arrival arrive() {
        return new Arrival();
    }

    private void enqueue(Job job, Arrival arrival) {
        lock.lock();
        try {
            // Under the lock: a forming batch never sees the arrival gone and the job not yet queued.
            arrival.end();
            if (closed) {
                throw ApiException.unavailable("the server is shutting down");
            }
            if (queue.size() >= capacity) {
                throw ApiException.unavailable("model '" + name + "' is overloaded: " + queue.size()
                        + " requests queued (limit " + capacity + "); retry later");
            }
            queue.add(job);
            depth = queue.size();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops waiting for batches to fill: queued work runs at once (used while draining). */
    void flush() {
        flushNow = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new jobs, runs the queued ones, and waits up to {@code millis} for the workers to end. */
    void close(long millis) throws InterruptedException {
        lock.lock();
        try {
            closed = true;
            flushNow = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        long end = System.currentTimeMillis() + millis;
        for (Thread t : workers) {
            t.join(Math.max(1, end - System.currentTimeMillis()));
        }
    }

    private void work() {
        while (true) {
            List<Job> batch;
            forming.lock();
            try {
                batch = form();
            } catch (InterruptedException e) {
                return;
            } finally {
                forming.unlock();
            }
            if (batch == null) {
                return;
            }
            run(batch);
        }
    }

    private Job headLive() {
        Job j;
        while ((j = queue.peek()) != null && j.abandoned) {
            queue.poll();
        }
        return j;
    }

    /** The next batch, or null once closed and empty. */
    private List<Job> form() throws InterruptedException {
        lock.lock();
        try {
            Job first;
            while ((first = headLive()) == null) {
                if (closed) {
                    return null;
                }
                changed.await();
            }
            queue.poll();
            List<Job> batch = new ArrayList<>();
            batch.add(first);
            int rows = first.rows;
            long deadline = first.enqueuedNanos + maxWaitNanos;
            while (rows < maxBatchSize) {
                Job next = headLive();
                if (next == null) {
                    long left = deadline - System.nanoTime();
                    if (flushNow || left <= 0 || arriving.get() == 0) {
                        break;
                    }
                    changed.awaitNanos(left);
                    continue;
                }
                if (next.model != first.model || rows + next.rows > maxBatchSize || !sameSampleShapes(first, next)) {
                    break;
                }
                queue.poll();
                batch.add(next);
                rows += next.rows;
            }
            depth = queue.size();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void run(List<Job> batch) {
        for (Iterator<Job> it = batch.iterator(); it.hasNext(); ) {
            if (it.next().abandoned) {
                it.remove();
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        ServedModel m = batch.get(0).model;
        int rows = 0;
        for (Job j : batch) {
            rows += j.rows;
        }
        metrics.batch(name, rows);
        List<Tensor> out;
        try {
            out = m.predict(merged(batch, m.inputs.size()), Math.max(32, maxBatchSize));
        } catch (RuntimeException | Error e) {
            if (batch.size() == 1) {
                batch.get(0).result.completeExceptionally(e);
                return;
            }
            // One request's values may be what fails (e.g. a token id out of range): run each alone.
            for (Job j : batch) {
                try {
                    j.result.complete(m.predict(j.inputs, Math.max(32, maxBatchSize)));
                } catch (RuntimeException | Error e2) {
                    j.result.completeExceptionally(e2);
                }
            }
            return;
        }
        if (batch.size() == 1) {
            batch.get(0).result.complete(out);
            return;
        }
        int off = 0;
        for (Job j : batch) {
            List<Tensor> mine = new ArrayList<>(out.size());
            for (Tensor t : out) {
                mine.add(t.slice(off, off + j.rows));
            }
            off += j.rows;
            j.result.complete(mine);
        }
    }

    /** Requests with a free axis (sequence length) of another size cannot share a batch. */
    private static boolean sameSampleShapes(Job a, Job b) {
        for (int i = 0; i < a.inputs.size(); i++) {
            int[] x = a.inputs.get(i).shape();
            int[] y = b.inputs.get(i).shape();
            x[0] = 0;
            y[0] = 0;
            if (!java.util.Arrays.equals(x, y)) {
                return false;
            }
        }
        return true;
    }

    private static List<Tensor> merged(List<Job> batch, int inputs) {
        if (batch.size() == 1) {
            return batch.get(0).inputs;
        }
        List<Tensor> xs = new ArrayList<>(inputs);
        for (int i = 0; i < inputs; i++) {
            List<Tensor> parts = new ArrayList<>(batch.size());
            for (Job j : batch) {
                parts.add(j.inputs.get(i));
            }
            xs.add(Tensor.concatRows(parts));
        }
        return xs;
    }
}
