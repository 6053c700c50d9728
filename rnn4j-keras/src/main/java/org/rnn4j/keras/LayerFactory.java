package org.rnn4j.keras;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.Layer;

/**
 * Turns a Keras layer config (class name + config map) into an rnn4j layer through its fluent
 * setters. Options that change the forward pass are either applied or rejected by name.
 */
final class LayerFactory {
    @FunctionalInterface
    interface Builder {
        Layer build(Cfg c) throws KerasFormatException;
    }

    private static final Map<String, Builder> BUILDERS = new LinkedHashMap<>();

    static {
        BUILDERS.put("Dense", LayerFactory::dense);
        BUILDERS.put("Dropout", LayerFactory::dropout);
        BUILDERS.put("Flatten", LayerFactory::flatten);
    }

    private LayerFactory() {
    }

    /** The Keras class names rnn4j can load. */
    static java.util.Set<String> supported() {
        return BUILDERS.keySet();
    }

    /**
     * Builds one layer. {@code where} describes its position for messages, e.g.
     * {@code "layer 2 'lstm' (LSTM)"}.
     */
    static Layer create(String className, Map<String, Object> config, String where) throws KerasFormatException {
        Builder b = BUILDERS.get(className);
        if (b == null) {
            throw new KerasFormatException(where + ": layer class '" + className + "' is not supported; supported: "
                    + String.join(", ", BUILDERS.keySet()));
        }
        Cfg c = new Cfg(where, config);
        Layer layer;
        try {
            layer = b.build(c);
            Object name = c.get("name");
            if (name instanceof String) {
                layer.name((String) name);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Our setters reject bad values (unknown activation, bad rate) with a clear message.
            throw new KerasFormatException(where + ": " + e.getMessage(), e);
        }
        c.finish();
        return layer;
    }

    /** A nested layer such as Bidirectional's or TimeDistributed's {@code layer} option. */
    static Layer nested(Cfg outer, String key) throws KerasFormatException {
        Object v = outer.get(key);
        if (!(v instanceof Map)) {
            throw outer.error("option " + key + " must be a serialized layer {\"class_name\": ..., \"config\": ...}");
        }
        Map<?, ?> m = (Map<?, ?>) v;
        Object cn = m.get("class_name");
        Object cfg = m.get("config");
        if (!(cn instanceof String) || !(cfg instanceof Map)) {
            throw outer.error("option " + key + " must be a serialized layer {\"class_name\": ..., \"config\": ...}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) cfg;
        Object name = inner.get("name");
        String where = outer.context + " > " + key + (name instanceof String ? " '" + name + "'" : "") + " (" + cn + ")";
        return create((String) cn, inner, where);
    }

    private static Dense dense(Cfg c) throws KerasFormatException {
        Dense d = new Dense(c.size("units"));
        d.activation(c.activation("activation", "linear"));
        d.useBias(c.bool("use_bias", true));
        return d;
    }

    private static Dropout dropout(Cfg c) throws KerasFormatException {
        c.get("noise_shape"); // training only
        return new Dropout(c.number("rate", 0));
    }

    private static Flatten flatten(Cfg c) throws KerasFormatException {
        c.require("data_format", "channels_last", "data_format=\"channels_last\"");
        return new Flatten();
    }
}
