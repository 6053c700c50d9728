package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.AtomicFiles;
import org.rnn4j.layers.Dense;
import org.rnn4j.models.Sequential;

/**
 * Saving a {@code .keras} file leaves only the file: its temporary zip and jHDF's weights scratch
 * file are named by process, so those of a saver killed mid-write are removed by the next save.
 */
class KerasSaverTempFilesTest {
    @TempDir
    Path dir;

    private static long deadPid() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        return gone.pid();
    }

    @Test
    void aSaveRemovesTheTemporaryZipOfAKilledSaverAndLeavesOnlyTheModel() throws Exception {
        Path orphan = Files.writeString(dir.resolve(".tmp-" + deadPid() + "-abc-m.keras"), "torn zip");
        Sequential model = new Sequential();
        model.add(new Dense(2).inputShape(3));
        KerasModels.save(model, dir.resolve("m.keras"));
        assertFalse(Files.exists(orphan), "a killed saver's temporary file was left behind");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("m.keras"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(2, KerasModels.load(dir.resolve("m.keras")).predict(org.rnn4j.tensor.Tensor.zeros(1, 3)).dim(1));
    }

    @Test
    void aScratchFileRequestRemovesTheScratchFilesOfKilledProcesses() throws Exception {
        Path tmpdir = Path.of(System.getProperty("java.io.tmpdir"));
        String name = "rnn4j-test-" + System.nanoTime() + ".h5";
        Path orphan = Files.writeString(tmpdir.resolve(".tmp-" + deadPid() + "-abc-" + name), "torn");
        Path fresh = AtomicFiles.scratchFile(name);
        try {
            assertFalse(Files.exists(orphan), "a killed process's scratch file was left behind");
            assertTrue(Files.exists(fresh));
            assertTrue(fresh.getFileName().toString().endsWith("-" + name));
        } finally {
            Files.deleteIfExists(fresh);
            Files.deleteIfExists(orphan);
        }
    }
}
