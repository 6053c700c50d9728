package org.rnn4j.keras;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.Conv2D;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.GlobalAveragePooling1D;
import org.rnn4j.layers.GlobalMaxPooling1D;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.MaxPooling1D;
import org.rnn4j.layers.MaxPooling2D;
import org.rnn4j.layers.RecurrentLayer;
import org.rnn4j.layers.RepeatVector;
import org.rnn4j.layers.Reshape;
import org.rnn4j.layers.SimpleRNN;
import org.rnn4j.layers.SpatialDropout1D;
import org.rnn4j.layers.TimeDistributed;

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
        BUILDERS.put("SimpleRNN", c -> recurrent(c, new SimpleRNN(c.size("units"))));
        BUILDERS.put("LSTM", LayerFactory::lstm);
        BUILDERS.put("GRU", LayerFactory::gru);
        BUILDERS.put("Bidirectional", LayerFactory::bidirectional);
        BUILDERS.put("TimeDistributed", c -> new TimeDistributed(nested(c, "layer")));
        BUILDERS.put("Conv1D", LayerFactory::conv1d);
        BUILDERS.put("Conv2D", LayerFactory::conv2d);
        BUILDERS.put("MaxPooling1D", LayerFactory::maxPooling1d);
        BUILDERS.put("MaxPooling2D", LayerFactory::maxPooling2d);
        BUILDERS.put("Embedding", LayerFactory::embedding);
        BUILDERS.put("SpatialDropout1D", LayerFactory::spatialDropout1d);
        BUILDERS.put("GlobalAveragePooling1D", c -> {
            channelsLast(c);
            return new GlobalAveragePooling1D().keepdims(c.bool("keepdims", false));
        });
        BUILDERS.put("GlobalMaxPooling1D", c -> {
            channelsLast(c);
            return new GlobalMaxPooling1D().keepdims(c.bool("keepdims", false));
        });
        BUILDERS.put("Activation", c -> new org.rnn4j.layers.Activation(c.activation("activation", null) == null
                ? missing(c, "activation") : c.activation("activation", null)));
        BUILDERS.put("RepeatVector", c -> new RepeatVector(c.plainSize("n")));
        BUILDERS.put("Reshape", LayerFactory::reshape);
        BUILDERS.put("Normalization", LayerFactory::normalization);
    }

    private static String missing(Cfg c, String key) throws KerasFormatException {
        throw c.error("missing option " + key);
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
    static Layer create(String className, Map<String, Object> config, String where, long maxParamSize)
            throws KerasFormatException {
        Builder b = BUILDERS.get(className);
        if (b == null) {
            throw new KerasFormatException(where + ": layer class '" + className + "' is not supported; supported: "
                    + String.join(", ", BUILDERS.keySet()));
        }
        Cfg c = new Cfg(where, config, maxParamSize);
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
        return create((String) cn, inner, where, outer.maxParamSize);
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

    /** Options shared by SimpleRNN, LSTM and GRU (Keras 3 and Keras 2 spellings). */
    private static <T extends RecurrentLayer<T>> T recurrent(Cfg c, T l) throws KerasFormatException {
        l.activation(c.activation("activation", "tanh"));
        l.useBias(c.bool("use_bias", true));
        l.returnSequences(c.bool("return_sequences", false));
        if (c.bool("return_state", false)) {
            throw c.unsupported("return_state", true, "return_state=false (a layer returning its states does not fit a chain)");
        }
        l.goBackwards(c.bool("go_backwards", false));
        c.require("stateful", false, "stateful=false");
        c.require("time_major", false, "time_major=false (batch-major input)");
        l.dropout(c.number("dropout", 0));
        l.recurrentDropout(c.number("recurrent_dropout", 0));
        return l;
    }

    private static LSTM lstm(Cfg c) throws KerasFormatException {
        LSTM l = recurrent(c, new LSTM(c.size("units")));
        // Keras 3 reads "hard_sigmoid" as its own clip(x/6+0.5); the expected outputs of Keras 2 files follow it.
        l.recurrentActivation(c.activation("recurrent_activation", "sigmoid"));
        l.unitForgetBias(c.bool("unit_forget_bias", true));
        return l;
    }

    private static GRU gru(Cfg c) throws KerasFormatException {
        GRU g = recurrent(c, new GRU(c.size("units")));
        g.recurrentActivation(c.activation("recurrent_activation", "sigmoid"));
        // Keras < 2.1.5 had no reset_after and computed the old (reset-before) GRU; Keras 3 defaults to true.
        boolean legacy = !c.raw().containsKey("reset_after");
        g.resetAfter(c.bool("reset_after", !legacy));
        return g;
    }

    private static Bidirectional bidirectional(Cfg c) throws KerasFormatException {
        Layer forward = nested(c, "layer");
        Bidirectional b = c.has("backward_layer") ? new Bidirectional(forward, nested(c, "backward_layer"))
                : new Bidirectional(forward);
        if (c.raw().containsKey("merge_mode") && c.raw().get("merge_mode") == null) {
            throw c.unsupported("merge_mode", null, "merge_mode \"concat\", \"sum\", \"mul\" or \"ave\"");
        }
        b.mergeMode(c.string("merge_mode", "concat"));
        return b;
    }

    private static void channelsLast(Cfg c) throws KerasFormatException {
        c.require("data_format", "channels_last", "data_format=\"channels_last\"");
    }

    private static void convCommon(Cfg c, org.rnn4j.layers.BaseConv<?> l) throws KerasFormatException {
        channelsLast(c);
        c.requireAll("groups", 1, "groups=1");
        l.padding(c.string("padding", "valid"));
        l.activation(c.activation("activation", "linear"));
        l.useBias(c.bool("use_bias", true));
    }

    private static Conv1D conv1d(Cfg c) throws KerasFormatException {
        int[] k = c.sizes("kernel_size", 1, null, c.maxParamSize);
        Conv1D l = new Conv1D(c.size("filters"), k[0]);
        l.strides(c.sizes("strides", 1, new int[] {1})[0]);
        l.dilationRate(c.sizes("dilation_rate", 1, new int[] {1})[0]);
        convCommon(c, l);
        return l;
    }

    private static Conv2D conv2d(Cfg c) throws KerasFormatException {
        int[] k = c.sizes("kernel_size", 2, null, c.maxParamSize);
        Conv2D l = new Conv2D(c.size("filters"), k[0], k[1]);
        int[] s = c.sizes("strides", 2, new int[] {1, 1});
        l.strides(s[0], s[1]);
        int[] d = c.sizes("dilation_rate", 2, new int[] {1, 1});
        l.dilationRate(d[0], d[1]);
        convCommon(c, l);
        return l;
    }

    private static MaxPooling1D maxPooling1d(Cfg c) throws KerasFormatException {
        channelsLast(c);
        int[] p = c.sizes("pool_size", 1, new int[] {2});
        MaxPooling1D l = new MaxPooling1D(p[0]);
        l.strides(c.sizes("strides", 1, p)[0]);
        l.padding(c.string("padding", "valid"));
        return l;
    }

    private static MaxPooling2D maxPooling2d(Cfg c) throws KerasFormatException {
        channelsLast(c);
        int[] p = c.sizes("pool_size", 2, new int[] {2, 2});
        MaxPooling2D l = new MaxPooling2D(p[0], p[1]);
        int[] s = c.sizes("strides", 2, p);
        l.strides(s[0], s[1]);
        l.padding(c.string("padding", "valid"));
        return l;
    }

    private static Embedding embedding(Cfg c) throws KerasFormatException {
        Embedding e = new Embedding(c.size("input_dim"), c.size("output_dim"));
        e.maskZero(c.bool("mask_zero", false));
        return e;
    }

    private static SpatialDropout1D spatialDropout1d(Cfg c) throws KerasFormatException {
        c.get("noise_shape"); // Keras 2 wrote it; training only
        return new SpatialDropout1D(c.number("rate", 0));
    }

    private static org.rnn4j.layers.Normalization normalization(Cfg c) throws KerasFormatException {
        Object axis = c.get("axis");
        if (!(axis == null || Long.valueOf(-1).equals(axis)
                || (axis instanceof java.util.List && ((java.util.List<?>) axis).equals(java.util.List.of(-1L))))) {
            throw c.unsupported("axis", axis, "axis=-1 (per feature of the last axis)");
        }
        org.rnn4j.layers.Normalization n = new org.rnn4j.layers.Normalization().invert(c.bool("invert", false));
        // Statistics given in the config (Normalization(mean=..., variance=...)) instead of adapted weights.
        float[] mean = floats(c, "mean");
        float[] variance = floats(c, "variance");
        if (mean != null || variance != null) {
            if (mean == null || variance == null) {
                throw c.error("mean and variance must be given together (or both null for adapted statistics)");
            }
            n.meanAndVariance(mean, variance);
        }
        return n;
    }

    /** A number or a (possibly nested, e.g. [[1, 2]]) list of numbers, flattened; null when absent. */
    private static float[] floats(Cfg c, String key) throws KerasFormatException {
        Object v = c.get(key);
        if (v == null) {
            return null;
        }
        java.util.List<Float> out = new java.util.ArrayList<>();
        flatten(c, key, v, out, 0);
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = out.get(i);
        }
        return f;
    }

    private static void flatten(Cfg c, String key, Object v, java.util.List<Float> out, int depth)
            throws KerasFormatException {
        if (v instanceof Number) {
            out.add(((Number) v).floatValue());
        } else if (v instanceof java.util.List && depth < 8) {
            for (Object o : (java.util.List<?>) v) {
                flatten(c, key, o, out, depth + 1);
            }
        } else {
            throw c.error("option " + key + " must be a number or a list of numbers, got " + Json.write(v));
        }
    }

    private static Reshape reshape(Cfg c) throws KerasFormatException {
        Object v = c.get("target_shape");
        if (!(v instanceof java.util.List) || ((java.util.List<?>) v).isEmpty()) {
            throw c.error("option target_shape must be a list of sizes, got " + Json.write(v));
        }
        java.util.List<?> l = (java.util.List<?>) v;
        int[] shape = new int[l.size()];
        for (int i = 0; i < shape.length; i++) {
            Object d = l.get(i);
            shape[i] = Long.valueOf(-1).equals(d) ? -1 : c.checkSize("target_shape", d);
        }
        return new Reshape(shape);
    }

    private static Flatten flatten(Cfg c) throws KerasFormatException {
        c.require("data_format", "channels_last", "data_format=\"channels_last\"");
        return new Flatten();
    }
}
