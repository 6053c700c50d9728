package org.rnn4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rnn4j.keras.KerasModels;
import org.rnn4j.models.Model;

/**
 * How a model travels to the executors: its architecture and compile settings as data, never as
 * Java-serialized layers. Today that is the bytes of the {@code .keras} file that
 * {@link Model#save} writes (Keras's config JSON, compile config and weights) read back with
 * {@link KerasModels#load}; once the core has {@code Model.fromConfig} this one class becomes
 * config JSON + compile config + {@code float[]} weights, and nothing else changes.
 * The per-step weights are not taken from here: the trainer broadcasts them separately.
 */
public final class ModelPayload implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] kerasFile;

    private ModelPayload(byte[] kerasFile) {
        this.kerasFile = kerasFile;
    }

    /** The model as it is now (architecture, compile settings, weights). */
    public static ModelPayload of(Model model) {
        if (!model.isCompiled()) {
            throw new IllegalArgumentException("Model '" + model.name() + "' is not compiled: call compile(...) before"
                    + " training it on Spark (the executors use its loss)");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("rnn4j-payload-");
            Path file = dir.resolve("model.keras");
            model.save(file);
            return new ModelPayload(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Model '" + model.name() + "' cannot be sent to Spark: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** The payload's size in bytes (what is broadcast once per fit). */
    public int size() {
        return kerasFile.length;
    }

    /** A new, independent, compiled copy of the model. */
    public Model build() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("rnn4j-payload-");
            Path file = dir.resolve("model.keras");
            Files.write(file, kerasFile);
            return KerasModels.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("The model payload cannot be read: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
