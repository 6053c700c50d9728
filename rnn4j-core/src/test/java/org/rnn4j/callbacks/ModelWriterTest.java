package org.rnn4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Npy;
import org.rnn4j.layers.Dense;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * Core alone has no .keras writer: the error says which module to add; .weights.bin uses the
 * native format; any other extension is refused with the list of supported ones. Writes are
 * atomic, leave no temporary file and get normal permissions.
 */
class ModelWriterTest {
    private static Sequential model() {
        var m = new Sequential().seed(1);
        m.add(new Dense(2).inputShape(3));
        m.compile("sgd", "mse");
        return m;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The permissions a plain new file gets in {@code dir} (0666 less this process's umask). */
    private static Set<PosixFilePermission> normalPermissions(Path dir) throws IOException {
        Path probe = Files.createFile(dir.resolve("probe"));
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(probe);
        Files.delete(probe);
        return p;
    }

    @Test
    void kerasPathWithoutTheKerasModuleNamesTheFix() {
        for (String f : List.of("model.keras", "model.h5", "model.weights.h5")) {
            var e = assertThrows(IllegalArgumentException.class, () -> ModelWriter.forPath(Path.of(f)));
            assertTrue(e.getMessage().contains("add the rnn4j-keras module"), e.getMessage());
        }
    }

    @Test
    void weightsBinUsesTheNativeWeightsWriter() {
        assertInstanceOf(NativeWeightsWriter.class, ModelWriter.forPath(Path.of("model.weights.bin")));
    }

    @Test
    void unknownExtensionsAreRefusedListingTheSupportedOnes(@TempDir Path dir) {
        for (String f : List.of("x.txt", "x", "x.bin", "x.json")) {
            var e = assertThrows(IllegalArgumentException.class, () -> model().save(dir.resolve(f)));
            assertTrue(e.getMessage().contains("unknown file extension"), e.getMessage());
            for (String ext : List.of("'.keras'", "'.weights.h5'", "'.weights.bin'")) {
                assertTrue(e.getMessage().contains(ext), e.getMessage());
            }
        }
        assertEquals(0, dir.toFile().list().length, "nothing written");
    }

    @Test
    void savedFilesGetNormalPermissionsNotTempFile0600(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.weights.bin");
        model().save(f);
        assertEquals(normalPermissions(dir), Files.getPosixFilePermissions(f));
        assertEquals(List.of("m.weights.bin"), names(dir));
    }

    @Test
    void permissionsSurviveAWriterThatReplacesTheFileWithA0600One(@TempDir Path dir) throws IOException {
        // KerasSaver writes its own temporary file and moves it over the path it is given.
        ModelWriter replacing = (m, target) -> {
            Path own = Files.createTempFile(target.getParent(), "own", ".tmp");
            Files.writeString(own, "content");
            Files.move(own, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        };
        Path f = dir.resolve("m.keras");
        ModelWriter.writeAtomically(replacing, model(), f);
        assertEquals("content", Files.readString(f));
        assertEquals(normalPermissions(dir), Files.getPosixFilePermissions(f));
    }

    @Test
    void aFailedWriteKeepsThePreviousFileAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.keras");
        Files.writeString(f, "previous");
        ModelWriter failing = (m, target) -> {
            Files.writeString(target, "partial");
            throw new IOException("disk full");
        };
        var e = assertThrows(IOException.class, () -> ModelWriter.writeAtomically(failing, model(), f));
        assertEquals("disk full", e.getMessage());
        assertEquals("previous", Files.readString(f));
        assertEquals(List.of("m.keras"), names(dir));
    }

    @Test
    void npyIntoAMissingFolderSaysTheFolderDoesNotExist(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nonexist");
        var e = assertThrows(NoSuchFileException.class, () -> Npy.write(missing.resolve("o.npy"), Tensor.zeros(2, 2)));
        assertEquals("folder " + missing.toAbsolutePath() + " does not exist", e.getMessage());
        Path y = dir.resolve("y.npy");
        Npy.write(y, Tensor.zeros(2, 2));
        assertEquals(normalPermissions(dir), Files.getPosixFilePermissions(y));
        assertEquals(List.of("y.npy"), names(dir));
    }
}
