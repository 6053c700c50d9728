package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary files of writers that died (kill -9) are removed by the next write of the same target. */
class AtomicFilesOrphansTest {
    @TempDir
    Path dir;

    @Test
    void theNextWriteRemovesDeadWritersTemporaryFilesOnly() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long deadPid = gone.pid();
        long livePid = ProcessHandle.current().pid();
        Path dead = Files.writeString(dir.resolve(".tmp-" + deadPid + "-abc-model.keras"), "partial");
        Path live = Files.writeString(dir.resolve(".tmp-" + livePid + "-def-model.keras"), "in progress");
        Path otherTarget = Files.writeString(dir.resolve(".tmp-" + deadPid + "-ghi-other.keras"), "partial");
        AtomicFiles.write(dir.resolve("model.keras"), new byte[] {1, 2, 3});
        assertFalse(Files.exists(dead), "a dead writer's temporary file stays");
        assertTrue(Files.exists(live), "a running writer's temporary file was deleted under it");
        assertTrue(Files.exists(otherTarget), "another target's temporary file was touched");
        assertEquals(3, Files.readAllBytes(dir.resolve("model.keras")).length);
    }
}
