package org.rnn4j.keras;

import java.util.List;
import java.util.Map;

/** A Keras model config reduced to what rnn4j builds: a name, an input shape and a chain of layers. */
final class ModelSpec {
    /** One layer of the chain: its position (1-based, as shown in messages), class and config. */
    static final class LayerSpec {
        final int position;
        final String className;
        final Map<String, Object> config;
        /** Index among the model's non-input layers in config order (Keras 3 numbers weight groups by it). */
        final int configIndex;

        LayerSpec(int position, String className, Map<String, Object> config, int configIndex) {
            this.position = position;
            this.className = className;
            this.config = config;
            this.configIndex = configIndex;
        }

        String name() {
            Object n = config.get("name");
            return n instanceof String ? (String) n : "?";
        }

        String where() {
            return "layer " + position + " '" + name() + "' (" + className + ")";
        }
    }

    final String name;
    /** Per-sample input shape (-1 for None), or null when the file does not say. */
    final int[] inputShape;
    final List<LayerSpec> layers;

    ModelSpec(String name, int[] inputShape, List<LayerSpec> layers) {
        this.name = name;
        this.inputShape = inputShape;
        this.layers = layers;
    }
}
