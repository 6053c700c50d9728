package org.rnn4j.callbacks;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.ServiceLoader;
import org.rnn4j.models.Model;

/**
 * Writes a model to a file; {@link ModelCheckpoint} calls it on a temporary path and moves the
 * result into place. Modules register implementations with {@link java.util.ServiceLoader}
 * (rnn4j-keras registers one for {@code .keras}/{@code .h5}).
 */
@FunctionalInterface
public interface ModelWriter {
    void write(Model model, Path target) throws IOException;

    /** Whether this writer produces the format named by the file's extension (for ServiceLoader lookup). */
    default boolean supports(Path target) {
        return false;
    }

    /**
     * The registered writer for {@code target}'s format; core's native weights format for other
     * extensions. A {@code .keras}/{@code .h5} path without rnn4j-keras on the class path fails with the fix.
     */
    static ModelWriter forPath(Path target) {
        for (ModelWriter w : ServiceLoader.load(ModelWriter.class)) {
            if (w.supports(target)) {
                return w;
            }
        }
        String lower = target.getFileName().toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".keras") || lower.endsWith(".h5")) {
            throw new IllegalArgumentException("No writer for '" + target + "' on the class path;"
                    + " add the rnn4j-keras module, pass a ModelWriter, or use a '.weights.bin' path for core's native format");
        }
        return new NativeWeightsWriter();
    }

    /**
     * Has {@code writer} fill a temporary file beside {@code target}, then renames it over the
     * target atomically: a crash mid-write leaves the previous file intact, never a partial one.
     */
    static void writeAtomically(ModelWriter writer, Model model, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // The temporary name ends with the target's name, so writers that look at the extension still work.
        Path tmp = Files.createTempFile(dir, ".tmp-", "-" + target.getFileName());
        boolean moved = false;
        try {
            writer.write(model, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
