package org.rnn4j.cli.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rnn4j.cli.CliException;
import org.rnn4j.keras.Models;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;

/** Saving and loading models through the rnn4j-keras module. */
final class ModelFiles {
    private ModelFiles() {
    }

    /** Saves {@code base + ".keras"}; returns the path written. */
    static Path save(Sequential model, Path base, PrintStream out) {
        Path p = base.resolveSibling(base.getFileName() + ".keras");
        try {
            Path parent = p.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Models.save(model, p);
            return p;
        } catch (IOException | RuntimeException e) {
            throw new CliException("Cannot save the model to " + p + ": " + e.getMessage(), e);
        }
    }

    /** Loads a Sequential model file (commands that continue training a Sequential). */
    static Sequential load(Path file) {
        Model m = loadModel(file);
        if (!(m instanceof Sequential)) {
            throw new CliException("Model " + file + " is a functional model ('" + m.name() + "'); this command needs a Sequential model");
        }
        return (Sequential) m;
    }

    /** Loads any model file: Sequential or functional. */
    static Model loadModel(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CliException("Model file not found: " + file);
        }
        try {
            return Models.load(file);
        } catch (IOException e) {
            throw new CliException("Cannot load " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CliException("Cannot load " + file + ": " + e.getMessage(), e);
        }
    }
}
