package org.rnn4j.cli;

/** A user error (bad flag value, missing column, empty file): printed as one line, exit code 2. */
public class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
