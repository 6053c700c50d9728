package org.rnn4j.keras;

import io.jhdf.api.Group;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells a {@code .keras} zip from a legacy {@code .h5} file by its first bytes, opens it and hands
 * its model config and weights to a {@link Builder} while the HDF5 data is open; every failure
 * becomes a {@link KerasFormatException} naming the file.
 */
final class ModelFile {
    static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private ModelFile() {
    }

    /** What a file yields: its model config, its weights and how they are laid out. */
    @FunctionalInterface
    interface Builder<T> {
        /**
         * {@code trainingConfig} is a legacy file's {@code training_config} attribute (null when absent,
         * too large, or for a .keras zip, which keeps its compile config in {@code configJson}).
         * {@code assets} are a .keras zip's {@code assets/...} entries by name (empty for .h5).
         */
        T build(Object configJson, Group weights, boolean keras3, long weightBytes, String trainingConfig,
                java.util.Map<String, byte[]> assets) throws IOException;
    }

    static <T> T open(Path path, KerasLimits limits, Builder<T> builder) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "no such model file");
        }
        String file = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        try {
            byte[] head = new byte[8];
            int n;
            try (InputStream in = Files.newInputStream(path)) {
                n = in.readNBytes(head, 0, 8);
            }
            if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
                return KerasZipReader.open(path, limits, builder);
            }
            if (n == 8 && java.util.Arrays.equals(head, HDF5_MAGIC)) {
                return LegacyH5Reader.open(path, limits, builder);
            }
            throw new KerasFormatException("not a Keras model file: neither a .keras zip nor an HDF5 .h5 file"
                    + " (first bytes " + hex(head, n) + ")");
        } catch (KerasFormatException e) {
            throw new KerasFormatException(file + ": " + e.getMessage(), e.getCause());
        } catch (RuntimeException | StackOverflowError e) {
            throw new KerasFormatException(file + ": cannot load: " + e, e);
        } catch (OutOfMemoryError e) {
            // Reached only through a single oversized allocation (sizes are checked first); nothing is kept.
            throw new KerasFormatException(file + ": the model needs more memory than this JVM has (" + e.getMessage() + ")", e);
        }
    }

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }
}
