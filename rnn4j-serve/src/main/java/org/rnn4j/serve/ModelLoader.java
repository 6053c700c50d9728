package org.rnn4j.serve;

import java.io.IOException;
import java.nio.file.Path;
import org.rnn4j.models.Model;

/** Loads a model file for serving; the default reads Keras {@code .keras} and {@code .h5} files. */
@FunctionalInterface
public interface ModelLoader {
    Model load(Path path) throws IOException;

    static ModelLoader keras() {
        return org.rnn4j.keras.KerasModels::load;
    }
}
