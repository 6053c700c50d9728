package org.rnn4j.keras;

import ch.randelshofer.fastdoubleparser.JsonDoubleParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader and writer for Keras configs. Objects become {@link LinkedHashMap}
 * (key order kept), arrays {@link ArrayList}, integers {@link Long}, other numbers {@link Double}.
 * Python's {@code json.dumps} writes {@code NaN}/{@code Infinity}, so those are accepted too.
 *
 * <p>Own code rather than a library because the input is hostile by assumption: nesting depth and
 * string sizes are bounded here, and a malformed document fails with the offset of the problem.
 * Public because rnn4j-serve parses request bodies with it (one hostile-input-safe parser, not two).
 */
public final class Json {
    /** Deeper nesting than any Keras config (a few levels per wrapped layer) is refused. */
    public static final int MAX_DEPTH = 200;

    private final String s;
    private int pos;

    private Json(String s) {
        this.s = s;
    }

    /** Parses {@code text}; a problem is a {@link KerasFormatException} naming {@code what} and the offset. */
    public static Object parse(String text, String what) throws KerasFormatException {
        Json p = new Json(text);
        try {
            p.skipWs();
            Object v = p.value(0);
            p.skipWs();
            if (p.pos != text.length()) {
                throw p.error("unexpected trailing content");
            }
            return v;
        } catch (ParseError e) {
            throw new KerasFormatException(what + " is not valid JSON: " + e.getMessage());
        }
    }

    private static final class ParseError extends Exception {
        private static final long serialVersionUID = 1L;

        ParseError(String m) {
            super(m, null, false, false);
        }
    }

    private ParseError error(String m) {
        return new ParseError(m + " at offset " + pos);
    }

    private void skipWs() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                pos++;
            } else {
                break;
            }
        }
    }

    private Object value(int depth) throws ParseError {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
        if (pos >= s.length()) {
            throw error("unexpected end of input");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            case 'N':
                literal("NaN");
                return Double.NaN;
            case 'I':
                literal("Infinity");
                return Double.POSITIVE_INFINITY;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character '" + c + "'");
        }
    }

    private void literal(String word) throws ParseError {
        if (!s.startsWith(word, pos)) {
            throw error("expected '" + word + "'");
        }
        pos += word.length();
    }

    private Map<String, Object> object(int depth) throws ParseError {
        pos++;
        Map<String, Object> m = new LinkedHashMap<>();
        skipWs();
        if (pos < s.length() && s.charAt(pos) == '}') {
            pos++;
            return m;
        }
        while (true) {
            skipWs();
            if (pos >= s.length() || s.charAt(pos) != '"') {
                throw error("expected a string key");
            }
            String key = string();
            skipWs();
            expect(':');
            skipWs();
            m.put(key, value(depth + 1));
            skipWs();
            if (pos >= s.length()) {
                throw error("unterminated object");
            }
            char c = s.charAt(pos++);
            if (c == '}') {
                return m;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws ParseError {
        pos++;
        List<Object> a = new ArrayList<>();
        skipWs();
        if (pos < s.length() && s.charAt(pos) == ']') {
            pos++;
            return a;
        }
        while (true) {
            skipWs();
            a.add(value(depth + 1));
            skipWs();
            if (pos >= s.length()) {
                throw error("unterminated array");
            }
            char c = s.charAt(pos++);
            if (c == ']') {
                return a;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private void expect(char c) throws ParseError {
        if (pos >= s.length() || s.charAt(pos) != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private String string() throws ParseError {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= s.length()) {
                throw error("unterminated escape");
            }
            char e = s.charAt(pos++);
            switch (e) {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u':
                    if (pos + 4 > s.length()) {
                        throw error("truncated \\u escape");
                    }
                    int cp = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(s.charAt(pos++), 16);
                        if (d < 0) {
                            throw error("bad \\u escape");
                        }
                        cp = cp * 16 + d;
                    }
                    sb.append((char) cp);
                    break;
                default:
                    throw error("bad escape '\\" + e + "'");
            }
        }
    }

    private Object number() throws ParseError {
        int start = pos;
        if (s.charAt(pos) == '-') {
            pos++;
            if (s.startsWith("Infinity", pos)) {
                pos += 8;
                return Double.NEGATIVE_INFINITY;
            }
        }
        int digits = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
            pos++;
        }
        if (pos == digits) {
            throw error("bad number");
        }
        boolean integral = true;
        if (pos < s.length() && s.charAt(pos) == '.') {
            integral = false;
            pos++;
            int f = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == f) {
                throw error("bad number");
            }
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            integral = false;
            pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            int f = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == f) {
                throw error("bad number");
            }
        }
        if (pos - start > 400) {
            throw error("number too long");
        }
        if (integral && pos - digits <= 18) {
            return Long.parseLong(s, start, pos, 10);
        }
        // The grammar is checked above; the parser rounds exactly as Double.parseDouble does.
        return JsonDoubleParser.parseDouble(s, start, pos - start);
    }

    /** Writes a value of maps, lists, strings, numbers, booleans and nulls as compact JSON. */
    public static String write(Object v) {
        return org.rnn4j.saving.ConfigJson.write(v);
    }
}
