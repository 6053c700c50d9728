package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command with a bad flag value: exit code 2, one line on stderr naming the flag and the
 * value, no stack trace, and nothing done first (no data loaded, nothing printed on stdout).
 */
class BadFlagsTest {
    private static final String SALES = "bundled:sales/airline_passengers_monthly_1949-1960.csv";

    private static void assertUsageError(String expected, String... args) {
        CliTestSupport.Run r = CliTestSupport.run(args);
        String cmd = String.join(" ", args);
        assertEquals(2, r.exitCode(), cmd + ": " + r.err());
        assertEquals(1, r.err().strip().lines().count(), cmd + ": " + r.err());
        assertTrue(r.err().contains(expected), cmd + ": expected '" + expected + "' in " + r.err());
        assertFalse(r.err().contains("at org.") || r.err().contains("Exception"), cmd + ": " + r.err());
        assertEquals("", r.out(), cmd + ": printed before failing");
    }

    @Test
    void numericFlagsAreCheckedBeforeAnyWork(@TempDir Path dir) {
        String out = dir.resolve("m.keras").toString();
        String[][] forecast = {
            {"--learning-rate", "-1", "--learning-rate must be a number greater than 0, got -1.0"},
            {"--learning-rate", "0", "--learning-rate must be a number greater than 0, got 0.0"},
            {"--batch-size", "0", "--batch-size must be at least 1, got 0"},
            {"--epochs", "-1", "--epochs must be at least 1, got -1"},
            {"--window", "0", "--window must be at least 1, got 0"},
            {"--horizon", "-2", "--horizon must be at least 1, got -2"},
            {"--stride", "0", "--stride must be at least 1, got 0"},
            {"--season", "0", "--season must be at least 1, got 0"},
        };
        for (String[] c : forecast) {
            assertUsageError(c[2], "forecast", "--csv", SALES, "--target", "Passengers", "--out", out, c[0], c[1]);
        }
        String[][] demo = {
            {"--epochs", "-1", "--epochs must be at least 1, got -1"},
            {"--batch-size", "0", "--batch-size must be at least 1, got 0"},
            {"--learning-rate", "-0.5", "--learning-rate must be a number greater than 0, got -0.5"},
            {"--stride", "0", "--stride must be at least 1, got 0"},
        };
        for (String[] c : demo) {
            assertUsageError(c[2], "demo", "--out", dir.resolve("demo").toString(), c[0], c[1]);
        }
        assertFalse(Files.exists(dir.resolve("demo")), "demo made its folder before checking its flags");
        String[][] textgen = {
            {"--epochs", "-1", "--epochs must be at least 1, got -1"},
            {"--length", "0", "--length must be at least 1, got 0"},
            {"--units", "0", "--units must be at least 1, got 0"},
            {"--stride", "-3", "--stride must be at least 1, got -3"},
            {"--chars", "10", "--chars must be at least 42, got 10"},
            {"--temperature", "0", "--temperature must be a number greater than 0, got 0.0"},
        };
        for (String[] c : textgen) {
            assertUsageError(c[2], "textgen", c[0], c[1]);
        }
        String[][] classify = {
            {"--epochs", "0", "--epochs must be at least 1, got 0"},
            {"--length", "-1", "--length must be at least 1, got -1"},
            {"--max-tokens", "1", "--max-tokens must be at least 3, got 1"},
        };
        for (String[] c : classify) {
            assertUsageError(c[2], "classify", c[0], c[1]);
        }
        assertUsageError("bench: ", "bench", "--workload", "W9");
    }

    @Test
    void unknownBundledCsvListsTheAvailableFiles() {
        assertUsageError("No bundled CSV 'sales/nosuch.csv'; available: bundled:weather/beijing_pm25_weather_hourly_2010-2014.csv,"
                + " bundled:sales/airline_passengers_monthly_1949-1960.csv", "forecast", "--csv", "bundled:sales/nosuch.csv",
                "--target", "x");
    }

    @Test
    void outNeverOverwritesAnExistingFileWithoutForce(@TempDir Path dir) throws Exception {
        Path existing = dir.resolve("forecaster.keras");
        Files.writeString(existing, "precious");
        assertUsageError("--out " + existing + " already exists; pass --force to overwrite it", "forecast", "--csv", SALES,
                "--target", "Passengers", "--out", existing.toString());
        // Also when --out is given without the extension (the model is saved as NAME.keras).
        assertUsageError("already exists", "forecast", "--csv", SALES, "--target", "Passengers",
                "--out", dir.resolve("forecaster").toString());
        assertEquals("precious", Files.readString(existing));
        CliTestSupport.Run r = CliTestSupport.run("forecast", "--csv", SALES, "--target", "Passengers", "--epochs", "1",
                "--out", existing.toString(), "--force");
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(Files.readString(existing, java.nio.charset.StandardCharsets.ISO_8859_1).equals("precious"));
    }
}
