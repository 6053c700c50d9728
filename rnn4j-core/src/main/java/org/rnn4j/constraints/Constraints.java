package org.rnn4j.constraints;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Keras's {@code keras.constraints.get/serialize}: MaxNorm, MinMaxNorm, NonNeg and UnitNorm by name or config. */
public final class Constraints {
    private Constraints() {
    }

    /**
     * A constraint from Keras's identifier ({@code "non_neg"}, {@code "MaxNorm"}, ...) or serialized
     * form ({@code {"class_name": "MaxNorm", "config": {"max_value": 2, "axis": 0}}}); null for null.
     */
    @SuppressWarnings("unchecked")
    public static Constraint get(Object spec) {
        if (spec == null || spec instanceof Constraint) {
            return (Constraint) spec;
        }
        String cls;
        Map<String, Object> c;
        if (spec instanceof String s) {
            cls = s;
            c = Map.of();
        } else if (spec instanceof Map<?, ?> m) {
            cls = String.valueOf(m.get("class_name"));
            c = m.get("config") instanceof Map ? (Map<String, Object>) m.get("config") : Map.of();
        } else {
            throw new IllegalArgumentException("Cannot read a constraint from " + spec);
        }
        switch (cls.replace("_", "").toLowerCase(Locale.ROOT)) {
            case "nonneg":
                return new NonNeg();
            case "maxnorm":
                return axes(c) == null ? new MaxNorm(num(c, "max_value", 2), axis(c))
                        : new MaxNorm(num(c, "max_value", 2), axes(c));
            case "unitnorm":
                return axes(c) == null ? new UnitNorm(axis(c)) : new UnitNorm(axes(c));
            case "minmaxnorm":
                double lo = num(c, "min_value", 0);
                double hi = num(c, "max_value", 1);
                double rate = num(c, "rate", 1);
                return axes(c) == null ? new MinMaxNorm(lo, hi, rate, axis(c)) : new MinMaxNorm(lo, hi, rate, axes(c));
            default:
                throw new IllegalArgumentException("Unknown constraint '" + cls + "'; supported: MaxNorm (max_norm), "
                        + "MinMaxNorm (min_max_norm), NonNeg (non_neg), UnitNorm (unit_norm)");
        }
    }

    /** Keras's serialized form, as it appears in a layer config. */
    public static Map<String, Object> serialize(Constraint constraint) {
        if (constraint == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "keras.constraints");
        m.put("class_name", constraint.className());
        m.put("config", constraint.config());
        m.put("registered_name", null);
        return m;
    }

    private static double num(Map<String, Object> c, String key, double dflt) {
        Object v = c.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException("constraint option " + key + " must be a number, got " + v);
        }
        return ((Number) v).doubleValue();
    }

    private static int axis(Map<String, Object> c) {
        Object v = c.get("axis");
        if (v == null) {
            return 0;
        }
        return whole(v);
    }

    private static int[] axes(Map<String, Object> c) {
        Object v = c.get("axis");
        if (!(v instanceof List<?> l)) {
            return null;
        }
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = whole(l.get(i));
        }
        return out;
    }

    private static int whole(Object v) {
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        throw new IllegalArgumentException("constraint option axis must hold integers, got " + v);
    }
}
