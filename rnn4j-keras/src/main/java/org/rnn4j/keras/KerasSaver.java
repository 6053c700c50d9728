package org.rnn4j.keras;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.rnn4j.activations.Activation;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Variable;
import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;
import org.rnn4j.ops.CallMask;
import org.rnn4j.ops.Op;
import org.rnn4j.regularizers.L1L2;

/**
 * Writes a {@link Sequential} as a Keras 3 {@code .keras} zip: {@code metadata.json},
 * {@code config.json} (Keras 3 serialization: module, class_name, config, registered_name,
 * build_config; an InputLayer first, as Keras writes it) and {@code model.weights.h5}
 * ({@code layers/<snake_case class>[_n]/vars/<i>} and the nested groups of {@link KerasLayout}).
 */
final class KerasSaver {
    /** The Keras version whose format is written (and checked against in tests). */
    static final String KERAS_VERSION = "3.15.1";

    private KerasSaver() {
    }

    /**
     * The fixed batch size of the model being saved (its stateful layers'), or -1: Keras loads
     * {@code stateful=True} only with a static batch in every batch_shape/input_shape.
     */
    private static final ThreadLocal<Integer> STATEFUL_BATCH = ThreadLocal.withInitial(() -> -1);

    static void save(Model model, Path path) throws IOException {
        STATEFUL_BATCH.set(StatefulBatch.of(model));
        try {
            saveModel(model, path);
        } finally {
            STATEFUL_BATCH.remove();
        }
    }

    private static void saveModel(Model model, Path path) throws IOException {
        if (!model.isBuilt()) {
            throw new IllegalStateException("Model '" + model.name() + "' is not built: give the first layer an"
                    + " inputShape(...) or call build(shape) before saving");
        }
        Set<String> names = new HashSet<>();
        for (Layer l : distinct(model.layers())) {
            if (!names.add(l.name())) {
                throw new IllegalArgumentException("Model '" + model.name() + "' has two layers named '" + l.name()
                        + "'; Keras requires unique layer names, so rename one with name(...)");
            }
        }
        byte[] config = Json.write(model instanceof Sequential ? modelConfig((Sequential) model)
                : functionalRoot(model)).getBytes(StandardCharsets.UTF_8);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("keras_version", KERAS_VERSION);
        meta.put("date_saved", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
        byte[] metadata = Json.write(meta).getBytes(StandardCharsets.UTF_8);
        byte[] weights = weightsH5(model);

        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                put(zip, "metadata.json", metadata);
                put(zip, "config.json", config);
                put(zip, "model.weights.h5", weights);
                List<Layer> weighted = weightedLayers(model);
                for (Map.Entry<String, byte[]> a : KerasAssets.entries(weighted, KerasLayout.layerPaths(weighted)).entrySet()) {
                    put(zip, a.getKey(), a.getValue());
                }
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    // ---- config.json ------------------------------------------------------------------------

    private static List<Layer> distinct(List<Layer> layers) {
        Set<Layer> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) {
            if (seen.add(l)) {
                out.add(l);
            }
        }
        return out;
    }

    /** The root of a functional model's config.json (Keras 3's {@code serialize_keras_object(model)}). */
    static Map<String, Object> functionalRoot(Model model) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("module", "keras.src.models.functional");
        root.put("class_name", "Functional");
        root.put("config", functionalConfig(model));
        root.put("registered_name", "Functional");
        Map<String, Object> build = new LinkedHashMap<>();
        build.put("input_shape", null);
        root.put("build_config", build);
        root.put("compile_config", CompileState.config(model));
        return root;
    }

