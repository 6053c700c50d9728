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
}
