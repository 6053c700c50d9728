package org.rnn4j.models;

import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.SymbolicTensor;

/**
 * Keras's {@code keras.Input}: a symbolic model input of a per-sample shape (batch axis excluded;
 * -1 for None). {@code Input.of(10, 4).name("series")}; integer ids: {@code Input.ofType("int32", 8)}.
 */
public final class Input {
    private Input() {
    }

    public static SymbolicTensor of(int... shape) {
        return new InputLayer(shape, "float32", null).output();
    }

    /**
     * An input of the given dtype ({@code float32}, {@code int32}, {@code int64}, or {@code string}:
     * read by a StringLookup, predicted with {@code Model.predict(StringTensor)}).
     */
    public static SymbolicTensor ofType(String dtype, int... shape) {
        return new InputLayer(shape, dtype, null).output();
    }
}