    /**
     * Keras 3's {@code Functional.get_config}: every layer with its {@code inbound_nodes} (the
     * calls that belong to this model, re-indexed from 0), {@code input_layers}, {@code output_layers}
     * ({@code [name, node_index, tensor_index]}, a bare triple for a single tensor).
     */
    static Map<String, Object> functionalConfig(Model model) {
        List<Layer> layers = distinct(model.layers());
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
            Map<String, Object> e = l instanceof InputLayer ? serialized("InputLayer", inputConfig((InputLayer) l), null)
                    : l instanceof Model ? nestedModel((Model) l) : serialize(l);
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
        c.put("batch_shape", batchShape(l.outputShape()));
        c.put("dtype", l.dtype());
        c.put("sparse", false);
        c.put("ragged", false);
        c.put("name", l.name());
        c.put("optional", false);
        return c;
    }

    /** A Sequential or Functional used as a layer: its own config, as Keras nests it. */
    private static Map<String, Object> nestedModel(Model m) {
        Map<String, Object> e;
        if (m instanceof Sequential) {
            e = modelConfig((Sequential) m);
            e.remove("compile_config");
        } else {
            e = new LinkedHashMap<>(functionalRoot(m));
            e.remove("compile_config");
            e.put("build_config", Map.of("input_shape", m.inputs().size() == 1 ? batchShape(m.inputs().get(0).shape())
                    : batchShapes(m.inputs())));
        }
        return e;
    }

