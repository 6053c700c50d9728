package org.rnn4j.keras;

/**
 * Public access, for the rnn4j-serve module, to rnn4j-keras's package-private strict JSON reader and
 * writer ({@link Json}): the server parses request bodies with the same bounded, hostile-input-safe
 * parser rather than a second one. It lives in this package (in the serve jar) only because
 * {@code Json} is not public; once it is, this class goes.
 */
public final class ServeJson {
    private ServeJson() {
    }

    /** Nesting depth beyond which a document is refused. */
    public static final int MAX_DEPTH = Json.MAX_DEPTH;

    /**
     * Parses a JSON document: objects as LinkedHashMap, arrays as ArrayList, integers as Long, other
     * numbers as Double; {@code NaN}/{@code Infinity} accepted. Throws with the offset of a problem.
     */
    public static Object parse(String text, String what) throws KerasFormatException {
        return Json.parse(text, what);
    }

    /** Writes maps, lists, strings, numbers, booleans and nulls as compact JSON. */
    public static String write(Object value) {
        return Json.write(value);
    }
}
