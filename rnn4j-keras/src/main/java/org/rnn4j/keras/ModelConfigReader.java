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
 * of a legacy .h5 from Keras 1.2 to 3) into a {@link ModelSpec}: a Sequential's chain of layers, or
 * a Functional model's layers with their call nodes (Keras 3 {@code args}/{@code kwargs} with
 * {@code keras_history}, or Keras 2 {@code [[name, node_index, tensor_index, kwargs], ...]}).
 */
final class ModelConfigReader {
    private static final String CHAIN_ONLY = "rnn4j loads Sequential and Functional models";

    /** Far above real models (hundreds of layers); keeps hostile configs from building for minutes. */
    static final int MAX_LAYERS = 10_000;

    static void checkLayerCount(int n, String where) throws KerasFormatException {
        if (n > MAX_LAYERS) {
            throw new KerasFormatException(where + " lists " + n + " layers, more than the limit of " + MAX_LAYERS);
        }
    }

    
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

    static ModelSpec sequential(Map<String, Object> root, Object config) throws KerasFormatException {
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
                            + specs.get(specs.size() - 1).where() + "; a Sequential model has one InputLayer, first");
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

    /** A Functional model: layers in config order with their call nodes, inputs and outputs. */
    static ModelSpec functional(Map<String, Object> cfg) throws KerasFormatException {
        String name = cfg.get("name") instanceof String ? (String) cfg.get("name") : "functional";
        String where = "Functional model '" + name + "'";
        List<Object> layerList = list(cfg.get("layers"), where + " 'layers'");
        checkLayerCount(layerList.size(), where);
        List<ModelSpec.Ref> outputs = endpoints(cfg.get("output_layers"), where + " output_layers");
        List<ModelSpec.Ref> inputs = endpoints(cfg.get("input_layers"), where + " input_layers");
        List<Map<String, Object>> entries = new ArrayList<>();
        List<List<ModelSpec.NodeSpec>> nodesOf = new ArrayList<>();
        Map<String, Map<String, Object>> entryOf = new HashMap<>();
        for (Object o : layerList) {
            Map<String, Object> l = map(o, where + " layer entry");
            entries.add(l);
            String n = String.valueOf(l.get("name") != null ? l.get("name") : map(l.get("config"), "layer config").get("name"));
            entryOf.put(n, l);
            nodesOf.add(inboundNodes(l.get("inbound_nodes"), where + ", layer '" + n + "'"));
        }
        Map<String, List<ModelSpec.NodeSpec>> nodesByName = new HashMap<>();
        for (int k = 0; k < entries.size(); k++) {
            List<ModelSpec.NodeSpec> kept = new ArrayList<>();
            for (ModelSpec.NodeSpec ns : nodesOf.get(k)) {
                kept.add(explicitMasksOnly(ns, entryOf));
            }
            nodesOf.set(k, kept);
            Map<String, Object> l = entries.get(k);
            nodesByName.put(String.valueOf(l.get("name") != null ? l.get("name") : ((Map<?, ?>) l.get("config")).get("name")), kept);
        }
        // The layers the outputs need (ops that only make masks rnn4j derives itself are not).
        Set<String> referenced = new HashSet<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>();
        for (ModelSpec.Ref r : outputs) {
            if (referenced.add(r.layer())) {
                todo.add(r.layer());
            }
        }
        while (!todo.isEmpty()) {
            for (ModelSpec.NodeSpec ns : nodesByName.getOrDefault(todo.poll(), List.of())) {
                for (ModelSpec.Ref r : ns.allRefs()) {
                    if (referenced.add(r.layer())) {
                        todo.add(r.layer());
                    }
                }
            }
        }
        List<ModelSpec.LayerSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int position = 0;
        int configIndex = 0;
        for (int k = 0; k < entries.size(); k++) {
            Map<String, Object> l = entries.get(k);
            String cn = className(l);
            Map<String, Object> lc = map(l.get("config"), "config of a " + cn + " layer");
            Object n = l.get("name") != null ? l.get("name") : lc.get("name");
            if (isMaskOnlyOp(l, n, referenced)) {
                continue;
            }
            if (!(n instanceof String)) {
                throw new KerasFormatException(where + ": a " + cn + " layer has no name");
            }
            if (!names.add((String) n)) {
                throw new KerasFormatException(where + ": two layers are named '" + n + "'");
            }
            Object module = l.get("module");
            boolean op = module instanceof String && org.rnn4j.ops.Ops.isOpModule((String) module);
            position++;
            ModelSpec.LayerSpec spec = new ModelSpec.LayerSpec(position, cn, lc,
                    cn.equals("InputLayer") || op ? -1 : configIndex++);
            if (op) {
                spec.opModule = (String) module;
            }
            spec.explicitName = (String) n;
            spec.nodes.addAll(nodesOf.get(k));
            if (cn.equals("InputLayer")) {
                spec.inputShape = declaredShape(lc, "InputLayer '" + n + "'");
                if (spec.inputShape == null) {
                    throw new KerasFormatException(where + ": InputLayer '" + n + "' declares no shape");
                }
                Object dt = lc.get("dtype");
                spec.dtype = dt instanceof String ? (String) dt : "float32";
            } else if (cn.equals("Sequential")) {
                spec.nested = sequential(l, lc);
            } else if (cn.equals("Functional") || cn.equals("Model")) {
                spec.nested = functional(lc);
            }
            specs.add(spec);
        }
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new KerasFormatException(where + " has no " + (inputs.isEmpty() ? "inputs" : "outputs"));
        }
        return new ModelSpec(name, specs, inputs, outputs);
    }

    /** A Keras 3 op node (e.g. NotEqual) that only computes a mask nobody reads as data; it is dropped. */
    static boolean isMaskOnlyOp(Map<String, Object> l, Object name, Set<String> referenced) {
        Object module = l.get("module");
        Object cls = l.get("class_name");
        boolean op = module instanceof String ? ((String) module).matches("keras(\\.src)?\\.ops(\\..*)?")
                // legacy .h5 configs carry no module: an unknown class that nothing reads is such an op
                : cls instanceof String && !org.rnn4j.saving.LayerRegistry.has((String) cls) && !"InputLayer".equals(cls)
                        && !"Sequential".equals(cls) && !"Functional".equals(cls) && !"Model".equals(cls);
        return op && !referenced.contains(name);
    }

    /** Tensors from input_layers/output_layers: {@code [["in", 0, 0], ...]} or Keras 3's single {@code ["in", 0, 0]}. */
    static List<ModelSpec.Ref> endpoints(Object v, String what) throws KerasFormatException {
        List<Object> l = list(v, what);
        List<ModelSpec.Ref> out = new ArrayList<>();
        if (!l.isEmpty() && l.get(0) instanceof String) {
            out.add(ref(l, what));
            return out;
        }
        for (Object o : l) {
            out.add(ref(list(o, what), what));
        }
        return out;
    }

    private static ModelSpec.Ref ref(List<?> t, String what) throws KerasFormatException {
        if (t.isEmpty() || !(t.get(0) instanceof String)) {
            throw new KerasFormatException(what + " has a malformed tensor reference " + Json.write(t));
        }
        return new ModelSpec.Ref((String) t.get(0), index(t, 1, what), index(t, 2, what));
    }

    private static int index(List<?> t, int i, String what) throws KerasFormatException {
        if (t.size() <= i || t.get(i) == null) {
            return 0;
        }
        Object v = t.get(i);
        if (!(v instanceof Long) || (Long) v < 0 || (Long) v > MAX_LAYERS) {
            throw new KerasFormatException(what + ": malformed tensor reference " + Json.write(t));
        }
        return (int) (long) (Long) v;
    }

    /**
     * Per call node, the tensors it reads as data: Keras 3's {@code args} (nested lists flattened)
     * then tensor-valued {@code kwargs} ({@code initial_state} last; {@code mask} skipped: rnn4j layers
     * derive masks themselves), or Keras 2's {@code [[name, node, tensor, kwargs], ...]}.
     */
    static List<ModelSpec.NodeSpec> inboundNodes(Object v, String what) throws KerasFormatException {
        List<ModelSpec.NodeSpec> nodes = new ArrayList<>();
        if (v == null) {
            return nodes;
        }
        for (Object node : list(v, what + " inbound_nodes")) {
            List<ModelSpec.Ref> in = new ArrayList<>();
            List<ModelSpec.Ref> masks = new ArrayList<>();
            List<Object> args = null;
            Map<String, Object> kwargs = null;
            if (node instanceof Map) {
                Map<?, ?> m = (Map<?, ?>) node;
                args = m.get("args") instanceof List ? list(m.get("args"), what + " args") : List.of();
                kwargs = m.get("kwargs") instanceof Map ? map(m.get("kwargs"), what + " kwargs") : Map.of();
                collectHistories(m.get("args"), in, 0, what);
                Object kw = m.get("kwargs");
                if (kw instanceof Map) {
                    Object states = null;
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) kw).entrySet()) {
                        if ("mask".equals(e.getKey())) {
                            masks = maskRefs(e.getValue(), what);
                            continue;
                        }
                        if ("initial_state".equals(e.getKey())) {
                            states = e.getValue();
                            continue;
                        }
                        collectHistories(e.getValue(), in, 0, what);
                    }
                    collectHistories(states, in, 0, what);
                }
            } else {
                for (Object t : list(node, what + " inbound node")) {
                    List<Object> entry = list(t, what + " inbound tensor");
                    in.add(ref(entry, what));
                    if (entry.size() > 3 && entry.get(3) instanceof Map) {
                        Map<?, ?> kw = (Map<?, ?>) entry.get(3);
                        for (Map.Entry<?, ?> e : kw.entrySet()) {
                            if (!"mask".equals(e.getKey())) {
                                collectHistories(e.getValue(), in, 0, what);
                            }
                        }
                    }
                }
            }
            nodes.add(new ModelSpec.NodeSpec(List.copyOf(in), java.util.Collections.unmodifiableList(masks), args, kwargs));
        }
        return nodes;
    }

    /**
     * Keras writes the mask a layer's input carries as the call's {@code mask} keyword, whether it
     * was passed by hand or derived (Masking, Embedding(mask_zero)): rnn4j derives the latter itself,
     * so only masks of inputs that carry none here (model inputs, operation outputs) are kept.
     */
    private static ModelSpec.NodeSpec explicitMasksOnly(ModelSpec.NodeSpec ns, Map<String, Map<String, Object>> entryOf) {
        if (ns.masks().isEmpty()) {
            return ns;
        }
        List<ModelSpec.Ref> masks = new ArrayList<>();
        boolean any = false;
        for (int i = 0; i < ns.masks().size(); i++) {
            ModelSpec.Ref m = ns.masks().get(i);
            Map<String, Object> src = i < ns.inputs().size() ? entryOf.get(ns.inputs().get(i).layer()) : null;
            boolean carriesNone = src != null && ("InputLayer".equals(src.get("class_name"))
                    || src.get("module") instanceof String mod && org.rnn4j.ops.Ops.isOpModule(mod));
            masks.add(carriesNone ? m : null);
            any |= carriesNone && m != null;
        }
        return new ModelSpec.NodeSpec(ns.inputs(), any ? java.util.Collections.unmodifiableList(masks) : List.of(),
                ns.args(), ns.kwargs());
    }

    /**
     * A call's tensor {@code mask} keyword: one tensor masks the first input (the sequence); a list
     * gives one mask (or null) per input, as Keras's {@code Attention(mask=[q_mask, v_mask])}.
     */
    private static List<ModelSpec.Ref> maskRefs(Object v, String what) throws KerasFormatException {
        List<ModelSpec.Ref> out = new ArrayList<>();
        if (v instanceof List) {
            for (Object o : (List<?>) v) {
                List<ModelSpec.Ref> one = new ArrayList<>();
                collectHistories(o, one, 0, what);
                out.add(one.isEmpty() ? null : one.get(0));
            }
        } else {
            collectHistories(v, out, 0, what);
        }
        return out;
    }

    private static void collectHistories(Object v, List<ModelSpec.Ref> out, int depth, String what)
            throws KerasFormatException {
        if (depth > Json.MAX_DEPTH || v == null) {
            return;
        }
        if (v instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) v;
            Object h = m.get("keras_history");
            if (h == null && m.get("config") instanceof Map) {
                h = ((Map<?, ?>) m.get("config")).get("keras_history");
            }
            if (h instanceof List && !((List<?>) h).isEmpty() && ((List<?>) h).get(0) instanceof String) {
                out.add(ref((List<?>) h, what));
                return;
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!"mask".equals(e.getKey())) {
                    collectHistories(e.getValue(), out, depth + 1, what);
                }
            }
        } else if (v instanceof List) {
            for (Object o : (List<?>) v) {
                collectHistories(o, out, depth + 1, what);
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
        try {
            return org.rnn4j.saving.LayerConfig.sampleShape(new org.rnn4j.saving.LayerConfig(where, Map.of()), batchShape, "shape");
        } catch (org.rnn4j.saving.ConfigException e) {
            throw new KerasFormatException(e.getMessage(), e);
        }
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
