package org.rnn4j.layers;

import org.rnn4j.tensor.StringTensor;
import org.rnn4j.tensor.Tensor;

/**
 * A layer whose Keras output has dtype {@code "string"} (StringLookup with {@code invert=True}).
 * The graph runs on float tensors, so strings stop at the boundary, mirroring {@link StringInput}:
 * inside the graph this layer's {@code forward} returns the integer ids, and
 * {@code Model.predictOutputs} turns them into strings with {@link #decodeStrings}. Such an output
 * can only be a model output (a layer reading strings inside the graph is not supported).
 */
public interface StringOutput {
    /** The strings for a tensor this layer's {@code forward} returned (same shape). */
    StringTensor decodeStrings(Tensor output);
}
