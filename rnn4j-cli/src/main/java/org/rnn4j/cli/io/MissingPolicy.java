package org.rnn4j.cli.io;

import org.rnn4j.cli.CliException;

/**
 * What to do with missing cells ({@code NA}, empty, {@code NaN}, {@code null}, {@code ?}):
 * {@code error} (the default: report row and column), {@code ffill} (repeat the previous row's
 * value), {@code drop} (drop the row) or a number to fill with.
 */
public record MissingPolicy(Kind kind, double value) {
    public enum Kind { ERROR, FFILL, DROP, VALUE }

    public static final MissingPolicy ERROR = new MissingPolicy(Kind.ERROR, 0);
    public static final MissingPolicy FFILL = new MissingPolicy(Kind.FFILL, 0);
    public static final MissingPolicy DROP = new MissingPolicy(Kind.DROP, 0);

    /** Parses {@code error}, {@code ffill}, {@code drop} or a number. */
    public static MissingPolicy parse(String text) {
        switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "error":
                return ERROR;
            case "ffill":
            case "forward-fill":
                return FFILL;
            case "drop":
                return DROP;
            default:
                try {
                    return new MissingPolicy(Kind.VALUE, Double.parseDouble(text.trim()));
                } catch (NumberFormatException e) {
                    throw new CliException("--missing: '" + text + "' is not error, ffill, drop or a number");
                }
        }
    }
}
