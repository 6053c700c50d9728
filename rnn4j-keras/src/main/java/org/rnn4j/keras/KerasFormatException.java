package org.rnn4j.keras;

import java.io.IOException;

/**
 * A Keras model file that cannot be loaded: corrupt, truncated or hostile content, or a layer or
 * option rnn4j does not support. The message names the file part, the layer and what was expected.
 * Checked (an {@link IOException}) because it is a property of the file, not a programming error.
 */
public class KerasFormatException extends org.rnn4j.saving.ConfigException {
    private static final long serialVersionUID = 1L;

    public KerasFormatException(String message) {
        super(message);
    }

    public KerasFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
