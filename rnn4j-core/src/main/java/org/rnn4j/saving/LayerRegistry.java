package org.rnn4j.saving;

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
 * The one list of the layers rnn4j knows by their Keras class name: for each, a factory from its
 * Keras config (snake_case keys, as Keras 3 writes them in {@code config.json}; Keras 2 spellings
 * accepted) and, through {@link Layer#config()}, the config back. The Keras file reader and writer
 * (rnn4j-keras) use only this registry, so a layer registered here loads and saves.
 *
 * <p>Adding a layer: a class with {@code public static X fromConfig(Map<String, Object>)} is
 * registered with {@link #registerFromConfig(String, Class)}; the ones listed in {@link #OPTIONAL}
 * are registered automatically as soon as their class is on the class path. Options that change
 * the forward pass are either applied or rejected by name ({@link LayerConfig#finish}).
 */
public final class LayerRegistry {
    /** Builds a layer from its checked config. */
    @FunctionalInterface
    public interface Factory {
        Layer build(LayerConfig c) throws ConfigException;
    }

    private static final Map<String, Factory> BUILDERS = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** Layers whose {@code fromConfig} reads (and checks) its own config. */
    private static final java.util.Set<String> SELF_CHECKED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Keras class name -> rnn4j class with {@code fromConfig}, registered when present (layers that
     * land on other branches: merges, attention, normalization). Add an entry here, or call
     * {@link #registerFromConfig} from code.
     */
    public static final Map<String, String> OPTIONAL = Map.ofEntries(
            Map.entry("Concatenate", "org.rnn4j.layers.merging.Concatenate"),
            Map.entry("Add", "org.rnn4j.layers.merging.Add"),
            Map.entry("Subtract", "org.rnn4j.layers.merging.Subtract"),
            Map.entry("Multiply", "org.rnn4j.layers.merging.Multiply"),
            Map.entry("Average", "org.rnn4j.layers.merging.Average"),
            Map.entry("Maximum", "org.rnn4j.layers.merging.Maximum"),
            Map.entry("Minimum", "org.rnn4j.layers.merging.Minimum"),
            Map.entry("Dot", "org.rnn4j.layers.merging.Dot"),
            Map.entry("Permute", "org.rnn4j.layers.Permute"),
            Map.entry("Attention", "org.rnn4j.layers.attention.Attention"),
            Map.entry("AdditiveAttention", "org.rnn4j.layers.attention.AdditiveAttention"),
            Map.entry("MultiHeadAttention", "org.rnn4j.layers.attention.MultiHeadAttention"),
            Map.entry("LayerNormalization", "org.rnn4j.layers.normalization.LayerNormalization"),
            Map.entry("GroupNormalization", "org.rnn4j.layers.normalization.GroupNormalization"),
            Map.entry("CategoryEncoding", "org.rnn4j.layers.preprocessing.CategoryEncoding"),
            Map.entry("IntegerLookup", "org.rnn4j.layers.preprocessing.IntegerLookup"),
            Map.entry("StringLookup", "org.rnn4j.layers.preprocessing.StringLookup"),
            Map.entry("RNN", "org.rnn4j.layers.recurrent.RNN"),
            Map.entry("ConvLSTM1D", "org.rnn4j.layers.recurrent.ConvLSTM"),
            Map.entry("ConvLSTM2D", "org.rnn4j.layers.recurrent.ConvLSTM"),
            Map.entry("ConvLSTM3D", "org.rnn4j.layers.recurrent.ConvLSTM"),
            Map.entry("AveragePooling1D", "org.rnn4j.layers.AveragePooling1D"),
            Map.entry("AveragePooling2D", "org.rnn4j.layers.AveragePooling2D"),
            Map.entry("Conv3D", "org.rnn4j.layers.Conv3D"),
            Map.entry("MaxPooling3D", "org.rnn4j.layers.MaxPooling3D"),
            Map.entry("AveragePooling3D", "org.rnn4j.layers.AveragePooling3D"),
            Map.entry("GlobalMaxPooling2D", "org.rnn4j.layers.GlobalMaxPooling2D"),
            Map.entry("GlobalAveragePooling2D", "org.rnn4j.layers.GlobalAveragePooling2D"),
            Map.entry("GlobalMaxPooling3D", "org.rnn4j.layers.GlobalMaxPooling3D"),
            Map.entry("GlobalAveragePooling3D", "org.rnn4j.layers.GlobalAveragePooling3D"),
            Map.entry("DepthwiseConv1D", "org.rnn4j.layers.DepthwiseConv1D"),
            Map.entry("DepthwiseConv2D", "org.rnn4j.layers.DepthwiseConv2D"),
            Map.entry("SeparableConv1D", "org.rnn4j.layers.SeparableConv1D"),
            Map.entry("SeparableConv2D", "org.rnn4j.layers.SeparableConv2D"),
            Map.entry("Conv1DTranspose", "org.rnn4j.layers.Conv1DTranspose"),
            Map.entry("Conv2DTranspose", "org.rnn4j.layers.Conv2DTranspose"),
            Map.entry("Conv3DTranspose", "org.rnn4j.layers.Conv3DTranspose"),
            Map.entry("UpSampling1D", "org.rnn4j.layers.UpSampling1D"),
            Map.entry("UpSampling2D", "org.rnn4j.layers.UpSampling2D"),
            Map.entry("ZeroPadding1D", "org.rnn4j.layers.ZeroPadding1D"),
            Map.entry("Cropping1D", "org.rnn4j.layers.Cropping1D"),
            Map.entry("ZeroPadding2D", "org.rnn4j.layers.ZeroPadding2D"),
            Map.entry("Cropping2D", "org.rnn4j.layers.Cropping2D"),
            Map.entry("LeakyReLU", "org.rnn4j.layers.activations.LeakyReLU"),
            Map.entry("PReLU", "org.rnn4j.layers.activations.PReLU"),
            Map.entry("ELU", "org.rnn4j.layers.activations.ELU"),
            Map.entry("ReLU", "org.rnn4j.layers.activations.ReLU"),
            Map.entry("Softmax", "org.rnn4j.layers.activations.Softmax"),
            Map.entry("Identity", "org.rnn4j.layers.Identity"),
            Map.entry("GaussianNoise", "org.rnn4j.layers.GaussianNoise"),
            Map.entry("GaussianDropout", "org.rnn4j.layers.GaussianDropout"),
            Map.entry("AlphaDropout", "org.rnn4j.layers.AlphaDropout"),
            Map.entry("SpatialDropout2D", "org.rnn4j.layers.SpatialDropout2D"),
            Map.entry("SpatialDropout3D", "org.rnn4j.layers.SpatialDropout3D"),
            Map.entry("UnitNormalization", "org.rnn4j.layers.normalization.UnitNormalization"),
            Map.entry("ActivityRegularization", "org.rnn4j.layers.ActivityRegularization"));

    static {
        BUILDERS.put("Dense", LayerRegistry::dense);
        BUILDERS.put("Dropout", LayerRegistry::dropout);
        BUILDERS.put("Flatten", LayerRegistry::flatten);
        BUILDERS.put("SimpleRNN", c -> recurrent(c, new SimpleRNN(c.size("units"))));
        BUILDERS.put("LSTM", LayerRegistry::lstm);
        BUILDERS.put("GRU", LayerRegistry::gru);
        BUILDERS.put("Bidirectional", LayerRegistry::bidirectional);
        BUILDERS.put("TimeDistributed", c -> new TimeDistributed(nested(c, "layer")));
        BUILDERS.put("Conv1D", LayerRegistry::conv1d);
        BUILDERS.put("Conv2D", LayerRegistry::conv2d);
        BUILDERS.put("MaxPooling1D", LayerRegistry::maxPooling1d);
        BUILDERS.put("MaxPooling2D", LayerRegistry::maxPooling2d);
        BUILDERS.put("Embedding", LayerRegistry::embedding);
        BUILDERS.put("SpatialDropout1D", LayerRegistry::spatialDropout1d);
        BUILDERS.put("GlobalAveragePooling1D", c -> {
            return new GlobalAveragePooling1D().dataFormat(dataFormat(c)).keepdims(c.bool("keepdims", false));
        });
        BUILDERS.put("GlobalMaxPooling1D", c -> {
            return new GlobalMaxPooling1D().dataFormat(dataFormat(c)).keepdims(c.bool("keepdims", false));
        });
        BUILDERS.put("Activation", c -> new org.rnn4j.layers.Activation(c.activation("activation", null) == null
                ? missing(c, "activation") : c.activation("activation", null)));
        BUILDERS.put("RepeatVector", c -> new RepeatVector(c.plainSize("n")));
        BUILDERS.put("Reshape", LayerRegistry::reshape);
        BUILDERS.put("Normalization", LayerRegistry::normalization);
        BUILDERS.put("BatchNormalization", LayerRegistry::batchNormalization);
        BUILDERS.put("Masking", c -> new org.rnn4j.layers.Masking(c.number("mask_value", 0)));
        for (Map.Entry<String, String> e : OPTIONAL.entrySet()) {
            try {
                Class<?> cls = Class.forName(e.getValue(), true, LayerRegistry.class.getClassLoader());
                registerFromConfig(e.getKey(), cls.asSubclass(Layer.class));
            } catch (ClassNotFoundException | ClassCastException | IllegalArgumentException absent) {
                // not (yet) in this build: the class name stays unknown, and files using it say so
            }
        }
    }

    /** Keras's {@code <key>_constraint} options and the weight each one constrains. */
    private static final Map<String, String> CONSTRAINED_WEIGHTS = Map.of(
            "kernel_constraint", "kernel", "bias_constraint", "bias", "recurrent_constraint", "recurrent_kernel",
            "embeddings_constraint", "embeddings", "alpha_constraint", "alpha", "depthwise_constraint", "depthwise_kernel",
            "pointwise_constraint", "pointwise_kernel", "beta_constraint", "beta", "gamma_constraint", "gamma");

    /**
     * Attaches the config's weight constraints (applied by the optimizer after each step, as Keras);
     * a constraint class rnn4j does not know is an error naming it, since training would differ.
     */
    private static void readConstraints(Layer layer, Map<String, Object> config, String where) throws ConfigException {
        for (Map.Entry<String, String> e : CONSTRAINED_WEIGHTS.entrySet()) {
            Object spec = config.get(e.getKey());
            if (spec == null) {
                continue;
            }
            // DepthwiseConv1D/2D call their depthwise kernel "kernel" (SeparableConv: "depthwise_kernel")
            String weight = e.getKey().equals("depthwise_constraint") && layer.className().startsWith("DepthwiseConv")
                    ? "kernel" : e.getValue();
            try {
                layer.constraint(weight, org.rnn4j.constraints.Constraints.get(spec));
            } catch (IllegalArgumentException bad) {
                throw new ConfigException(where + ": option " + e.getKey() + ": " + bad.getMessage(), bad);
            }
        }
    }

    /** Registers (or replaces) the factory of a Keras class name. */
    public static void register(String kerasClassName, Factory factory) {
        BUILDERS.put(kerasClassName, factory);
        SELF_CHECKED.remove(kerasClassName);
    }

    /**
     * Registers a layer class by its {@code public static X fromConfig(Map<String, Object>)}, which
     * reads (and checks) the whole config itself.
     */
    public static void registerFromConfig(String kerasClassName, Class<? extends Layer> type) {
        java.lang.reflect.Method m;
        try {
            m = type.getMethod("fromConfig", Map.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type.getName() + " has no public static fromConfig(Map)", e);
        }
        if (!java.lang.reflect.Modifier.isStatic(m.getModifiers()) || !Layer.class.isAssignableFrom(m.getReturnType())) {
            throw new IllegalArgumentException(type.getName() + ".fromConfig(Map) must be static and return the layer");
        }
        BUILDERS.put(kerasClassName, c -> {
            try {
                Layer l = (Layer) m.invoke(null, c.raw());
                c.markAllUsed();
                return l;
            } catch (IllegalAccessException e) {
                throw c.error("cannot call " + type.getSimpleName() + ".fromConfig: " + e.getMessage());
            } catch (java.lang.reflect.InvocationTargetException e) {
                Throwable t = e.getCause();
                if (t instanceof RuntimeException) {
                    throw (RuntimeException) t;
                }
                throw c.error(String.valueOf(t));
            }
        });
        SELF_CHECKED.add(kerasClassName);
    }

    /** Whether a Keras class name is registered. */
    public static boolean has(String kerasClassName) {
        return BUILDERS.containsKey(kerasClassName);
    }

    /** Rebuilds a layer from its Keras class name and config (Keras's {@code deserialize}). */
    public static Layer fromConfig(String kerasClassName, Map<String, Object> config) throws ConfigException {
        Object n = config.get("name");
        return create(kerasClassName, config, "layer '" + n + "' (" + kerasClassName + ")", LayerConfig.MAX_SIZE);
    }

    /** The Keras config of a layer (its {@link Layer#config()}), the other direction of {@link #fromConfig}. */
    public static Map<String, Object> config(Layer layer) {
        return layer.config();
    }

    /** The Keras class name a layer is saved under ({@link Layer#className()}). */
    public static String className(Layer layer) {
        return layer.className();
    }

    private static String missing(LayerConfig c, String key) throws ConfigException {
        throw c.error("missing option " + key);
    }

    private LayerRegistry() {
    }

    /** The Keras class names rnn4j can load, sorted. */
    public static java.util.Set<String> supported() {
        return java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(BUILDERS.keySet()));
    }

    /**
     * Builds one layer. {@code where} describes its position for messages, e.g.
     * {@code "layer 2 'lstm' (LSTM)"}.
     */
    public static Layer create(String className, Map<String, Object> config, String where, long maxParamSize)
            throws ConfigException {
        Factory b = BUILDERS.get(className);
        if (b == null && CustomObjects.has(className)) {
            Layer custom = CustomObjects.create(className, config, Layer.class, where);
            Object name = config.get("name");
            if (name instanceof String && !custom.isBuilt() && !name.equals(custom.name())) {
                custom.name((String) name);
            }
            return custom;
        }
        if (b == null) {
            String cell = className.endsWith("Cell") || className.equals("StackedRNNCells")
                    ? "; " + className + " is an RNN cell: it loads inside an RNN layer (RNN(cell))" : "";
            throw new ConfigException(where + ": layer class '" + className + "' is not supported" + cell
                    + CustomObjects.hint(className, "Layer") + "; supported: " + String.join(", ", supported()));
        }
        LayerConfig c = new LayerConfig(where, config, maxParamSize);
        Layer layer;
        try {
            layer = b.build(c);
            Object name = c.get("name");
            if (name instanceof String) {
                layer.name((String) name);
            }
            // Keras's base Layer takes activity_regularizer for every class; the model applies it
            if (config.get("activity_regularizer") != null && layer.activityRegularizer() == null) {
                layer.activityRegularizer(org.rnn4j.layers.config.ConfigValues.getRegularizer(config,
                        "activity_regularizer"));
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Our setters reject bad values (unknown activation, bad rate) with a clear message.
            throw new ConfigException(where + ": " + e.getMessage(), e);
        }
        c.finish();
        readConstraints(layer, config, where);
        return layer;
    }

    /** A nested layer such as Bidirectional's or TimeDistributed's {@code layer} option. */
    public static Layer nested(LayerConfig outer, String key) throws ConfigException {
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

    private static Dense dense(LayerConfig c) throws ConfigException {
        Dense d = new Dense(c.size("units"));
        d.activation(c.activation("activation", "linear"));
        d.useBias(c.bool("use_bias", true));
        return d;
    }

    private static Dropout dropout(LayerConfig c) throws ConfigException {
        c.get("noise_shape"); // training only
        return new Dropout(c.number("rate", 0));
    }

    /** Options shared by SimpleRNN, LSTM and GRU (Keras 3 and Keras 2 spellings). */
    private static <T extends RecurrentLayer<T>> T recurrent(LayerConfig c, T l) throws ConfigException {
        l.activation(c.activation("activation", "tanh"));
        l.useBias(c.bool("use_bias", true));
        l.returnSequences(c.bool("return_sequences", false));
        if (c.bool("return_state", false)) {
            returnState(c, l);
        }
        l.goBackwards(c.bool("go_backwards", false));
        l.stateful(c.bool("stateful", false));
        l.zeroOutputForMask(c.bool("zero_output_for_mask", false));
        c.require("time_major", false, "time_major=false (batch-major input)");
        l.dropout(c.number("dropout", 0));
        l.recurrentDropout(c.number("recurrent_dropout", 0));
        return l;
    }

    /**
     * return_state: the recurrent layers' {@code returnState(true)} (outputs {@code [output, h(, c)]}),
     * used when the core's recurrent layers have it.
     */
    private static void returnState(LayerConfig c, RecurrentLayer<?> l) throws ConfigException {
        java.lang.reflect.Method m;
        try {
            m = l.getClass().getMethod("returnState", boolean.class);
        } catch (NoSuchMethodException e) {
            throw c.unsupported("return_state", true, "return_state=false (this build's recurrent layers do not"
                    + " return their states yet)");
        }
        try {
            m.invoke(l, true);
        } catch (ReflectiveOperationException e) {
            throw c.error("cannot set return_state: " + e.getCause());
        }
    }

    /** Whether this build's recurrent layers return their states and take initial states (Keras's return_state, initial_state). */
    public static boolean recurrentStatesSupported() {
        try {
            LSTM probe = new LSTM(2);
            probe.getClass().getMethod("returnState", boolean.class).invoke(probe, true);
            return probe.computeOutputShapes(java.util.List.of(new int[] {3, 4}, new int[] {2}, new int[] {2})).size() == 3;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static LSTM lstm(LayerConfig c) throws ConfigException {
        LSTM l = recurrent(c, new LSTM(c.size("units")));
        // Keras 3 reads "hard_sigmoid" as its own clip(x/6+0.5); the expected outputs of Keras 2 files follow it.
        l.recurrentActivation(c.activation("recurrent_activation", "sigmoid"));
        l.unitForgetBias(c.bool("unit_forget_bias", true));
        return l;
    }

    private static GRU gru(LayerConfig c) throws ConfigException {
        GRU g = recurrent(c, new GRU(c.size("units")));
        g.recurrentActivation(c.activation("recurrent_activation", "sigmoid"));
        // Keras < 2.1.5 had no reset_after and computed the old (reset-before) GRU; Keras 3 defaults to true.
        boolean legacy = !c.raw().containsKey("reset_after");
        g.resetAfter(c.bool("reset_after", !legacy));
        return g;
    }

    private static Bidirectional bidirectional(LayerConfig c) throws ConfigException {
        Layer forward = nested(c, "layer");
        Bidirectional b = c.has("backward_layer") ? new Bidirectional(forward, nested(c, "backward_layer"))
                : new Bidirectional(forward);
        if (c.raw().containsKey("merge_mode") && c.raw().get("merge_mode") == null) {
            throw c.unsupported("merge_mode", null, "merge_mode \"concat\", \"sum\", \"mul\" or \"ave\"");
        }
        b.mergeMode(c.string("merge_mode", "concat"));
        return b;
    }

    /** data_format: "channels_last" (also when absent or null) or "channels_first". */
    private static String dataFormat(LayerConfig c) throws ConfigException {
        String f = c.string("data_format", "channels_last");
        if (!f.equals("channels_last") && !f.equals("channels_first")) {
            throw c.unsupported("data_format", f, "data_format=\"channels_last\" or \"channels_first\"");
        }
        return f;
    }

    private static void convCommon(LayerConfig c, org.rnn4j.layers.BaseConv<?> l) throws ConfigException {
        l.dataFormat(dataFormat(c));
        Object groups = c.get("groups");
        if (groups != null) {
            int g = c.checkSize("groups", groups);
            if (l.filters() % g != 0) {
                throw c.error("option groups=" + g + " must divide filters=" + l.filters());
            }
            l.groups(g);
        }
        l.padding(c.string("padding", "valid"));
        l.activation(c.activation("activation", "linear"));
        l.useBias(c.bool("use_bias", true));
    }

    private static Conv1D conv1d(LayerConfig c) throws ConfigException {
        int[] k = c.sizes("kernel_size", 1, null, c.maxParamSize);
        Conv1D l = new Conv1D(c.size("filters"), k[0]);
        l.strides(c.sizes("strides", 1, new int[] {1})[0]);
        l.dilationRate(c.sizes("dilation_rate", 1, new int[] {1})[0]);
        convCommon(c, l);
        return l;
    }

    private static Conv2D conv2d(LayerConfig c) throws ConfigException {
        int[] k = c.sizes("kernel_size", 2, null, c.maxParamSize);
        Conv2D l = new Conv2D(c.size("filters"), k[0], k[1]);
        int[] s = c.sizes("strides", 2, new int[] {1, 1});
        l.strides(s[0], s[1]);
        int[] d = c.sizes("dilation_rate", 2, new int[] {1, 1});
        l.dilationRate(d[0], d[1]);
        convCommon(c, l);
        return l;
    }

    private static MaxPooling1D maxPooling1d(LayerConfig c) throws ConfigException {
        int[] p = c.sizes("pool_size", 1, new int[] {2});
        MaxPooling1D l = new MaxPooling1D(p[0]).dataFormat(dataFormat(c));
        l.strides(c.sizes("strides", 1, p)[0]);
        l.padding(c.string("padding", "valid"));
        return l;
    }

    private static MaxPooling2D maxPooling2d(LayerConfig c) throws ConfigException {
        int[] p = c.sizes("pool_size", 2, new int[] {2, 2});
        MaxPooling2D l = new MaxPooling2D(p[0], p[1]).dataFormat(dataFormat(c));
        int[] s = c.sizes("strides", 2, p);
        l.strides(s[0], s[1]);
        l.padding(c.string("padding", "valid"));
        return l;
    }

    private static Embedding embedding(LayerConfig c) throws ConfigException {
        Embedding e = new Embedding(c.size("input_dim"), c.size("output_dim"));
        e.maskZero(c.bool("mask_zero", false));
        return e;
    }

    private static SpatialDropout1D spatialDropout1d(LayerConfig c) throws ConfigException {
        c.get("noise_shape"); // Keras 2 wrote it; training only
        return new SpatialDropout1D(c.number("rate", 0));
    }

    private static org.rnn4j.layers.Normalization normalization(LayerConfig c) throws ConfigException {
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
    private static float[] floats(LayerConfig c, String key) throws ConfigException {
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

    private static void flatten(LayerConfig c, String key, Object v, java.util.List<Float> out, int depth)
            throws ConfigException {
        if (v instanceof Number) {
            out.add(((Number) v).floatValue());
        } else if (v instanceof java.util.List && depth < 8) {
            for (Object o : (java.util.List<?>) v) {
                flatten(c, key, o, out, depth + 1);
            }
        } else {
            throw c.error("option " + key + " must be a number or a list of numbers, got " + ConfigJson.write(v));
        }
    }

    private static org.rnn4j.layers.BatchNormalization batchNormalization(LayerConfig c) throws ConfigException {
        Object axis = c.get("axis");
        if (!(axis == null || Long.valueOf(-1).equals(axis)
                || (axis instanceof java.util.List && ((java.util.List<?>) axis).equals(java.util.List.of(-1L))))) {
            throw c.unsupported("axis", axis, "axis=-1 (the last axis, channels_last)");
        }
        org.rnn4j.layers.BatchNormalization b = new org.rnn4j.layers.BatchNormalization()
                .momentum(c.number("momentum", 0.99)).epsilon(c.number("epsilon", 1e-3))
                .center(c.bool("center", true)).scale(c.bool("scale", true));
        c.require("renorm", false, "renorm=false");
        c.require("synchronized", false, "synchronized=false");
        for (String k : new String[] {"moving_mean_initializer", "moving_variance_initializer", "gamma_initializer",
            "beta_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint",
            "renorm_clipping", "renorm_momentum"}) {
            c.get(k); // initial values and training-only options: the weights come from the file
        }
        return b;
    }

    private static Reshape reshape(LayerConfig c) throws ConfigException {
        Object v = c.get("target_shape");
        if (!(v instanceof java.util.List) || ((java.util.List<?>) v).isEmpty()) {
            throw c.error("option target_shape must be a list of sizes, got " + ConfigJson.write(v));
        }
        java.util.List<?> l = (java.util.List<?>) v;
        int[] shape = new int[l.size()];
        for (int i = 0; i < shape.length; i++) {
            Object d = l.get(i);
            shape[i] = Long.valueOf(-1).equals(d) ? -1 : c.checkSize("target_shape", d);
        }
        return new Reshape(shape);
    }

    private static Flatten flatten(LayerConfig c) throws ConfigException {
        c.require("data_format", "channels_last", "data_format=\"channels_last\"");
        return new Flatten();
    }
}
