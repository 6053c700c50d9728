package org.rnn4j.layers.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.Initializers;
import org.rnn4j.regularizers.L1L2;
import org.rnn4j.regularizers.Regularizer;

/**
 * Reads and writes the values of a Keras 3 layer config ({@code config.json}): numbers that arrive
 * as Integer, Long or Double, lists as {@code List<Object>}, initializers and regularizers as a
 * name or as Keras's serialized {@code {"class_name": ..., "config": {...}}} dict.
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    public static boolean has(Map<String, Object> c, String key) {
        return c.containsKey(key) && c.get(key) != null;
    }

    public static int getInt(Map<String, Object> c, String key, int dflt) {
        Object v = c.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d)) {
                throw bad(key, v, "an integer");
            }
            return n.intValue();
        }
        throw bad(key, v, "an integer");
    }

    public static double getDouble(Map<String, Object> c, String key, double dflt) {
        Object v = c.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw bad(key, v, "a number");
    }

    public static boolean getBoolean(Map<String, Object> c, String key, boolean dflt) {
        Object v = c.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw bad(key, v, "true or false");
    }

    public static String getString(Map<String, Object> c, String key, String dflt) {
        Object v = c.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String s) {
            return s;
        }
        throw bad(key, v, "a string");
    }

    /** An int or a list of ints ({@code axis: -1} or {@code axis: [-2, -1]}); null when absent. */
    public static int[] getIntList(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number) {
            return new int[] {getInt(c, key, 0)};
        }
        if (v instanceof List<?> list) {
            int[] out = new int[list.size()];
            for (int i = 0; i < out.length; i++) {
                Object e = list.get(i);
                if (!(e instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                    throw bad(key, v, "an integer or a list of integers");
                }
                out[i] = n.intValue();
            }
            return out;
        }
        throw bad(key, v, "an integer or a list of integers");
    }

    public static List<Object> intList(int[] values) {
        List<Object> out = new ArrayList<>(values.length);
        for (int v : values) {
            out.add(v);
        }
        return out;
    }

    /** An initializer given by name ({@code "glorot_uniform"}) or as Keras's serialized dict. */
    public static Initializer getInitializer(Map<String, Object> c, String key, String dflt) {
        Object v = c.get(key);
        if (v == null) {
            return Initializers.get(dflt);
        }
        if (v instanceof String s) {
            return Initializers.get(s);
        }
        if (v instanceof Map<?, ?> m && m.get("class_name") instanceof String cls) {
            Object cfg = m.get("config");
            if (cfg instanceof Map<?, ?> cm && "Constant".equals(cls) && cm.get("value") instanceof Number n) {
                return Initializers.constant(n.floatValue());
            }
            return Initializers.get(cls);
        }
        throw bad(key, v, "an initializer name or a serialized initializer");
    }

    /** A regularizer ({@code L1L2}, {@code L1}, {@code L2}, or their names) or null. */
    public static Regularizer getRegularizer(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (v == null) {
            return null;
        }
        String cls;
        Map<?, ?> cfg = Map.of();
        if (v instanceof String s) {
            cls = s;
        } else if (v instanceof Map<?, ?> m && m.get("class_name") instanceof String s) {
            cls = s;
            if (m.get("config") instanceof Map<?, ?> cm) {
                cfg = cm;
            }
        } else {
            throw bad(key, v, "a regularizer");
        }
        float l1 = cfg.get("l1") instanceof Number n ? n.floatValue() : 0f;
        float l2 = cfg.get("l2") instanceof Number n ? n.floatValue() : 0f;
        switch (cls.toLowerCase(Locale.ROOT).replace("_", "")) {
            case "l1l2":
                return new L1L2(l1, l2);
            case "l1":
                return L1L2.l1(cfg.containsKey("l1") ? l1 : 0.01f);
            case "l2":
                return L1L2.l2(cfg.containsKey("l2") ? l2 : 0.01f);
            default:
                throw bad(key, v, "one of L1L2, L1, L2");
        }
    }

    /** Keras's serialized form of a regularizer, or null. */
    public static Object regularizer(Regularizer r) {
        if (r == null) {
            return null;
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        String cls;
        if (r instanceof L1L2 l) {
            // Keras's L1(l1) and L2(l2) save as their own classes; a one-term L1L2 is the same penalty
            if (l.l2() == 0f && l.l1() != 0f) {
                cls = "L1";
                cfg.put("l1", (double) l.l1());
            } else if (l.l1() == 0f && l.l2() != 0f) {
                cls = "L2";
                cfg.put("l2", (double) l.l2());
            } else {
                cls = "L1L2";
                cfg.put("l1", (double) l.l1());
                cfg.put("l2", (double) l.l2());
            }
        } else {
            return r.name();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("module", "keras.regularizers");
        out.put("class_name", cls);
        out.put("config", cfg);
        out.put("registered_name", null);
        return out;
    }

    /** The name an optional Keras config carries, or null. */
    public static String name(Map<String, Object> c) {
        return getString(c, "name", null);
    }

    private static IllegalArgumentException bad(String key, Object v, String expected) {
        return new IllegalArgumentException("Layer config '" + key + "': expected " + expected + ", got " + v);
    }
}
