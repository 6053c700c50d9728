package org.rnn4j.cli.commands;

import java.io.PrintStream;
import java.nio.file.Path;
import org.rnn4j.cli.CliException;
import org.rnn4j.models.Sequential;

/** Saving and loading models through the rnn4j-keras module. */
final class ModelFiles {
    private ModelFiles() {
    }

    /** Saves {@code base + ".keras"}; returns the path written. */
    static Path save(Sequential model, Path base, PrintStream out) {
        Path p = base.resolveSibling(base.getFileName() + ".keras");
        throw new CliException("saving .keras files is not available in this build yet: " + p);
    }

    static Sequential load(Path file) {
        throw new CliException("loading model files is not available in this build yet: " + file);
    }
}
