package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code rnn4j serve}'s argument errors (the server itself is tested over HTTP in rnn4j-serve). */
class ServeCommandTest {
    @Test
    void aMissingModelFileIsAUsageError() {
        CliTestSupport.Run r = CliTestSupport.run("serve", "--model", "m=/nonexistent/model.keras", "--port", "0");
        assertEquals(Main.USAGE_ERROR, r.exitCode());
        assertTrue(r.err().contains("Model file not found: /nonexistent/model.keras"), r.err());
    }

    @Test
    void modelIsRequiredAndHelpListsTheRoutes() {
        CliTestSupport.Run r = CliTestSupport.run("serve");
        assertEquals(Main.USAGE_ERROR, r.exitCode());
        assertTrue(r.err().contains("--model"), r.err());
        r = CliTestSupport.run("serve", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("TensorFlow Serving") && r.out().contains("--batch-timeout-micros"), r.out());
    }
}
