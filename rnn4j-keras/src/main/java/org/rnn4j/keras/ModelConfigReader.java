package org.rnn4j.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Keras model config (Keras 3 {@code config.json}, or the {@code model_config} attribute
 * of a legacy .h5 from Keras 1.2 to 3) into a {@link ModelSpec}. Sequential models map directly;
 * a Functional model is accepted when its graph is one chain from a single input to one output.
 */
final class ModelConfigReader {
    private static final String CHAIN_ONLY = "rnn4j loads Sequential models and Functional models whose layers"
            + " form a single chain (one input, each layer feeding the next, one output)";

    /** Far above real models (hundreds of layers); keeps hostile configs from building for minutes. */
    static final int MAX_LAYERS = 10_000;

    static void checkLayerCount(int n, String where) throws KerasFormatException {
        if (n > MAX_LAYERS) {
            throw new KerasFormatException(where + " lists " + n + " layers, more than the limit of " + MAX_LAYERS);
        }
    }

    private static final String GRAPH_HINT = ". Load other graphs with KerasModels.loadGraph(path)";

    private ModelConfigReader() {
    }

    static ModelSpec read(Object json) throws KerasFormatException {
        Map<String, Object> root = map(json, "model config");
        Object cls = root.get("class_name");
        if (!(cls instanceof String)) {
            throw new KerasFormatException("model config has no class_name; is this a Keras model file?");
        }
        Object config = root.get("config");
        switch ((String) cls) {
            case "Sequential":
                return sequential(root, config);
            case "Functional":
            case "Model":
                return functional(map(config, "Functional model config"));
            default:
                throw new KerasFormatException("model class '" + cls + "' is not supported; " + CHAIN_ONLY);
        }
    }

    private static ModelSpec sequential(Map<String, Object> root, Object config) throws KerasFormatException {
        String name = "sequential";
        List<Object> layerList;
        Map<String, Object> cfg = null;
        if (config instanceof List) {
            // Keras <= 2.2.2 wrote the layer list alone.
            layerList = list(config, "Sequential config");
        } else {
            cfg = map(config, "Sequential config");
            layerList = list(cfg.get("layers"), "Sequential config 'layers'");
            if (cfg.get("name") instanceof String) {
                name = (String) cfg.get("name");
            }
        }
        checkLayerCount(layerList.size(), "Sequential model '" + name + "'");
        int[] inputShape = null;
        List<ModelSpec.LayerSpec> specs = new ArrayList<>();
        int position = 0;
        for (Object o : layerList) {
            Map<String, Object> l = map(o, "Sequential layer entry");
            String cn = className(l);
            Map<String, Object> lc = map(l.get("config"), "config of a " + cn + " layer");
            if (cn.equals("InputLayer")) {
                if (!specs.isEmpty()) {
                    throw new KerasFormatException("Sequential model '" + name + "': an InputLayer appears after layer "
                            + specs.get(specs.size() - 1).where() + "; " + CHAIN_ONLY);
                }
                inputShape = declaredShape(lc, "InputLayer '" + lc.get("name") + "'");
                continue;
            }
            position++;
            ModelSpec.LayerSpec spec = new ModelSpec.LayerSpec(position, cn, lc, position - 1);
            if (specs.isEmpty() && inputShape == null) {
                inputShape = declaredShape(lc, spec.where());
            }
            specs.add(spec);
        }
        if (inputShape == null && cfg != null && cfg.get("build_input_shape") != null) {
            inputShape = shapeOf(cfg.get("build_input_shape"), "Sequential build_input_shape");
        }
        if (inputShape == null && root.get("build_config") instanceof Map) {
            Object s = ((Map<?, ?>) root.get("build_config")).get("input_shape");
            if (s != null) {
                inputShape = shapeOf(s, "Sequential build_config.input_shape");
            }
        }
        if (specs.isEmpty()) {
            throw new KerasFormatException("Sequential model '" + name + "' has no layers");
        }
        return new ModelSpec(name, inputShape, specs);
    }

