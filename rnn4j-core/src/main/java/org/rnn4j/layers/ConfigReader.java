package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed, checked reads of one layer's Keras config (snake_case keys as Keras 3 writes them) for
 * the layers' {@code fromConfig}. Numbers may arrive as Integer, Long or Double and lists as
 * {@code List<Object>}. Errors name the layer class, its name and the option; {@link #finish}
 * rejects an option that was neither read nor known not to change the numbers, so nothing that
 * matters is dropped silently (the rules of the Keras loader's reader).
 */
final class ConfigReader {
    /** Options that never change a layer's forward pass once its weights are set. */
    private static final Set<String> IGNORED = Set.of("name", "trainable", "dtype", "batch_input_shape",
            "batch_shape", "input_shape", "kernel_initializer", "bias_initializer", "recurrent_initializer",
            "embeddings_initializer", "depthwise_initializer", "pointwise_initializer", "kernel_regularizer",
            "bias_regularizer", "recurrent_regularizer", "embeddings_regularizer", "activity_regularizer",
            "kernel_constraint", "bias_constraint", "recurrent_constraint", "embeddings_constraint", "seed",
            "implementation", "unroll", "zero_output_for_mask", "quantization_config", "input_length",
            "sparse", "ragged", "optional", "input_dtype", "autocast", "lora_rank", "lora_alpha");

    private final String className;
    private final Map<String, Object> map;
    private final Set<String> used = new HashSet<>();

    ConfigReader(String className, Map<String, Object> config) {
        if (config == null) {
            throw new IllegalArgumentException(className + ".fromConfig: config is null");
        }
        this.className = className;
        this.map = config;
    }

    private String where() {
        Object name = map.get("name");
        return className + (name instanceof String ? " '" + name + "'" : "");
    }

    IllegalArgumentException error(String message) {
        return new IllegalArgumentException(where() + ": " + message);
    }

    IllegalArgumentException unsupported(String key, Object value, String supported) {
        return error("option " + key + "=" + value + " is not supported; supported: " + supported);
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    Object get(String key) {
        used.add(key);
        return map.get(key);
    }

    /** Marks options as read that only matter in training or only to Keras (e.g. initializers, when weights are set). */
    void ignore(String... keys) {
        for (String k : keys) {
            used.add(k);
        }
    }

    String string(String key, String dflt) {
        Object v = get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof String)) {
            throw error("option " + key + " must be a string, got " + v);
        }
        return (String) v;
    }

    boolean bool(String key, boolean dflt) {
        Object v = get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Boolean)) {
            throw error("option " + key + " must be true or false, got " + v);
        }
        return (Boolean) v;
    }

    double number(String key, double dflt) {
        Object v = get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number)) {
            throw error("option " + key + " must be a number, got " + v);
        }
        return ((Number) v).doubleValue();
    }

    /** A whole number (Integer, Long, or a Double without a fraction), or null when absent. */
    Long integer(String key) {
        Object v = get(key);
        return v == null ? null : wholeNumber(key, v);
    }

    private long wholeNumber(String key, Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1L << 53) {
                return (long) d;
            }
        }
        throw error("option " + key + " must be an integer, got " + v);
    }

    /** A required positive size (units, filters, n, ...). */
    int size(String key) {
        Object v = get(key);
        if (v == null) {
            throw error("missing option " + key);
        }
        return checkSize(key, v);
    }

    int checkSize(String key, Object v) {
        long n;
        try {
            n = wholeNumber(key, v);
        } catch (IllegalArgumentException e) {
            n = 0;
        }
        if (n <= 0 || n > Integer.MAX_VALUE) {
            throw error("option " + key + " must be a positive integer, got " + v);
        }
        return (int) n;
    }

    /** An int tuple such as kernel_size; a bare int is expanded to {@code rank} copies; {@code dflt} when absent. */
    int[] sizes(String key, int rank, int[] dflt) {
        Object v = get(key);
        if (v == null) {
            if (dflt == null) {
                throw error("missing option " + key);
            }
            return dflt.clone();
        }
        int[] out = new int[rank];
        if (v instanceof List) {
            List<?> l = (List<?>) v;
            if (l.size() != rank) {
                throw error("option " + key + " must have " + rank + " entries, got " + v);
            }
            for (int i = 0; i < rank; i++) {
                out[i] = checkSize(key, l.get(i));
            }
        } else {
            java.util.Arrays.fill(out, checkSize(key, v));
        }
        return out;
    }

    /** An activation identifier: a name, or a serialized {@code {"class_name": ...}} object. */
    String activation(String key, String dflt) {
        Object v = get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String) {
            return (String) v;
        }
        if (v instanceof Map) {
            Object cn = ((Map<?, ?>) v).get("class_name");
            Object inner = ((Map<?, ?>) v).get("config");
            if (cn instanceof String && (inner == null || (inner instanceof Map && ((Map<?, ?>) inner).isEmpty()))) {
                return (String) cn;
            }
            if ("function".equals(cn) || "builtins.function".equals(cn)) {
                Object fn = inner instanceof Map ? ((Map<?, ?>) inner).get("function_name") : inner;
                if (fn instanceof String) {
                    return (String) fn;
                }
            }
        }
        throw unsupported(key, v, "activation names such as \"relu\" or \"tanh\"");
    }

    /** Accepts the option only with the given value (or absent/null). */
    void require(String key, Object allowed, String supported) {
        Object v = get(key);
        if (v == null || v.equals(allowed) || (v instanceof Number && allowed instanceof Number
                && ((Number) v).doubleValue() == ((Number) allowed).doubleValue())) {
            return;
        }
        throw unsupported(key, v, supported);
    }

    /** Accepts a tuple option only when every entry equals {@code value} (e.g. groups 1). */
    void requireAll(String key, long value, String supported) {
        Object v = get(key);
        if (v == null) {
            return;
        }
        List<?> l = v instanceof List ? (List<?>) v : List.of(v);
        for (Object o : l) {
            if (!(o instanceof Number) || ((Number) o).doubleValue() != value) {
                throw unsupported(key, v, supported);
            }
        }
    }

    /** {@code axis} given as -1 or [-1] (the last axis, the only one supported); absent means -1. */
    void requireLastAxis() {
        Object axis = get("axis");
        boolean ok = axis == null || (axis instanceof Number && ((Number) axis).doubleValue() == -1);
        if (axis instanceof List && ((List<?>) axis).size() == 1) {
            Object a = ((List<?>) axis).get(0);
            ok = a instanceof Number && ((Number) a).doubleValue() == -1;
        }
        if (!ok) {
            throw unsupported("axis", axis, "axis=-1 (the last axis)");
        }
    }

    /** data_format must be channels_last (or absent). */
    void channelsLast() {
        require("data_format", "channels_last", "data_format=\"channels_last\"");
    }

    /** A number or a (possibly nested) list of numbers, flattened; null when absent. */
    float[] floats(String key) {
        Object v = get(key);
        if (v == null) {
            return null;
        }
        List<Float> out = new ArrayList<>();
        flatten(key, v, out, 0);
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = out.get(i);
        }
        return f;
    }

    private void flatten(String key, Object v, List<Float> out, int depth) {
        if (v instanceof Number) {
            out.add(((Number) v).floatValue());
        } else if (v instanceof List && depth < 8) {
            for (Object o : (List<?>) v) {
                flatten(key, o, out, depth + 1);
            }
        } else {
            throw error("option " + key + " must be a number or a list of numbers, got " + v);
        }
    }

    /**
     * Applies {@code name} and {@code trainable}, rejects any option left that matters (not read,
     * not known to be irrelevant, not null/false), and returns the layer.
     */
    <L extends Layer> L finish(L layer) {
        Object name = get("name");
        if (name instanceof String) {
            layer.name((String) name);
        }
        Object trainable = get("trainable");
        if (trainable instanceof Boolean) {
            layer.trainable((Boolean) trainable);
        }
        List<String> left = new ArrayList<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (used.contains(k) || IGNORED.contains(k) || v == null || Boolean.FALSE.equals(v)) {
                continue;
            }
            left.add(k + "=" + v);
        }
        if (!left.isEmpty()) {
            throw error("unsupported option" + (left.size() > 1 ? "s " : " ") + String.join(", ", left)
                    + "; rnn4j reads the options Keras 3 defines for this layer");
        }
        return layer;
    }
}
