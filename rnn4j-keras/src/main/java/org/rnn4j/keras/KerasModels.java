package org.rnn4j.keras;

import java.io.IOException;
import java.nio.file.Path;
import org.rnn4j.models.Model;

/**
 * Keras model files. {@link #load} reads Keras 3 {@code .keras} zips and legacy {@code .h5}
 * files (Keras 3 and tf.keras / Keras 2.x): Sequential models as {@link org.rnn4j.models.Sequential},
 * Functional models (several inputs and outputs, shared and nested layers, recurrent states) as a
 * functional {@link Model} built through the core's layer calls;
 * {@link #save} writes a {@code .keras} zip that Keras 3 loads with {@code keras.saving.load_model}.
 */
public final class KerasModels {
    private KerasModels() {
    }

    /** Loads a model with the default {@link KerasLimits}; the format is detected from the content. */
    public static Model load(Path path) throws IOException {
        return load(path, KerasLimits.defaults());
    }

    /**
     * Loads a model. Throws {@link KerasFormatException} for a corrupt, truncated or hostile file
     * or an unsupported layer/option (the message names it and its position); nothing is returned
     * half-loaded.
     */
    public static Model load(Path path, KerasLimits limits) throws IOException {
        // Layers take their saved names; the user's next new Dense is still "dense", as in Keras.
        return org.rnn4j.util.Names.withoutCounting(() -> new KerasLoader(limits).load(path));
    }

    /**
     * Saves a built model as a Keras 3 {@code .keras} zip, atomically (temp file + move, nothing
     * left behind on failure), with the process's normal file permissions (umask), not 0600.
     */
    public static void save(Model model, Path path) throws IOException {
        org.rnn4j.callbacks.ModelWriter.writeAtomically(KerasSaver::save, model, path);
    }
}
