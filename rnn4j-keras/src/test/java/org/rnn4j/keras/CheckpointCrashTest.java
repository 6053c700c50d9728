package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.layers.Variable;
import org.rnn4j.models.Model;

/**
 * Issue #11's crash test of training state: a child JVM trains with a {@code ModelCheckpoint}
 * after every (one-step) epoch, so it is almost always writing; once its first checkpoint is on
 * disk it is killed with SIGKILL ({@code destroyForcibly}) at a random moment 0-400 ms later, 20 times, each time continuing in the same folder
 * over the previous checkpoint. After every kill the checkpoint on disk loads, compiled, and its
 * weights and optimizer iteration count are exactly one of the states the child logged before
 * writing it: the previous checkpoint or the new one, never a torn or mixed file.
 */
class CheckpointCrashTest {
    static final int KILLS = 20;

    @TempDir
    Path dir;

    /** A hash of every weight's float bits, in the model's weight order. */
    static String hash(Model m) {
        int h = 1;
        for (Variable v : m.weights()) {
            for (float f : v.value().data()) {
                h = 31 * h + Float.floatToIntBits(f);
            }
        }
        return Integer.toHexString(h);
    }

    @Test
    void killedMidCheckpointTheFileOnDiskAlwaysLoads() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Random rnd = new Random(20261207);
        Path ckpt = dir.resolve("ckpt.keras");
        for (int k = 0; k < KILLS; k++) {
            ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xmx256m", "-cp",
                    System.getProperty("java.class.path"), CheckpointWriterMain.class.getName(), dir.toString(),
                    Integer.toString(k));
            pb.redirectErrorStream(true);
            Process p = pb.start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line = out.readLine();
                while (line != null && line.startsWith("WARNING")) { // the JVM's incubator-module notice
                    line = out.readLine();
                }
                assertEquals("checkpointed", line, "child " + k + " did not write its first checkpoint");
                Thread.sleep(rnd.nextInt(400));
            } finally {
                p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks in the child
                assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            }
            Map<String, long[]> logged = new HashMap<>(); // hash -> {run, iterations}
            for (String l : Files.readAllLines(dir.resolve("log.txt"))) {
                String[] f = l.trim().split(" ");
                if (f.length == 3) {
                    logged.put(f[2], new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
                }
            }
            Model m = KerasModels.load(ckpt);
            String h = hash(m);
            assertTrue(logged.containsKey(h), "kill " + k + ": the checkpoint holds weights never logged (torn?)");
            assertTrue(m.isCompiled(), "kill " + k + ": the checkpoint lost its compile config");
            assertEquals(logged.get(h)[1], m.optimizer().iterations(), "kill " + k + ": optimizer state from another step");
            long run = logged.get(h)[0];
            assertEquals(k, run, "kill " + k + ": the checkpoint is from run " + run + " (this run had written one)");
        }
        try (var files = Files.list(dir)) {
            List<Path> left = files.filter(f -> f.getFileName().toString().startsWith(".tmp-")).toList();
            // A SIGKILL mid-write leaves that writer's temporary file; the next write of the target
            // (the next child's) removes it, so at most the last kill's can remain.
            assertTrue(left.size() <= 1, "temporary files piled up: " + left);
        }
        KerasModels.load(ckpt).save(ckpt);   // one more write, here: the dead children's leftovers go
        try (var files = Files.list(dir)) {
            List<Path> left = files.filter(f -> f.getFileName().toString().startsWith(".tmp-")).toList();
            assertTrue(left.isEmpty(), "temporary files of dead writers left behind: " + left);
        }
    }
}
