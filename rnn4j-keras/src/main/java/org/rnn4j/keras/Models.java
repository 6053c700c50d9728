package org.rnn4j.keras;

import java.io.IOException;
import java.nio.file.Path;
import org.rnn4j.models.Model;

/** Short names for {@link KerasModels}: {@code Models.load(Path.of("m.keras"))}. */
public final class Models {
    private Models() {
    }

    /** Loads any Keras model file: a {@link org.rnn4j.models.Sequential} for Sequential files, else a functional {@link Model}. */
    public static Model load(Path path) throws IOException {
        return KerasModels.load(path);
    }

    public static void save(Model model, Path path) throws IOException {
        KerasModels.save(model, path);
    }
}
