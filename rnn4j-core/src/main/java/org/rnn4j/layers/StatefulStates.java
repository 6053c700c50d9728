package org.rnn4j.layers;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * The carried states of one stateful recurrent layer (Keras's {@code stateful=True}): the final
 * states of each call become the initial states of the next, until {@link #reset()}.
 *
 * <p>Why per layer and not per thread: Keras keeps them in the layer's {@code states} variables,
 * so consecutive {@code predict}/{@code fit} calls continue one sequence whichever code path runs
 * them; a per-thread copy would silently split that sequence. Two overlapping calls on one
 * stateful layer cannot both continue it, so the second is refused with an error (use one model
 * per thread, or stateful=false) instead of mixing the two streams' states.
 */
public final class StatefulStates {
    private final ReentrantLock lock = new ReentrantLock();
    private Tensor[] states;
    private int batch = -1;

    /** The fixed batch size, or -1 until the first call (or a declared one) fixes it. */
    public synchronized int batchSize() {
        return batch;
    }

    /** Fixes the batch size before the first call (Keras's {@code batch_size} of the Input). */
    public synchronized void batchSize(int value) {
        this.batch = value;
        this.states = null;
    }

    /**
     * Starts a call of {@code layer} on a batch of {@code b}: checks the fixed batch size and takes
     * the call lock. Returns the carried states (null entries = zeros, before the first call).
     */
    public Tensor[] begin(Layer layer, int b, int[] stateSizes) {
        if (!lock.tryLock()) {
            throw new IllegalStateException("Layer '" + layer.name() + "' (" + layer.className() + ") is stateful and is"
                    + " already running in another call: a stateful layer carries one sequence of states from call to"
                    + " call, so it cannot run concurrently (e.g. predict from several threads); use one model per"
                    + " thread, or stateful=false");
        }
        synchronized (this) {
            if (batch < 0) {
                batch = b;
            }
            if (b != batch) {
                lock.unlock();
                throw new IllegalArgumentException("Layer '" + layer.name() + "' (" + layer.className() + ") is stateful"
                        + " with a fixed batch size of " + batch + " but got a batch of " + b + " (as Keras: the batch"
                        + " size of the input sequences must equal that of the states); pass batches of exactly " + batch
                        + " (e.g. predict(x, " + batch + ") with a sample count divisible by it), or stateful=false");
            }
            if (states == null) {
                states = new Tensor[stateSizes.length];
                for (int k = 0; k < stateSizes.length; k++) {
                    states[k] = Tensor.zeros(b, stateSizes[k]);
                }
            }
            return states.clone();
        }
    }

    /** Ends the call begun by {@link #begin}: keeps {@code finals} (null = failed call, keep the old). */
    public void end(List<Tensor> finals) {
        try {
            if (finals != null) {
                synchronized (this) {
                    Tensor[] s = new Tensor[finals.size()];
                    for (int k = 0; k < s.length; k++) {
                        s[k] = finals.get(k).copy();
                    }
                    states = s;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Keras's {@code reset_state()}: the next call starts from zeros. */
    public synchronized void reset() {
        if (states != null) {
            for (Tensor t : states) {
                java.util.Arrays.fill(t.data(), 0f);
            }
        }
    }

    /** Sets the carried states explicitly (each {@code (batch, size)}), fixing the batch size. */
    public synchronized void set(Layer layer, List<Tensor> values, int[] stateSizes) {
        if (values.size() != stateSizes.length) {
            throw new IllegalArgumentException("Layer '" + layer.name() + "' has " + stateSizes.length
                    + " states but got " + values.size());
        }
        Tensor[] s = new Tensor[values.size()];
        for (int k = 0; k < s.length; k++) {
            Tensor v = values.get(k);
            if (v.rank() != 2 || v.dim(1) != stateSizes[k] || (batch >= 0 && v.dim(0) != batch)) {
                throw new IllegalArgumentException("Layer '" + layer.name() + "': state " + k + " must have shape ("
                        + (batch >= 0 ? batch : "batch") + ", " + stateSizes[k] + ") but got " + Shapes.toString(v.shape()));
            }
            s[k] = v.copy();
        }
        batch = s[0].dim(0);
        states = s;
    }

    /** Copies of the carried states (zeros-filled null before the first call). */
    public synchronized List<Tensor> get() {
        if (states == null) {
            return List.of();
        }
        Tensor[] c = new Tensor[states.length];
        for (int k = 0; k < c.length; k++) {
            c[k] = states[k].copy();
        }
        return List.of(c);
    }
}
