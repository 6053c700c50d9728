package org.rnn4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks of flag values, done before any work (no data is loaded, nothing is printed first): each
 * failure is a {@link CliException} naming the flag, the value and the valid range, printed as one
 * line with exit code 2.
 */
public final class Flags {
    private Flags() {
    }

    /** {@code value >= min}. */
    public static void atLeast(String flag, long value, long min) {
        if (value < min) {
            throw new CliException(flag + " must be at least " + min + ", got " + value);
        }
    }

    /** A finite {@code value > 0}. */
    public static void positive(String flag, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new CliException(flag + " must be a number greater than 0, got " + value);
        }
    }

    /**
     * An output file that must not silently replace an existing one: refused unless {@code force};
     * its folder must be a folder if it exists.
     */
    public static void newOutput(String flag, Path file, boolean force) {
        if (Files.isDirectory(file)) {
            throw new CliException(flag + " " + file + " is a folder; give a file name");
        }
        if (Files.exists(file) && !force) {
            throw new CliException(flag + " " + file + " already exists; pass --force to overwrite it, or choose another " + flag);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
            throw new CliException(flag + " " + file + ": " + parent + " is not a folder");
        }
    }
}
