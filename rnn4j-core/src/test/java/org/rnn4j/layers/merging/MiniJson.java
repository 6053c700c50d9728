package org.rnn4j.layers.merging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Just enough JSON for the reference file's configs: objects, lists, numbers, strings, booleans, null. */
final class MiniJson {
    private final String s;
    private int p;

    private MiniJson(String s) {
        this.s = s;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String text) {
        MiniJson j = new MiniJson(text);
        Object v = j.value();
        return (Map<String, Object>) v;
    }

    private void ws() {
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
            p++;
        }
    }

    private Object value() {
        ws();
        char c = s.charAt(p);
        if (c == '{') {
            p++;
            Map<String, Object> m = new LinkedHashMap<>();
            ws();
            if (s.charAt(p) == '}') {
                p++;
                return m;
            }
            while (true) {
                ws();
                String k = (String) value();
                ws();
                p++; // :
                m.put(k, value());
                ws();
                if (s.charAt(p++) == '}') {
                    return m;
                }
            }
        }
        if (c == '[') {
            p++;
            List<Object> l = new ArrayList<>();
            ws();
            if (s.charAt(p) == ']') {
                p++;
                return l;
            }
            while (true) {
                l.add(value());
                ws();
                if (s.charAt(p++) == ']') {
                    return l;
                }
            }
        }
        if (c == '"') {
            int end = s.indexOf('"', p + 1);
            String str = s.substring(p + 1, end);
            p = end + 1;
            return str;
        }
        if (s.startsWith("true", p)) {
            p += 4;
            return Boolean.TRUE;
        }
        if (s.startsWith("false", p)) {
            p += 5;
            return Boolean.FALSE;
        }
        if (s.startsWith("null", p)) {
            p += 4;
            return null;
        }
        int start = p;
        while (p < s.length() && "+-0123456789.eE".indexOf(s.charAt(p)) >= 0) {
            p++;
        }
        String num = s.substring(start, p);
        if (num.contains(".") || num.contains("e") || num.contains("E")) {
            return Double.parseDouble(num);
        }
        return Long.parseLong(num);   // Long on purpose: configs may carry Integer, Long or Double
    }
}
