package org.rnn4j.layers;

/** A layer was given an input of the wrong shape; the message names the layer and both shapes. */
public final class LayerShapeException extends IllegalArgumentException {
    public LayerShapeException(String message) {
        super(message);
    }
}