    private static List<Object> batchShapes(List<SymbolicTensor> ts) {
        List<Object> l = new ArrayList<>();
        for (SymbolicTensor t : ts) {
            l.add(batchShape(t.shape()));
        }
        return l;
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
            d.put("query_shape", batchShape(shapes.get(0)));
            d.put("value_shape", batchShape(shapes.get(Math.min(1, shapes.size() - 1))));
            if (shapes.size() > 2) {
                d.put("key_shape", batchShape(shapes.get(2)));
            }
            b.put("shapes_dict", d);
        } else if (shapes.size() == 1 || isRecurrent(l)) {
            b.put("input_shape", batchShape(shapes.get(0)));
        } else {
            List<Object> all = new ArrayList<>();
            for (int[] s : shapes) {
                all.add(batchShape(s));
            }
            b.put("input_shape", all);
        }
        return b;
    }

    private static boolean isRecurrent(Layer l) {
        return l instanceof org.rnn4j.layers.RecurrentLayer || l instanceof org.rnn4j.layers.Bidirectional;
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
            cfg.put(c.getKey(), value(c.getValue(), op, c.getKey()));
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
        c.put("shape", batchShape(t.shape()));
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

    static Map<String, Object> modelConfig(Sequential model) {
        List<Object> batchShape = batchShape(model.inputShape());
        List<Object> layers = new ArrayList<>();
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("batch_shape", batchShape);
        input.put("dtype", model.inputs().get(0).dtype());
        input.put("sparse", false);
        input.put("name", "input_layer");
        layers.add(serialized("InputLayer", input, null));
        for (Layer l : model.layers()) {
            layers.add(serialize(l));
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("name", model.name());
        cfg.put("trainable", true);
        cfg.put("dtype", "float32");
        cfg.put("layers", layers);
        cfg.put("build_input_shape", batchShape);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("module", "keras");
        root.put("class_name", "Sequential");
        root.put("config", cfg);
        root.put("registered_name", null);
        root.put("build_config", Map.of("input_shape", batchShape));
        root.put("compile_config", CompileState.config(model));
        return root;
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
        return serialized(l.className(), cfg, l.isBuilt() ? batchShape(l.inputShape()) : null);
    }

    private static Map<String, Object> serialized(String className, Map<String, Object> cfg, List<Object> buildShape) {
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
    private static Object value(Object v, Layer owner, String key) {
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
            L1L2 r = (L1L2) v;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("l1", (double) r.l1());
            c.put("l2", (double) r.l2());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("module", "keras.regularizers");
            m.put("class_name", "L1L2");
            m.put("config", c);
            m.put("registered_name", null);
            return m;
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

    static List<Object> batchShape(int[] sample) {
        List<Object> l = new ArrayList<>();
        int b = STATEFUL_BATCH.get();
        l.add(b > 0 ? (Object) b : null);
        for (int d : sample) {
            l.add(d < 0 ? null : (Object) d);
        }
        return l;
    }

    // ---- model.weights.h5 -------------------------------------------------------------------

    /**
     * jHDF 0.9.4's writer corrupts a group written after the last dataset (it writes its version
     * string at the channel position), so only groups that hold datasets are written; Keras 3
     * treats a missing group as a layer without variables.
     */
    static byte[] weightsH5(Model model) throws IOException {
        Path tmp = Files.createTempFile("rnn4j-", ".weights.h5");
        try {
            try (WritableHdfFile h5 = HdfFile.write(tmp)) {
                Map<String, WritableGroup> groups = new HashMap<>();
                List<Layer> layers = weightedLayers(model);
                List<String> paths = KerasLayout.layerPaths(layers);
                for (int li = 0; li < paths.size(); li++) {
                    Layer l = layers.get(li);
                    List<Variable> ws = l.weights();
                    int next = 0;
                    for (KerasLayout.VarGroup g : KerasLayout.groups(l, paths.get(li))) {
                        WritableGroup vars = mkdirs(h5, g.path, groups);
                        for (int i = 0; i < g.count; i++) {
                            Variable v = ws.get(next++);
                            String key = Integer.toString(i);
                            if (v.shape().length == 0) {
                                // Scalars: Normalization's count is int64 in Keras, others float32.
                                float value = v.value().data()[0];
                                if (v.name().equals("count")) {
                                    vars.putDataset(key, (long) value);
                                } else {
                                    vars.putDataset(key, value);
                                }
                            } else {
                                vars.putDataset(key, nested(v.value().data(), v.shape()));
                            }
                        }
                    }
                    if (l instanceof org.rnn4j.saving.LayerAssets la && !la.ownVariables().isEmpty()) {
                        WritableGroup vars = mkdirs(h5, paths.get(li) + "/vars", groups);
                        for (Map.Entry<String, org.rnn4j.tensor.Tensor> e : la.ownVariables().entrySet()) {
                            vars.putDataset(e.getKey(), nested(e.getValue().data(), e.getValue().shape()));
                        }
                    }
                }
                CompileState.writeVars(model, h5);
            }
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The layers Keras keeps in the weights file (and assets): operations are not. */
    private static List<Layer> weightedLayers(Model model) {
        List<Layer> layers = new ArrayList<>();
        for (Layer l : distinct(model.layers())) {
            if (!(l instanceof Op) && !(l instanceof CallMask)) {
                layers.add(l);
            }
        }
        return layers;
    }

    private static WritableGroup mkdirs(WritableHdfFile h5, String path, Map<String, WritableGroup> groups) {
        WritableGroup cur = null;
        StringBuilder sofar = new StringBuilder();
        for (String part : path.split("/")) {
            sofar.append('/').append(part);
            WritableGroup g = groups.get(sofar.toString());
            if (g == null) {
                g = cur == null ? h5.putGroup(part) : cur.putGroup(part);
                groups.put(sofar.toString(), g);
            }
            cur = g;
        }
        return cur;
    }

    /** A Java multi-dimensional float array of {@code shape} holding row-major {@code data}. */
    static Object nested(float[] data, int[] shape) {
        if (shape.length <= 1) {
            return data.clone();
        }
        Object arr = Array.newInstance(float.class, shape);
        int[] inner = Arrays.copyOfRange(shape, 1, shape.length);
        fill(arr, data, 0, shape);
        return arr;
    }

    private static int fill(Object arr, float[] data, int offset, int[] shape) {
        if (shape.length == 1) {
            System.arraycopy(data, offset, (float[]) arr, 0, shape[0]);
            return offset + shape[0];
        }
        int[] inner = Arrays.copyOfRange(shape, 1, shape.length);
        for (int i = 0; i < shape[0]; i++) {
            offset = fill(Array.get(arr, i), data, offset, inner);
        }
        return offset;
    }
}
