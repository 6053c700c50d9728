package org.rnn4j.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.rnn4j.models.Model;

/** A served name: its current version (swapped atomically on reload), its file and its batcher. */
final class ModelSlot {
    final String name;
    final Path path;
    final Batcher batcher;
    private final AtomicReference<ServedModel> current = new AtomicReference<>();
    private final boolean forceSerial;
    private long nextVersion = 1;
    /** File stamp (modified time and size) of the loaded file, and of a change seen once (file watch). */
    volatile String loadedStamp;
    volatile String seenStamp;
    volatile String refusedStamp;

    ModelSlot(String name, Path path, Batcher batcher, boolean forceSerial) {
        this.name = name;
        this.path = path;
        this.batcher = batcher;
        this.forceSerial = forceSerial;
    }

    ServedModel current() {
        return current.get();
    }

    /** Checks and installs {@code model} as the next version; the old one finishes its requests. */
    synchronized ServedModel install(Model model) {
        ServedModel m = new ServedModel(name, nextVersion, model, path, forceSerial);
        m.smokeTest();
        nextVersion++;
        current.set(m);
        return m;
    }

    /** Loads the file again; on any failure the current version stays and the reason is thrown. */
    synchronized ServedModel reload(ModelLoader loader) throws IOException {
        if (path == null) {
            throw new ApiException(400, "model '" + name + "' was given as an object, not a file: nothing to reload");
        }
        String stamp = stamp(path);
        Model model;
        try {
            model = loader.load(path);
        } catch (IOException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
            refusedStamp = stamp;
            throw new IOException(message(e), e);
        }
        if (model == null) {
            throw new IOException("the loader returned no model");
        }
        try {
            ServedModel m = install(model);
            loadedStamp = stamp;
            return m;
        } catch (RuntimeException e) {
            refusedStamp = stamp;
            throw new IOException("the loaded model does not run: " + message(e), e);
        }
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    static String stamp(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis() + ":" + Files.size(p);
        } catch (IOException e) {
            return "missing";
        }
    }
}
