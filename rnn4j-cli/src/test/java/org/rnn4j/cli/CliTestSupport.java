package org.rnn4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * Runs the command line in-process and captures stdout (System.out and picocli's), stderr
 * (System.err and picocli's) and the exit code. Nothing is echoed, so {@code mvn -q verify} stays
 * quiet; run with {@code -Drnn4j.test.echo=true} to see each command's output.
 */
public final class CliTestSupport {
    public record Run(int exitCode, String out, String err) {
    }

    private static final boolean ECHO = Boolean.getBoolean("rnn4j.test.echo");

    private CliTestSupport() {
    }

    public static synchronized Run run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintStream captureOut = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
                PrintStream captureErr = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
            System.setOut(captureOut);
            System.setErr(captureErr);
            code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        String stdout = outBytes.toString(StandardCharsets.UTF_8) + out;
        String stderr = errBytes.toString(StandardCharsets.UTF_8) + err;
        if (ECHO) {
            savedOut.print(stdout);
            savedErr.print(stderr);
        }
        return new Run(code, stdout, stderr);
    }
}
