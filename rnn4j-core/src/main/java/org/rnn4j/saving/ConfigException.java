package org.rnn4j.saving;

import java.io.IOException;

/**
 * A layer or model config that cannot be turned into layers: a missing or malformed option, an
 * unsupported value, an unknown layer class. The message names the layer (its position, name and
 * class) and the option. Checked, because it is a property of the saved config, not a programming error.
 */
public class ConfigException extends IOException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
