package org.rnn4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process and captures stdout (System.out and picocli's), stderr and the exit code. */
public final class CliTestSupport {
    public record Run(int exitCode, String out, String err) {
    }

    private CliTestSupport() {
    }

    public static synchronized Run run(String... args) {
        PrintStream savedOut = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        } finally {
            System.setOut(savedOut);
        }
        String stdout = bytes.toString(StandardCharsets.UTF_8) + out;
        savedOut.print(stdout);
        return new Run(code, stdout, err.toString());
    }
}
