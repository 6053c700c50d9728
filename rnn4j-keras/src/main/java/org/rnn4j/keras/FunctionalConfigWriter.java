package org.rnn4j.keras;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Set;
import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.models.Model;
import org.rnn4j.ops.CallMask;
import org.rnn4j.ops.Op;

/**
 * Writes a functional model's graph as Keras 3's config.json does: its layers with their
 * {@code inbound_nodes}, its operation nodes, the mask keywords of {@link CallMask}ed inputs, and
 * its input and output endpoints.
 */
final class FunctionalConfigWriter {
    private FunctionalConfigWriter() {
    }

    /**
     * Keras 3's {@code Functional.get_config}: every layer with its {@code inbound_nodes} (the
     * calls that belong to this model, re-indexed from 0), {@code input_layers}, {@code output_layers}
     * ({@code [name, node_index, tensor_index]}, a bare triple for a single tensor).
     */
    static Map<String, Object> functionalConfig(Model model) {
        List<Layer> layers = KerasSaver.distinct(model.layers());
        Set<org.rnn4j.layers.Node> inModel = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        inModel.addAll(model.nodes());
        for (SymbolicTensor t : model.inputs()) {
            inModel.add(t.node());
        }
        // node -> its index among the layer's nodes kept in this model
        Map<org.rnn4j.layers.Node, Integer> nodeIndex = new java.util.IdentityHashMap<>();
        List<Object> entries = new ArrayList<>();
        for (Layer l : layers) {
            int k = 0;
            for (org.rnn4j.layers.Node n : l.inboundNodes()) {
                if (inModel.contains(n)) {
                    nodeIndex.put(n, k++);
                }
            }
        }
        for (Layer l : layers) {
            if (l instanceof CallMask) {
                continue; // written as its reader's mask keyword
            }
            if (l instanceof Op) {
                entries.add(opEntry((Op) l, nodeIndex));
                continue;
            }
            Map<String, Object> e = l instanceof InputLayer ? LayerSerializer.serialized("InputLayer", inputConfig((InputLayer) l), null)
                    : l instanceof Model ? KerasSaver.nestedModel((Model) l) : LayerSerializer.serialize(l);
            if (!(l instanceof InputLayer) && !(l instanceof Model)) {
                e.put("build_config", buildConfig(l));
            }
            e.put("name", l.name());
            List<Object> nodes = new ArrayList<>();
            if (!(l instanceof InputLayer)) {
                for (org.rnn4j.layers.Node n : l.inboundNodes()) {
                    if (nodeIndex.containsKey(n) && !n.isInput()) {
                        Map<String, Object> node = inboundNode(l, n, nodeIndex);
                        putMask(node, n, nodeIndex);
                        nodes.add(node);
                    }
                }
            }
            e.put("inbound_nodes", nodes);
            entries.add(e);
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("name", model.name());
        cfg.put("trainable", model.isTrainable());
        cfg.put("layers", entries);
        cfg.put("input_layers", endpoints(model.inputs(), nodeIndex));
        cfg.put("output_layers", endpoints(model.outputs(), nodeIndex));
        return cfg;
    }

    private static Map<String, Object> inputConfig(InputLayer l) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("batch_shape", KerasSaver.batchShape(l.outputShape()));
        c.put("dtype", l.dtype());
        c.put("sparse", false);
        c.put("ragged", false);
        c.put("name", l.name());
        c.put("optional", false);
        return c;
    }

