package org.rnn4j.keras;

import java.io.IOException;
import java.nio.file.Path;
import org.rnn4j.models.Sequential;

/** Short names for {@link KerasModels}: {@code Models.load(Path.of("m.keras"))}. */
public final class Models {
    private Models() {
    }

    public static Sequential load(Path path) throws IOException {
        return KerasModels.load(path);
    }

    public static KerasGraph loadGraph(Path path) throws IOException {
        return KerasModels.loadGraph(path);
    }

    public static void save(Sequential model, Path path) throws IOException {
        KerasModels.save(model, path);
    }
}
