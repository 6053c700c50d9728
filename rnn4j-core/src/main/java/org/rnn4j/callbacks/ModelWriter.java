package org.rnn4j.callbacks;

import java.io.IOException;
import java.nio.file.Path;
import org.rnn4j.models.Sequential;

/**
 * Writes a model to a file; {@link ModelCheckpoint} calls it on a temporary path and moves the
 * result into place. Modules register implementations with {@link java.util.ServiceLoader}
 * (rnn4j-keras registers one for {@code .keras}/{@code .h5}).
 */
@FunctionalInterface
public interface ModelWriter {
    void write(Sequential model, Path target) throws IOException;

    /** Whether this writer produces the format named by the file's extension (for ServiceLoader lookup). */
    default boolean supports(Path target) {
        return false;
    }
}