    /**
     * How Keras 3 records a layer's build: {@code input_shape} (a list of shapes for merges),
     * MultiHeadAttention's {@code shapes_dict}; a recurrent layer with initial states is built from
     * its sequence shape.
     */
    private static Map<String, Object> buildConfig(Layer l) {
        List<int[]> shapes = l.inputShapes();
        Map<String, Object> b = new LinkedHashMap<>();
        if (l.className().equals("MultiHeadAttention")) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("query_shape", KerasSaver.batchShape(shapes.get(0)));
            d.put("value_shape", KerasSaver.batchShape(shapes.get(Math.min(1, shapes.size() - 1))));
            if (shapes.size() > 2) {
                d.put("key_shape", KerasSaver.batchShape(shapes.get(2)));
            }
            b.put("shapes_dict", d);
        } else if (shapes.size() == 1 || isRecurrent(l)) {
            b.put("input_shape", KerasSaver.batchShape(shapes.get(0)));
        } else {
            List<Object> all = new ArrayList<>();
            for (int[] s : shapes) {
                all.add(KerasSaver.batchShape(s));
            }
            b.put("input_shape", all);
        }
        return b;
    }

    private static boolean isRecurrent(Layer l) {
        // recurrent.RNN covers Keras's RNN(cell) and ConvLSTM1D/2D/3D, which take initial_state too
        return l instanceof org.rnn4j.layers.RecurrentLayer || l instanceof org.rnn4j.layers.Bidirectional
                || l instanceof org.rnn4j.layers.recurrent.RNN;
    }

    /**
     * One call: Keras 3 {@code {"args": [...], "kwargs": {...}}}. A recurrent layer's extra inputs
     * are its {@code initial_state}; MultiHeadAttention takes query, value (, key) positionally;
     * other layers of several inputs (merges, Attention) take one list.
     */
    private static Map<String, Object> inboundNode(Layer l, org.rnn4j.layers.Node n, Map<org.rnn4j.layers.Node, Integer> idx) {
        List<SymbolicTensor> in = n.inputs();
        List<Object> args = new ArrayList<>();
        Map<String, Object> kwargs = new LinkedHashMap<>();
        if (in.size() == 1) {
            args.add(kerasTensor(in.get(0), idx));
        } else if (isRecurrent(l)) {
            args.add(kerasTensor(in.get(0), idx));
            List<Object> states = new ArrayList<>();
            for (int i = 1; i < in.size(); i++) {
                states.add(kerasTensor(in.get(i), idx));
            }
            kwargs.put("initial_state", states);
        } else if (l.className().equals("MultiHeadAttention")) {
            for (SymbolicTensor t : in) {
                args.add(kerasTensor(t, idx));
            }
        } else {
            List<Object> list = new ArrayList<>();
            for (SymbolicTensor t : in) {
                list.add(kerasTensor(t, idx));
            }
            args.add(list);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("args", args);
        m.put("kwargs", kwargs);
        return m;
    }

    /**
     * An operation node as Keras 3 writes it: module {@code keras.src.ops.*}, the op's config, its
     * class as {@code registered_name}, no build_config, and one call whose {@code args} mix the
     * tensors and the constants the op was called with.
     */
    private static Map<String, Object> opEntry(Op op, Map<org.rnn4j.layers.Node, Integer> idx) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("module", op.kerasModule());
        e.put("class_name", op.className());
        Map<String, Object> cfg = new LinkedHashMap<>();
        for (Map.Entry<String, Object> c : op.config().entrySet()) {
            cfg.put(c.getKey(), LayerSerializer.value(c.getValue(), op, c.getKey()));
        }
        e.put("config", cfg);
        e.put("registered_name", op.className());
        e.put("name", op.name());
        List<Object> nodes = new ArrayList<>();
        for (org.rnn4j.layers.Node n : op.inboundNodes()) {
            if (!idx.containsKey(n)) {
                continue;
            }
            List<Object> tensors = new ArrayList<>();
            for (SymbolicTensor t : n.inputs()) {
                tensors.add(kerasTensor(t, idx));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("args", op.kerasArgs(tensors));
            m.put("kwargs", op.kerasKwargs());
            nodes.add(m);
        }
        e.put("inbound_nodes", nodes);
        return e;
    }

    /**
     * Inputs that come through a {@link CallMask} were called with an explicit mask: Keras's
     * {@code mask} keyword, one tensor for a single masked first input, else one entry (or null) per input.
     */
    private static void putMask(Map<String, Object> node, org.rnn4j.layers.Node n, Map<org.rnn4j.layers.Node, Integer> idx) {
        List<Object> masks = new ArrayList<>();
        int last = -1;
        for (int i = 0; i < n.inputs().size(); i++) {
            SymbolicTensor t = n.inputs().get(i);
            if (t.layer() instanceof CallMask) {
                masks.add(kerasTensor(t.node().inputs().get(1), idx));
                last = i;
            } else {
                masks.add(null);
            }
        }
        if (last < 0) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> kwargs = (Map<String, Object>) node.get("kwargs");
        kwargs.put("mask", last == 0 ? masks.get(0) : masks.subList(0, last + 1));
    }

    private static Map<String, Object> kerasTensor(SymbolicTensor t, Map<org.rnn4j.layers.Node, Integer> idx) {
        while (t.layer() instanceof CallMask) {
            t = t.node().inputs().get(0);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("shape", KerasSaver.batchShape(t.shape()));
        c.put("dtype", t.dtype());
        c.put("keras_history", history(t, idx));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", "__keras_tensor__");
        m.put("config", c);
        return m;
    }

    private static List<Object> history(SymbolicTensor t, Map<org.rnn4j.layers.Node, Integer> idx) {
        List<Object> h = new ArrayList<>();
        h.add(t.layer().name());
        h.add(idx.getOrDefault(t.node(), 0));
        h.add(t.outputIndex());
        return h;
    }

    private static Object endpoints(List<SymbolicTensor> ts, Map<org.rnn4j.layers.Node, Integer> idx) {
        if (ts.size() == 1) {
            return history(ts.get(0), idx);
        }
        List<Object> l = new ArrayList<>();
        for (SymbolicTensor t : ts) {
            l.add(history(t, idx));
        }
        return l;
    }
}
