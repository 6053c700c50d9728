package org.rnn4j.saving;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed, checked access to one layer's Keras config. Every read names the layer (position, name,
 * class) and the option in its error, and {@link #finish} rejects options that were neither used
 * nor known to be irrelevant for rnn4j, so nothing that changes the numbers is silently dropped.
 */
public final class LayerConfig {
    /** Upper bound for sizes such as units or filters: far above real models, far below overflow. */
    public static final long MAX_SIZE = 1L << 24;

    /** Options that never change a loaded model's forward pass (weights come from the file). */
    private static final Set<String> IGNORED = Set.of("name", "trainable", "dtype", "batch_input_shape",
            "batch_shape", "input_shape", "kernel_initializer", "bias_initializer", "recurrent_initializer",
            "embeddings_initializer", "depthwise_initializer", "pointwise_initializer", "kernel_regularizer",
            "bias_regularizer", "recurrent_regularizer", "embeddings_regularizer", "activity_regularizer",
            "kernel_constraint", "bias_constraint", "recurrent_constraint", "embeddings_constraint", "seed",
            "implementation", "unroll", "zero_output_for_mask", "quantization_config", "input_length",
            "sparse", "ragged", "optional", "input_dtype", "autocast", "lora_rank", "lora_alpha");

    public final String context;
    private final Map<String, Object> map;
    private final Set<String> used = new HashSet<>();
    /** Bound for sizes that each imply at least one parameter (units, filters, kernel_size, ...). */
    public final long maxParamSize;

    public LayerConfig(String context, Map<String, Object> map) {
        this(context, map, MAX_SIZE);
    }

    /**
     * @param maxParamSize every weight comes from the file, so a size implying parameters cannot
     *                     exceed the number of floats the weights file holds
     */
    public LayerConfig(String context, Map<String, Object> map, long maxParamSize) {
        this.context = context;
        this.map = map;
        this.maxParamSize = Math.min(MAX_SIZE, Math.max(1, maxParamSize));
    }

    public Map<String, Object> raw() {
        return map;
    }

    public boolean has(String key) {
        return map.get(key) != null;
    }

    /** Marks every option as read (a layer's own {@code fromConfig} checked them). */
    public void markAllUsed() {
        used.addAll(map.keySet());
    }

    public Object get(String key) {
        used.add(key);
        return map.get(key);
    }

    public ConfigException error(String message) {
        return new ConfigException(context + ": " + message);
    }

    public ConfigException unsupported(String key, Object value, String supported) {
        return new ConfigException(context + ": option " + key + "=" + ConfigJson.write(value)
                + " is not supported; supported: " + supported);
    }

    public String string(String key, String dflt) throws ConfigException {
        Object v = get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof String)) {
            throw error("option " + key + " must be a string, got " + ConfigJson.write(v));
        }
        return (String) v;
    }

    public boolean bool(String key, boolean dflt) throws ConfigException {
        Object v = get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Boolean)) {
            throw error("option " + key + " must be true or false, got " + ConfigJson.write(v));
        }
        return (Boolean) v;
    }

    public double number(String key, double dflt) throws ConfigException {
        Object v = get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number)) {
            throw error("option " + key + " must be a number, got " + ConfigJson.write(v));
        }
        return ((Number) v).doubleValue();
    }

    /** A positive size that implies parameters (units, filters, ...), bounded by the weights file. */
    public int size(String key) throws ConfigException {
        Object v = get(key);
        if (v == null) {
            throw error("missing option " + key);
        }
        return checkSize(key, v, maxParamSize);
    }

    /** A positive size without parameters (pool_size, n, ...), bounded by {@link #MAX_SIZE}. */
    public int plainSize(String key) throws ConfigException {
        Object v = get(key);
        if (v == null) {
            throw error("missing option " + key);
        }
        return checkSize(key, v, MAX_SIZE);
    }

    public int checkSize(String key, Object v) throws ConfigException {
        return checkSize(key, v, MAX_SIZE);
    }

    public int checkSize(String key, Object v, long max) throws ConfigException {
        if (!(v instanceof Long) || (Long) v <= 0 || (Long) v > max) {
            throw error("option " + key + " must be a positive integer up to " + max
                    + (max < MAX_SIZE ? " (the weights file holds no more floats)" : "") + ", got " + ConfigJson.write(v));
        }
        return (int) (long) (Long) v;
    }

    /** An int tuple such as kernel_size; a bare int is expanded to {@code rank} copies. */
    public int[] sizes(String key, int rank, int[] dflt) throws ConfigException {
        return sizes(key, rank, dflt, MAX_SIZE);
    }

    public int[] sizes(String key, int rank, int[] dflt, long max) throws ConfigException {
        Object v = get(key);
        if (v == null) {
            if (dflt == null) {
                throw error("missing option " + key);
            }
            return dflt;
        }
        int[] out = new int[rank];
        if (v instanceof List) {
            List<?> l = (List<?>) v;
            if (l.size() != rank) {
                throw error("option " + key + " must have " + rank + " entries, got " + ConfigJson.write(v));
            }
            for (int i = 0; i < rank; i++) {
                out[i] = checkSize(key, l.get(i), max);
            }
        } else {
            int s = checkSize(key, v, max);
            java.util.Arrays.fill(out, s);
        }
        return out;
    }

    /** A per-sample shape from a Keras batch shape ({@code [null, 4, 6]}); None becomes -1. */
    public static int[] sampleShape(LayerConfig c, Object batchShape, String key) throws ConfigException {
        if (!(batchShape instanceof List) || ((List<?>) batchShape).isEmpty()) {
            throw c.error("option " + key + " must be a list like [null, 4, 6], got " + ConfigJson.write(batchShape));
        }
        List<?> l = (List<?>) batchShape;
        int[] out = new int[l.size() - 1];
        for (int i = 1; i < l.size(); i++) {
            Object d = l.get(i);
            out[i - 1] = d == null ? -1 : c.checkSize(key, d);
        }
        return out;
    }

    /** An activation identifier: a string or a serialized {@code {"class_name": ...}} object. */
    public String activation(String key, String dflt) throws ConfigException {
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
    public void require(String key, Object allowed, String supported) throws ConfigException {
        Object v = get(key);
        if (v == null || v.equals(allowed) || sameNumber(v, allowed)) {
            return;
        }
        throw unsupported(key, v, supported);
    }

    /** Accepts a tuple option only when every entry equals {@code value} (e.g. dilation_rate 1). */
    public void requireAll(String key, long value, String supported) throws ConfigException {
        Object v = get(key);
        if (v == null) {
            return;
        }
        List<?> l = v instanceof List ? (List<?>) v : List.of(v);
        for (Object o : l) {
            if (!(o instanceof Long) || (Long) o != value) {
                throw unsupported(key, v, supported);
            }
        }
    }

    private static boolean sameNumber(Object a, Object b) {
        return a instanceof Number && b instanceof Number
                && ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }

    /** Rejects any option left that matters: not read, not known to be irrelevant, not null/false. */
    public void finish() throws ConfigException {
        List<String> left = new ArrayList<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (used.contains(k) || IGNORED.contains(k) || v == null || Boolean.FALSE.equals(v)) {
                continue;
            }
            left.add(k + "=" + ConfigJson.write(v));
        }
        if (!left.isEmpty()) {
            throw error("unsupported option" + (left.size() > 1 ? "s " : " ") + String.join(", ", left)
                    + "; rnn4j reads the options Keras 3 defines for this layer");
        }
    }
}
