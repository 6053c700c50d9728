package org.rnn4j.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Functional model config as a graph: inputs, layer nodes with the names of the tensors they
 * read, and one output. Each layer must be called once (no shared layers); the first inbound
 * tensor is the layer input, further ones are a recurrent layer's initial state (Keras 2's
 * {@code lstm([x, h, c])}) or the other operands of a merge layer.
 */
final class GraphSpec {
    static final class NodeSpec {
        final String name;
        final String className;
        final Map<String, Object> config;
        final List<String> inbound;
        final int configIndex;

        NodeSpec(String name, String className, Map<String, Object> config, List<String> inbound, int configIndex) {
            this.name = name;
            this.className = className;
            this.config = config;
            this.inbound = inbound;
            this.configIndex = configIndex;
        }

        String where() {
            return "layer '" + name + "' (" + className + ")";
        }
    }

    final String name;
    final Map<String, int[]> inputs = new LinkedHashMap<>();
    /** Layer nodes in an order where every node follows the nodes it reads. */
    final List<NodeSpec> nodes = new ArrayList<>();
    final String output;

    private GraphSpec(String name, String output) {
        this.name = name;
        this.output = output;
    }

    static GraphSpec read(Object json) throws KerasFormatException {
        Map<String, Object> root = ModelConfigReader.map(json, "model config");
        Object cls = root.get("class_name");
        if (!"Functional".equals(cls) && !"Model".equals(cls)) {
            throw new KerasFormatException("model class '" + cls + "' is not a Functional model");
        }
        Map<String, Object> cfg = ModelConfigReader.map(root.get("config"), "Functional model config");
        String name = cfg.get("name") instanceof String ? (String) cfg.get("name") : "functional";
        String where = "Functional model '" + name + "'";
        List<String> outputs = ModelConfigReader.endpoints(cfg.get("output_layers"), where + " output_layers");
        if (outputs.size() != 1) {
            throw new KerasFormatException(where + " has " + outputs.size() + " outputs " + outputs
                    + "; rnn4j supports models with one output");
        }
        GraphSpec g = new GraphSpec(name, outputs.get(0));
        Map<String, NodeSpec> pending = new LinkedHashMap<>();
        Map<String, Integer> index = new HashMap<>();
        List<Object> layerList = ModelConfigReader.list(cfg.get("layers"), where + " 'layers'");
        ModelConfigReader.checkLayerCount(layerList.size(), where);
        java.util.Set<String> referenced = ModelConfigReader.referencedLayers(layerList, cfg.get("output_layers"), where);
        for (Object o : layerList) {
            Map<String, Object> l = ModelConfigReader.map(o, where + " layer entry");
            String cn = ModelConfigReader.className(l);
            Map<String, Object> lc = ModelConfigReader.map(l.get("config"), "config of a " + cn + " layer");
            Object n = l.get("name") != null ? l.get("name") : lc.get("name");
            if (ModelConfigReader.isMaskOnlyOp(l, n, referenced)) {
                continue;
            }
            if (!(n instanceof String)) {
                throw new KerasFormatException(where + ": a " + cn + " layer has no name");
            }
            String ln = (String) n;
            if (g.inputs.containsKey(ln) || pending.containsKey(ln)) {
                throw new KerasFormatException(where + ": two layers are named '" + ln + "'");
            }
            if (cn.equals("InputLayer")) {
                int[] shape = ModelConfigReader.declaredShapeOf(lc, "InputLayer '" + ln + "'");
                if (shape == null) {
                    throw new KerasFormatException(where + ": InputLayer '" + ln + "' declares no shape");
                }
                g.inputs.put(ln, shape);
                continue;
            }
            List<List<String>> calls = ModelConfigReader.inboundNodes(l.get("inbound_nodes"), where + ", layer '" + ln + "'");
            if (calls.size() != 1) {
                throw new KerasFormatException(where + ": layer '" + ln + "' (" + cn + ") is called " + calls.size()
                        + " times; shared layers are not supported");
            }
            index.put(ln, index.size());
            pending.put(ln, new NodeSpec(ln, cn, lc, calls.get(0), index.get(ln)));
        }
        // Kahn's algorithm: each node after the nodes it reads, linear in the graph size (hostile
        // configs may list many layers in any order).
        java.util.function.Function<String, String> layerOf = r -> r.contains("#") ? r.substring(0, r.lastIndexOf('#')) : r;
        java.util.Set<String> done = new java.util.HashSet<>(g.inputs.keySet());
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<NodeSpec>> readers = new HashMap<>();
        java.util.ArrayDeque<NodeSpec> ready = new java.util.ArrayDeque<>();
        for (NodeSpec s : pending.values()) {
            if (s.inbound.isEmpty()) {
                throw new KerasFormatException(where + ": " + s.where() + " has no input");
            }
            java.util.Set<String> deps = new java.util.HashSet<>();
            for (String r : s.inbound) {
                String l = layerOf.apply(r);
                if (!g.inputs.containsKey(l)) {
                    if (!pending.containsKey(l)) {
                        throw new KerasFormatException(where + ": " + s.where() + " reads '" + r
                                + "', which is not a layer of the model");
                    }
                    deps.add(l);
                }
            }
            waiting.put(s.name, deps.size());
            for (String l : deps) {
                readers.computeIfAbsent(l, k -> new ArrayList<>()).add(s);
            }
            if (deps.isEmpty()) {
                ready.add(s);
            }
        }
        while (!ready.isEmpty()) {
            NodeSpec s = ready.poll();
            g.nodes.add(s);
            done.add(s.name);
            for (NodeSpec r : readers.getOrDefault(s.name, List.of())) {
                if (waiting.merge(r.name, -1, Integer::sum) == 0) {
                    ready.add(r);
                }
            }
        }
        if (g.nodes.size() != pending.size()) {
            throw new KerasFormatException(where + ": the layer graph has a cycle");
        }
        if (!done.contains(g.output)) {
            throw new KerasFormatException(where + ": output '" + g.output + "' is not a layer of the model");
        }
        return g;
    }
}
