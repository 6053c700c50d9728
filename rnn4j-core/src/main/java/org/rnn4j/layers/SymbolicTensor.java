package org.rnn4j.layers;

import org.rnn4j.tensor.Shapes;

/**
 * Keras's {@code KerasTensor}: a placeholder for a batch that flows through a model, known by its
 * per-sample shape (batch axis excluded, -1 for None), its dtype and the node that produces it.
 * Layers called on symbolic tensors ({@link Layer#call}) record the graph a
 * {@code org.rnn4j.models.Model} runs.
 */
public final class SymbolicTensor {
    private final Node node;
    private final int index;
    private final int[] shape;
    private final String dtype;

    SymbolicTensor(Node node, int index, int[] shape, String dtype) {
        this.node = node;
        this.index = index;
        this.shape = shape.clone();
        this.dtype = dtype;
    }

    /** The per-sample shape (batch axis excluded; -1 is None). */
    public int[] shape() {
        return shape.clone();
    }

    public String dtype() {
        return dtype;
    }

    /** The node whose output this is. */
    public Node node() {
        return node;
    }

    /** Which output of its node this is (0 unless the layer returns several, e.g. an LSTM's states). */
    public int outputIndex() {
        return index;
    }

    /** The layer that produces this tensor. */
    public Layer layer() {
        return node.layer();
    }

    /** The producing layer's name (an input's name for model inputs). */
    public String name() {
        return node.layer().name();
    }

    /** Renames a model input (Keras's {@code Input(name=...)}); other tensors are named by their layer. */
    public SymbolicTensor name(String newName) {
        if (!(node.layer() instanceof InputLayer)) {
            throw new IllegalStateException("Only model inputs can be renamed; tensor " + this
                    + " is named after its layer '" + node.layer().name() + "'");
        }
        node.layer().name(newName);
        return this;
    }

    @Override
    public String toString() {
        return "<SymbolicTensor shape=" + Shapes.withBatch(shape) + ", dtype=" + dtype + ", from '"
                + node.layer().name() + "'" + (index > 0 ? "[" + index + "]" : "") + ">";
    }
}
