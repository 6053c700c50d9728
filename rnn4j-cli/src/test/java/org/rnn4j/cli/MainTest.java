package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @Test
    void everyCommandHasHelp() {
        for (String c : new String[] {"demo", "forecast", "textgen", "classify", "summary", "predict", "bench"}) {
            CliTestSupport.Run r = CliTestSupport.run(c, "--help");
            assertEquals(0, r.exitCode(), c);
            assertTrue(r.out().contains("Usage: rnn4j " + c), c + ": " + r.out());
            // A stray '%' in a description makes picocli print "[picocli WARN] Could not format ...".
            assertFalse(r.err().contains("picocli WARN") || r.out().contains("picocli WARN"), c + ": " + r.err());
        }
        assertTrue(CliTestSupport.run("classify", "--help").out().contains("a held-out 20% split"));
    }

    @Test
    void wrongFlagIsOneLineNamingItWithExitCode2() {
        CliTestSupport.Run r = CliTestSupport.run("textgen", "--lenght", "5");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--lenght"), r.err());
    }

    @Test
    void missingColumnAndEmptyFileAreOneLineErrors(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("s.csv");
        Files.writeString(csv, "t,value\n1,2\n2,3\n");
        CliTestSupport.Run r = CliTestSupport.run("forecast", "--csv", csv.toString(), "--target", "price");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("Column 'price' not found"), r.err());
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "");
        r = CliTestSupport.run("forecast", "--csv", empty.toString(), "--target", "value");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("empty.csv is empty"), r.err());
        r = CliTestSupport.run("forecast", "--csv", csv.toString(), "--target", "value", "--model", "transformer:8");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--model"), r.err());
    }
}
