package org.rnn4j.layers.merging;

import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Layer;

/** Reading the Keras config keys shared by every layer (numbers may be Integer, Long or Double). */
final class Configs {
    private Configs() {
    }

    /** Applies {@code name} and {@code trainable} (when present) to a new layer. */
    static <L extends Layer> L common(L layer, Map<String, Object> config) {
        if (config == null) {
            return layer;
        }
        Object name = config.get("name");
        if (name != null) {
            layer.name(name.toString());
        }
        Object trainable = config.get("trainable");
        if (trainable instanceof Boolean b) {
            layer.trainable(b);
        }
        return layer;
    }

    static int toInt(Object v, String key, String layer) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d)) {
                throw new IllegalArgumentException(layer + " config: '" + key + "' must be an integer, got " + v);
            }
            return n.intValue();
        }
        throw new IllegalArgumentException(layer + " config: '" + key + "' must be an integer, got " + v);
    }

    static int[] toInts(Object v, String key, String layer) {
        if (v instanceof List<?> l) {
            int[] out = new int[l.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = toInt(l.get(i), key, layer);
            }
            return out;
        }
        if (v instanceof int[] a) {
            return a.clone();
        }
        throw new IllegalArgumentException(layer + " config: '" + key + "' must be a list of integers, got " + v);
    }
}