    private static ModelSpec functional(Map<String, Object> cfg) throws KerasFormatException {
        String name = cfg.get("name") instanceof String ? (String) cfg.get("name") : "functional";
        String where = "Functional model '" + name + "'";
        List<Object> layerList = list(cfg.get("layers"), where + " 'layers'");
        checkLayerCount(layerList.size(), where);
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        Map<String, String> classOf = new HashMap<>();
        Map<String, Integer> configIndex = new HashMap<>();
        Set<String> referenced = referencedLayers(layerList, cfg.get("output_layers"), where);
        for (Object o : layerList) {
            Map<String, Object> l = map(o, where + " layer entry");
            String cn = className(l);
            Map<String, Object> lc = map(l.get("config"), "config of a " + cn + " layer");
            Object n = l.get("name") != null ? l.get("name") : lc.get("name");
            if (isMaskOnlyOp(l, n, referenced)) {
                continue;
            }
            if (!(n instanceof String)) {
                throw new KerasFormatException(where + ": a " + cn + " layer has no name");
            }
            if (byName.put((String) n, l) != null) {
                throw new KerasFormatException(where + ": two layers are named '" + n + "'");
            }
            classOf.put((String) n, cn);
            if (!cn.equals("InputLayer")) {
                configIndex.put((String) n, configIndex.size());
            }
        }
        List<String> inputs = endpoints(cfg.get("input_layers"), where + " input_layers");
        List<String> outputs = endpoints(cfg.get("output_layers"), where + " output_layers");
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw new KerasFormatException(where + " has " + inputs.size() + " inputs " + inputs + " and "
                    + outputs.size() + " outputs " + outputs + "; " + CHAIN_ONLY + GRAPH_HINT);
        }
        String input = inputs.get(0);
        if (!byName.containsKey(input) || !"InputLayer".equals(classOf.get(input))) {
            throw new KerasFormatException(where + ": input '" + input + "' is not an InputLayer of the model");
        }
        // Each layer's single predecessor; then follow the successors from the input.
        Map<String, String> next = new HashMap<>();
        for (Map.Entry<String, Map<String, Object>> e : byName.entrySet()) {
            String n = e.getKey();
            if ("InputLayer".equals(classOf.get(n))) {
                if (!n.equals(input)) {
                    throw new KerasFormatException(where + ": second InputLayer '" + n + "'; " + CHAIN_ONLY);
                }
                continue;
            }
            List<List<String>> nodes = inboundNodes(e.getValue().get("inbound_nodes"), where + ", layer '" + n + "'");
            if (nodes.size() != 1) {
                throw new KerasFormatException(where + ": layer '" + n + "' (" + classOf.get(n) + ") is called "
                        + nodes.size() + " times (shared or unused layer); " + CHAIN_ONLY);
            }
            List<String> in = nodes.get(0);
            if (in.size() != 1) {
                throw new KerasFormatException(where + ": layer '" + n + "' (" + classOf.get(n) + ") takes "
                        + in.size() + " inputs " + in + "; " + CHAIN_ONLY + GRAPH_HINT);
            }
            String prev = in.get(0);
            if (!byName.containsKey(prev)) {
                throw new KerasFormatException(where + ": layer '" + n + "' reads from unknown layer '" + prev + "'");
            }
            if (next.put(prev, n) != null) {
                throw new KerasFormatException(where + ": layer '" + prev + "' feeds more than one layer ('"
                        + next.get(prev) + "' and others); " + CHAIN_ONLY + GRAPH_HINT);
            }
        }
        int[] inputShape = declaredShape(map(byName.get(input).get("config"), "InputLayer config"),
                "InputLayer '" + input + "'");
        List<ModelSpec.LayerSpec> specs = new ArrayList<>();
        String cur = input;
        while (next.containsKey(cur)) {
            cur = next.get(cur);
            if (specs.size() > byName.size()) {
                throw new KerasFormatException(where + ": the layer graph has a cycle");
            }
            Map<String, Object> l = byName.get(cur);
            specs.add(new ModelSpec.LayerSpec(specs.size() + 1, classOf.get(cur),
                    map(l.get("config"), "config of layer '" + cur + "'"), configIndex.get(cur)));
        }
        if (specs.size() != byName.size() - 1) {
            throw new KerasFormatException(where + ": only " + specs.size() + " of " + (byName.size() - 1)
                    + " layers lie on the path from the input; " + CHAIN_ONLY);
        }
        if (!cur.equals(outputs.get(0))) {
            throw new KerasFormatException(where + ": the chain ends at '" + cur + "' but the output is '"
                    + outputs.get(0) + "'; " + CHAIN_ONLY);
        }
        return new ModelSpec(name, inputShape, specs);
    }

    /** Names of layers whose outputs are read as data (not as masks) or are model outputs. */
    static Set<String> referencedLayers(List<Object> layerList, Object outputLayers, String where)
            throws KerasFormatException {
        Set<String> refs = new HashSet<>(endpoints(outputLayers, where + " output_layers"));
        for (Object o : layerList) {
            if (o instanceof Map) {
                Object nodes = ((Map<?, ?>) o).get("inbound_nodes");
                if (nodes != null) {
                    for (List<String> call : inboundNodes(nodes, where)) {
                        for (String r : call) {
                            refs.add(r.contains("#") ? r.substring(0, r.lastIndexOf('#')) : r);
                        }
                    }
                }
            }
        }
        return refs;
    }

    /** A Keras 3 op node (e.g. NotEqual) that only computes a mask nobody reads as data; it is dropped. */
    static boolean isMaskOnlyOp(Map<String, Object> l, Object name, Set<String> referenced) {
        Object module = l.get("module");
        Object cls = l.get("class_name");
        boolean op = module instanceof String ? ((String) module).matches("keras(\\.src)?\\.ops(\\..*)?")
                // legacy .h5 configs carry no module: an unknown class that nothing reads is such an op
                : cls instanceof String && !LayerFactory.supported().contains(cls) && !"InputLayer".equals(cls);
        return op && !referenced.contains(name);
    }

    /** Layer names from input_layers/output_layers: {@code [["in", 0, 0], ...]} or Keras 3's single {@code ["in", 0, 0]}. */
    static List<String> endpoints(Object v, String what) throws KerasFormatException {
        List<Object> l = list(v, what);
        List<String> out = new ArrayList<>();
        if (!l.isEmpty() && l.get(0) instanceof String) {
            out.add((String) l.get(0));
            return out;
        }
        for (Object o : l) {
            List<Object> t = list(o, what);
            if (t.isEmpty() || !(t.get(0) instanceof String)) {
                throw new KerasFormatException(what + " has a malformed entry " + Json.write(o));
            }
            out.add((String) t.get(0));
        }
        return out;
    }

    /** Per call node, the names of the layers whose outputs feed it (Keras 2 lists or Keras 3 args). */
    static List<List<String>> inboundNodes(Object v, String what) throws KerasFormatException {
        List<List<String>> nodes = new ArrayList<>();
        if (v == null) {
            return nodes;
        }
        for (Object node : list(v, what + " inbound_nodes")) {
            List<String> in = new ArrayList<>();
            if (node instanceof Map) {
                collectHistories(node, in, 0);
            } else {
                for (Object t : list(node, what + " inbound node")) {
                    List<Object> triple = list(t, what + " inbound tensor");
                    if (triple.isEmpty() || !(triple.get(0) instanceof String)) {
                        throw new KerasFormatException(what + ": malformed inbound tensor " + Json.write(t));
                    }
                    in.add(ref((String) triple.get(0), triple.size() > 2 ? triple.get(2) : null));
                    if (triple.size() > 3 && triple.get(3) instanceof Map) {
                        collectHistories(triple.get(3), in, 0);
                    }
                }
            }
            nodes.add(in);
        }
        return nodes;
    }

    /**
     * A tensor reference: the layer name for its first output, {@code name#k} for output k (e.g.
     * the states of an RNN with return_state).
     */
    static String ref(String layer, Object tensorIndex) {
        long k = tensorIndex instanceof Long ? (Long) tensorIndex : 0;
        return k == 0 ? layer : layer + "#" + k;
    }

    private static void collectHistories(Object v, List<String> out, int depth) {
        if (depth > Json.MAX_DEPTH) {
            return;
        }
        if (v instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) v;
            Object h = m.get("keras_history");
            if (h instanceof List && !((List<?>) h).isEmpty() && ((List<?>) h).get(0) instanceof String) {
                List<?> hl = (List<?>) h;
                out.add(ref((String) hl.get(0), hl.size() > 2 ? hl.get(2) : null));
                return;
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                // Keras 3 serializes the mask a layer receives (e.g. an Embedding's, as a NotEqual op);
                // rnn4j layers derive masks themselves, so a mask is not a data input.
                if (!"mask".equals(e.getKey())) {
                    collectHistories(e.getValue(), out, depth + 1);
                }
            }
        } else if (v instanceof List) {
            for (Object o : (List<?>) v) {
                collectHistories(o, out, depth + 1);
            }
        }
    }

    static int[] declaredShapeOf(Map<String, Object> lc, String where) throws KerasFormatException {
        return declaredShape(lc, where);
    }

    /** The input shape an InputLayer or first layer declares, or null. */
    private static int[] declaredShape(Map<String, Object> lc, String where) throws KerasFormatException {
        for (String key : new String[] {"batch_shape", "batch_input_shape"}) {
            if (lc.get(key) != null) {
                return shapeOf(lc.get(key), where + " " + key);
            }
        }
        return null;
    }

    static int[] shapeOf(Object batchShape, String where) throws KerasFormatException {
        return Cfg.sampleShape(new Cfg(where, Map.of()), batchShape, "shape");
    }

    static String className(Map<String, Object> l) throws KerasFormatException {
        Object cn = l.get("class_name");
        if (!(cn instanceof String)) {
            throw new KerasFormatException("a layer entry has no class_name: " + abbreviate(Json.write(l)));
        }
        return (String) cn;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String what) throws KerasFormatException {
        if (!(o instanceof Map)) {
            throw new KerasFormatException(what + " must be a JSON object, got " + kind(o));
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o, String what) throws KerasFormatException {
        if (!(o instanceof List)) {
            throw new KerasFormatException(what + " must be a JSON list, got " + kind(o));
        }
        return (List<Object>) o;
    }

    private static String kind(Object o) {
        if (o == null) {
            return "nothing";
        }
        if (o instanceof Map) {
            return "an object";
        }
        if (o instanceof List) {
            return "a list";
        }
        return abbreviate(Json.write(o));
    }
}
