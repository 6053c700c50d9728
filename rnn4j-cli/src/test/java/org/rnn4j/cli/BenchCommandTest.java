package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BenchCommandTest {
    @Test
    void runsOneWorkloadAsJson() {
        CliTestSupport.Run r = CliTestSupport.run("bench", "--workload", "W0", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"workload\": \"W0\""), r.out());
    }

    @Test
    void scalingWritesTheCsvAndThePlot(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path csv = dir.resolve("s.csv");
        java.nio.file.Path png = dir.resolve("s.png");
        CliTestSupport.Run r = CliTestSupport.run("bench", "--scaling", "--grid", "tiny", "--seconds", "0",
                "--csv", csv.toString(), "--png", png.toString());
        assertEquals(0, r.exitCode(), r.err());
        java.util.List<String> lines = java.nio.file.Files.readAllLines(csv);
        assertEquals(org.rnn4j.bench.Scaling.CSV_HEADER, lines.get(0));
        assertEquals(1 + org.rnn4j.bench.Scaling.grid("tiny").size(), lines.size());
        assertTrue(lines.get(1).startsWith("T,2,2,4,8,"), lines.get(1));
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(3 * 520, img.getWidth());
    }

    @Test
    void unknownWorkloadIsAUsageError() {
        CliTestSupport.Run r = CliTestSupport.run("bench", "--workload", "W9");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unknown workload 'W9'"), r.err());
    }

    /** Two fresh JVMs with their compile logs: one summary with both JVMs' figures and their JIT check. */
    @Test
    void forksRunEachWorkloadInFreshJvmsAndCheckTheirJit() throws Exception {
        String old = System.getProperty("rnn4j.bench.warmup");
        System.setProperty("rnn4j.bench.warmup", "0.2");
        try {
            CliTestSupport.Run r = CliTestSupport.run("bench", "--workload", "W0", "--forks", "2", "--jit-check", "--json");
            assertEquals(0, r.exitCode(), r.err());
            String line = r.out().lines().filter(l -> l.contains("\"W0\"")).findFirst().orElseThrow();
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> s = (java.util.Map<String, Object>) org.rnn4j.keras.Json.parse(line, "summary");
            assertEquals(2L, s.get("forks"));
            java.util.List<?> train = (java.util.List<?>) s.get("train_ms_per_step_forks");
            assertEquals(2, train.size());
            double a = ((Number) train.get(0)).doubleValue();
            double b = ((Number) train.get(1)).doubleValue();
            assertEquals((a + b) / 2, ((Number) s.get("train_ms_per_step")).doubleValue(), 1e-3);
            assertTrue(a > 0 && b > 0, line);
            assertEquals(2, ((java.util.List<?>) s.get("jit_bad_compiles_forks")).size(), line);
        } finally {
            if (old == null) {
                System.clearProperty("rnn4j.bench.warmup");
            } else {
                System.setProperty("rnn4j.bench.warmup", old);
            }
        }
    }

    @Test
    void forksOfTheMatmulTableAreAUsageError() {
        CliTestSupport.Run r = CliTestSupport.run("bench", "--workload", "matmul", "--forks", "2");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--forks runs workloads"), r.err());
    }

    @Test
    void aNegativeForkCountIsAUsageErrorNamingTheFlag() {
        CliTestSupport.Run r = CliTestSupport.run("bench", "--workload", "W0", "--forks", "-1");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--forks must be at least 1, got -1"), r.err());
        assertTrue(r.out().isEmpty(), "no workload may run before the flag is checked: " + r.out());
    }
}
