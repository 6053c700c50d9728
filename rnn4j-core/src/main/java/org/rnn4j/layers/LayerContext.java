package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The private run state of one layer at one call site: what backward needs from the forward pass
 * and the buffers reused from call to call. A model keeps one context per node and per run (its
 * training run, or each concurrent {@code predict}), so a layer object holds only configuration
 * and weights: the same layer can sit at several nodes, and many threads can run one model at
 * once. A context is used by one thread at a time; it is never shared between concurrent calls.
 */
public final class LayerContext {
    private Object state;
    private final List<LayerContext> children = new ArrayList<>(2);
    private boolean inputGradientNeeded = true;
    private double addedLoss;

    /**
     * The layer's state object for this call site, created by {@code create} on first use and kept
     * for later calls, so buffers sized by one call are reused by the next.
     */
    @SuppressWarnings("unchecked")
    public <T> T state(Supplier<T> create) {
        if (state == null) {
            state = create.get();
        }
        return (T) state;
    }

    /** The state a forward pass left here, or null when none ran at this call site yet. */
    @SuppressWarnings("unchecked")
    public <T> T existingState() {
        return (T) state;
    }

    /** The context of a wrapped layer (TimeDistributed's inner layer, Bidirectional's copies, a nested model). */
    public LayerContext child(int index) {
        while (children.size() <= index) {
            children.add(new LayerContext().inputGradientNeeded(inputGradientNeeded));
        }
        return children.get(index);
    }

    /**
     * Whether backward must return the input gradient. A model's first layers do not need it in
     * training (Keras never computes it), so layers that can skip that work return null then.
     */
    public boolean inputGradientNeeded() {
        return inputGradientNeeded;
    }

    public LayerContext inputGradientNeeded(boolean value) {
        this.inputGradientNeeded = value;
        for (LayerContext c : children) {
            c.inputGradientNeeded(value);
        }
        return this;
    }

    /**
     * Keras's {@code add_loss} for this call: a scalar the model adds to the loss of the step
     * (training and {@code evaluate}). A layer adding a term that depends on its inputs or weights
     * also adds that term's gradient in its backward pass. Kept here, per call, never in the layer.
     */
    public void addLoss(double loss) {
        addedLoss += loss;
    }

    /** The losses added by the last call at this call site, wrapped layers' contexts included. */
    public double addedLoss() {
        double sum = addedLoss;
        for (LayerContext c : children) {
            sum += c.addedLoss();
        }
        return sum;
    }

    /** Forgets the losses of the previous call (a model calls this before each call of the layer). */
    public void clearAddedLoss() {
        addedLoss = 0;
        for (LayerContext c : children) {
            c.clearAddedLoss();
        }
    }
}
