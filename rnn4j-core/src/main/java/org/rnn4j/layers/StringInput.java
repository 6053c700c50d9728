package org.rnn4j.layers;

import org.rnn4j.tensor.StringTensor;
import org.rnn4j.tensor.Tensor;

/**
 * A layer that reads a model input of dtype {@code "string"} (Keras's StringLookup). The graph
 * runs on float tensors, so strings stop at the boundary: {@code Model.predict} on strings calls
 * {@link #encodeStrings} for the input and feeds its result to the graph, where this layer's
 * {@code forward} takes that tensor (for StringLookup: the vocabulary ids) and computes its output.
 */
public interface StringInput {
    /** The tensor this layer's {@code forward} takes for these strings (same batch). */
    Tensor encodeStrings(StringTensor strings);

    /** Whether this layer reads strings now (a StringLookup with {@code invert=True} reads ids instead). */
    default boolean readsStrings() {
        return true;
    }
}
