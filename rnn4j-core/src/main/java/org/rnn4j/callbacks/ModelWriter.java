package org.rnn4j.callbacks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.rnn4j.io.AtomicFiles;
import org.rnn4j.models.Model;

/**
 * Writes a model to a file; {@link ModelCheckpoint} calls it on a temporary path and moves the
 * result into place. Modules register implementations with {@link java.util.ServiceLoader}
 * (rnn4j-keras registers one for {@code .keras} and {@code .weights.h5}).
 */
@FunctionalInterface
public interface ModelWriter {
    /** The file formats, by extension, that {@link #forPath} knows; any other extension is refused. */
    String SUPPORTED = "'.keras' (Keras 3 model, needs rnn4j-keras), '.weights.h5' (Keras 3 weights, needs rnn4j-keras)"
            + " or '.weights.bin' (rnn4j's own weights format, core only)";

    void write(Model model, Path target) throws IOException;

    /** Whether this writer produces the format named by the file's extension (for ServiceLoader lookup). */
    default boolean supports(Path target) {
        return false;
    }

    /**
     * The writer for {@code target}'s extension: a registered one ({@code .keras},
     * {@code .weights.h5} from rnn4j-keras), core's native format for {@code .weights.bin}. Any
     * other extension, or a Keras one without rnn4j-keras on the class path, is an
     * {@link IllegalArgumentException} saying what to do.
     */
    static ModelWriter forPath(Path target) {
        List<ModelWriter> registered = new ArrayList<>();
        for (ModelWriter w : ServiceLoader.load(ModelWriter.class)) {
            registered.add(w);
            if (w.supports(target)) {
                return w;
            }
        }
        NativeWeightsWriter nativeWriter = new NativeWeightsWriter();
        if (nativeWriter.supports(target)) {
            return nativeWriter;
        }
        String lower = target.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean keras = registered.stream().anyMatch(w -> w.getClass().getName().startsWith("org.rnn4j.keras."));
        if (lower.endsWith(".h5") && !lower.endsWith(".weights.h5") && keras) {
            throw new IllegalArgumentException("Cannot save '" + target + "': writing the legacy Keras HDF5 model format"
                    + " (.h5) is not supported; use " + SUPPORTED);
        }
        if (lower.endsWith(".keras") || lower.endsWith(".h5")) {
            throw new IllegalArgumentException("No writer for '" + target + "' on the class path;"
                    + " add the rnn4j-keras module, pass a ModelWriter, or use a '.weights.bin' path for core's native format");
        }
        throw new IllegalArgumentException("Cannot save '" + target + "': unknown file extension; use " + SUPPORTED);
    }

    /**
     * Has {@code writer} fill a temporary file beside {@code target}, then renames it over the
     * target atomically: a crash mid-write leaves the previous file intact, never a partial one,
     * and a failed write leaves no temporary file. The target's folder is created if missing; the
     * file gets the process's normal permissions (0666 less the umask), not a temp file's 0600.
     */
    static void writeAtomically(ModelWriter writer, Model model, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        AtomicFiles.write(target, tmp -> writer.write(model, tmp));
    }
}
