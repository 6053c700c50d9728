package org.rnn4j.keras;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnn4j.activations.Activation;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.layers.Layer;
import org.rnn4j.regularizers.L1L2;

/** A layer in Keras 3's serialized form ({@code module, class_name, config, registered_name, build_config}), its config JSON-ready. */
final class LayerSerializer {
    private LayerSerializer() {
    }

    /** Keys some Keras 3 constructors reject although a generic config carries them. */
    private static final Map<String, Set<String>> KERAS_REJECTS = Map.of(
            "SpatialDropout1D", Set.of("trainable", "noise_shape"));

    static Map<String, Object> serialize(Layer l) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        Set<String> rejected = KERAS_REJECTS.getOrDefault(l.className(), Set.of());
        for (Map.Entry<String, Object> e : l.config().entrySet()) {
            if (rejected.contains(e.getKey())) {
                continue;
            }
            cfg.put(e.getKey(), value(e.getValue(), l, e.getKey()));
        }
        return serialized(l.className(), cfg, l.isBuilt() ? KerasSaver.batchShape(l.inputShape()) : null);
    }

    static Map<String, Object> serialized(String className, Map<String, Object> cfg, List<Object> buildShape) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "keras.layers");
        m.put("class_name", className);
        m.put("config", cfg);
        m.put("registered_name", null);
        if (buildShape != null) {
            m.put("build_config", Map.of("input_shape", buildShape));
        }
        return m;
    }

    /** Converts a layer config value to JSON-ready form (nested layers, arrays, named objects). */
    static Object value(Object v, Layer owner, String key) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) {
            return v;
        }
        if (v instanceof Layer) {
            return serialize((Layer) v);
        }
        if (v instanceof int[]) {
            List<Object> l = new ArrayList<>();
            for (int i : (int[]) v) {
                l.add(i);
            }
            return l;
        }
        if (v instanceof float[] || v instanceof double[]) {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                l.add(((Number) Array.get(v, i)).doubleValue());
            }
            return l;
        }
        if (v instanceof Activation) {
            return ((Activation) v).name();
        }
        if (v instanceof Initializer) {
            return ((Initializer) v).name();
        }
        if (v instanceof L1L2) {
            // the same form as the layers' own configs (L1 / L2 / L1L2, as Keras saves them)
            return org.rnn4j.layers.config.ConfigValues.regularizer((L1L2) v);
        }
        if (v instanceof Map && ((Map<?, ?>) v).get("class_name") instanceof String
                && ((Map<?, ?>) v).get("config") instanceof Map
                && org.rnn4j.saving.LayerRegistry.has((String) ((Map<?, ?>) v).get("class_name"))) {
            // A nested layer (Bidirectional's, TimeDistributed's) in Keras 3's serialized form.
            Map<?, ?> m = (Map<?, ?>) v;
            Map<String, Object> cfg = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) m.get("config")).entrySet()) {
                cfg.put(String.valueOf(e.getKey()), value(e.getValue(), owner, key));
            }
            return serialized((String) m.get("class_name"), cfg, null);
        }
        if (v instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                out.put(String.valueOf(e.getKey()), value(e.getValue(), owner, key));
            }
            return out;
        }
        if (v instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object o : (List<?>) v) {
                out.add(value(o, owner, key));
            }
            return out;
        }
        throw new IllegalArgumentException("Layer '" + owner.name() + "' (" + owner.className() + "): config option '"
                + key + "' holds a " + v.getClass().getSimpleName() + ", which cannot be written to a Keras file");
    }
}
