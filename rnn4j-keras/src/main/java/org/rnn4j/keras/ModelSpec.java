package org.rnn4j.keras;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Keras model config reduced to what rnn4j builds. A Sequential: a name, an input shape and a
 * chain of layers. A Functional: every layer in config order (InputLayers included) with its call
 * nodes, and the model's input and output tensors; nested models are specs of their own.
 */
final class ModelSpec {
    /** A tensor reference: output {@code tensor} of call {@code node} of layer {@code layer} (Keras's keras_history). */
    record Ref(String layer, int node, int tensor) {
        @Override
        public String toString() {
            return "'" + layer + "'" + (node == 0 && tensor == 0 ? "" : "[node " + node + ", output " + tensor + "]");
        }
    }

    /**
     * One call of a layer: its data inputs in call order (for an RNN: x, then the initial states);
     * the tensor {@code mask} keyword per input ({@code masks.get(i)} masks input i; null entries,
     * or an empty list, for none); the Keras 3 {@code args} and {@code kwargs} as read (ops are
     * built from them; null for legacy files).
     */
    record NodeSpec(List<Ref> inputs, List<Ref> masks, List<Object> args, Map<String, Object> kwargs) {
        NodeSpec(List<Ref> inputs) {
            this(inputs, List.of(), null, null);
        }

        /** Every tensor the call reads: inputs, then masks. */
        List<Ref> allRefs() {
            List<Ref> all = new ArrayList<>(inputs);
            for (Ref r : masks) {
                if (r != null) {
                    all.add(r);
                }
            }
            return all;
        }
    }

    /** One layer: its position (1-based, as shown in messages), class and config. */
    static final class LayerSpec {
        final int position;
        final String className;
        final Map<String, Object> config;
        /** Index among the model's non-input layers in config order (Keras 3 numbers weight groups by it). */
        final int configIndex;
        /** A nested Sequential or Functional model, else null. */
        ModelSpec nested;
        /** Functional models: the layer's calls, in node-index order. */
        final List<NodeSpec> nodes = new ArrayList<>();
        /** InputLayers of functional models: the per-sample shape and dtype. */
        int[] inputShape;
        String dtype = "float32";
        String explicitName;
        /** A Keras 3 operation node ({@code keras.src.ops.*}): its module, else null. */
        String opModule;

        LayerSpec(int position, String className, Map<String, Object> config, int configIndex) {
            this.position = position;
            this.className = className;
            this.config = config;
            this.configIndex = configIndex;
        }

        String name() {
            if (explicitName != null) {
                return explicitName;
            }
            Object n = config.get("name");
            return n instanceof String ? (String) n : "?";
        }

        boolean isInput() {
            return className.equals("InputLayer");
        }

        String where() {
            return "layer " + position + " '" + name() + "' (" + className + ")";
        }
    }

    final String name;
    final boolean functional;
    /** Sequential: per-sample input shape (-1 for None), or null when the file does not say. */
    final int[] inputShape;
    /** Sequential: the non-input layers; Functional: every layer, InputLayers included, config order. */
    final List<LayerSpec> layers;
    final List<Ref> inputs;
    final List<Ref> outputs;
    /** The config as read (Sequential, for compile_config and the like). */
    Map<String, Object> raw;

    ModelSpec(String name, int[] inputShape, List<LayerSpec> layers) {
        this.name = name;
        this.functional = false;
        this.inputShape = inputShape;
        this.layers = layers;
        this.inputs = List.of();
        this.outputs = List.of();
    }

    ModelSpec(String name, List<LayerSpec> layers, List<Ref> inputs, List<Ref> outputs) {
        this.name = name;
        this.functional = true;
        this.inputShape = null;
        this.layers = layers;
        this.inputs = inputs;
        this.outputs = outputs;
    }
}
