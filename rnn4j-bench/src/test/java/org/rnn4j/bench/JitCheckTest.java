package org.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JitCheckTest {
    /**
     * Two real C2 compiles of MicroKernelRows8.tilePanel cut from one JDK 17.0.15 log (session 6 of
     * #10): #1605 with every vector call intrinsified, #1603 from a slow JVM with 8 stores left as calls.
     */
    private static Path sample() throws Exception {
        return Path.of(JitCheckTest.class.getResource("two-c2-compiles.log.gz").toURI());
    }

    @Test
    void tellsTheGoodCompileFromTheBadOne() throws Exception {
        List<JitCheck.Compile> compiles = JitCheck.check(sample(), JitCheck.KERNELS);
        assertEquals(2, compiles.size());
        JitCheck.Compile good = compiles.get(0);
        JitCheck.Compile bad = compiles.get(1);
        assertEquals(1605, good.compileId());
        assertEquals("MicroKernelRows8.tilePanel", good.method());
        assertFalse(good.bad(), good.toString());
        assertEquals(good.vectorCalls(), good.intrinsics());
        assertEquals(32, good.storeCalls());
        assertEquals(1603, bad.compileId());
        assertTrue(bad.bad(), bad.toString());
        assertEquals(8, bad.missing());
        assertEquals(List.of(bad), JitCheck.bad(compiles));
    }

    /**
     * Two real C2 compiles of VectorLstmStep.backward cut from one W4 run's log (JDK 17.0.15,
     * session 8 of #10): the OSR compile #1664 one vector call short, then the standard #1673
     * with all of them. The OSR one does not last, so it is not reported.
     */
    @Test
    void anOsrCompileSupersededByAGoodStandardOneIsNotReported() throws Exception {
        Path log = Path.of(JitCheckTest.class.getResource("osr-then-standard.log.gz").toURI());
        List<JitCheck.Compile> compiles = JitCheck.check(log, JitCheck.KERNELS);
        assertEquals(2, compiles.size());
        JitCheck.Compile osr = compiles.get(0);
        JitCheck.Compile standard = compiles.get(1);
        assertEquals("VectorLstmStep.backward", osr.method());
        assertTrue(osr.osr() && osr.bad(), osr.toString());
        assertEquals(1, osr.missing());
        assertFalse(standard.osr() || standard.bad(), standard.toString());
        assertEquals(List.of(), JitCheck.bad(compiles));
        // Without the good standard compile after it, the OSR one is what runs: reported.
        assertEquals(List.of(osr), JitCheck.bad(List.of(osr)));
        assertEquals(List.of(osr), JitCheck.bad(List.of(standard, osr)));
    }

    @Test
    void checksOnlyTheMethodsUnderThePrefix() throws Exception {
        assertTrue(JitCheck.check(sample(), "java.lang").isEmpty());
        assertEquals(2, JitCheck.check(sample(), "org.rnn4j.kernels.vector.MicroKernelRows8").size());
    }

    /** The parser against the log of the JDK running the tests: the kernels' C2 compiles are found and counted. */
    @Test
    void readsTheLogOfThisJdk(@TempDir Path dir) throws IOException, InterruptedException {
        Path log = dir.resolve("compiles.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+LogCompilation", "-XX:LogFile=" + log,
                "-cp", System.getProperty("java.class.path"), WarmUpMain.class.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("out.txt")));
        List<JitCheck.Compile> compiles = JitCheck.check(log, JitCheck.KERNELS);
        assertTrue(compiles.stream().anyMatch(c -> c.vectorCalls() > 0 && c.intrinsics() > 0),
                "no C2 compile of a vector kernel in the log: " + compiles);
    }

    /** Runs every kernel on tiny operands long enough for C2 to compile them. */
    public static final class WarmUpMain {
        public static void main(String[] args) {
            org.rnn4j.kernels.WarmUp.run(256, 3000);
        }
    }
}
