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
    void unknownWorkloadIsAUsageError() {
        CliTestSupport.Run r = CliTestSupport.run("bench", "--workload", "W9");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unknown workload 'W9'"), r.err());
    }
}
