package org.rnn4j.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Variable;
import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/** Loads Keras 3 {@code .keras} zips and legacy {@code .h5} files into a {@link Model} (a {@link Sequential} for Sequential files). */
final class KerasLoader {
    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private static final long IN_MEMORY_H5_BYTES = 256L << 20;

    private final KerasLimits limits;

    KerasLoader(KerasLimits limits) {
        this.limits = limits;
    }

    /** What a file yields: its model config, its weights and how they are laid out. */
    @FunctionalInterface
    private interface Builder<T> {
        T build(Object configJson, Group weights, boolean keras3, long weightBytes) throws IOException;
    }

    /** The layers built for each model spec, by layer name (nested models have their own). */
    private final java.util.Map<ModelSpec, java.util.Map<String, Layer>> built = new java.util.IdentityHashMap<>();
    private long params;
    /** The legacy .h5 file's {@code training_config} attribute, read by {@link #openH5}. */
    private String legacyTrainingConfig;
    /** The .keras zip's {@code assets/...} entries, read by {@link #openKeras}. */
    private java.util.Map<String, byte[]> assets = java.util.Map.of();

    Model load(Path path) throws IOException {
        return open(path, (json, h5, keras3, bytes) -> {
            ModelSpec spec = ModelConfigReader.read(json);
            Model model = buildModel(spec, bytes);
            StatefulBatch.apply(model, spec.layers);
            java.util.Map<String, Layer> byName = built.get(spec);
            if (keras3) {
                List<String> classes = new ArrayList<>();
                for (ModelSpec.LayerSpec ls : weighted(spec)) {
                    classes.add(ls.className);
                }
                List<String> paths = KerasLayout.classPaths(classes);
                List<Layer> layers = new ArrayList<>();
                for (ModelSpec.LayerSpec ls : weighted(spec)) {
                    layers.add(byName.get(ls.name()));
                }
                assign(weightsOf(layers), readKeras3Weights(layers, paths, h5));
                KerasAssets.load(layers, paths, assets, h5);
                CompileState.restore(model, ((java.util.Map<?, ?>) json).get("compile_config"), h5, "config.json");
            } else {
                List<Layer> layers = new ArrayList<>();
                for (ModelSpec.LayerSpec ls : weighted(spec)) {
                    layers.add(byName.get(ls.name()));
                }
                assign(weightsOf(layers), readLegacyWeights(layers, h5));
                KerasAssets.loadWithoutAssets(layers);
                LegacyTrainingConfig.compile(model, legacyTrainingConfig, "training_config");
            }
            return model;
        });
    }

    /** The layers Keras keeps in {@code model.layers} (and the weights file): operation nodes are not. */
    private static List<ModelSpec.LayerSpec> weighted(ModelSpec spec) {
        List<ModelSpec.LayerSpec> out = new ArrayList<>();
        for (ModelSpec.LayerSpec ls : spec.layers) {
            if (ls.opModule == null) {
                out.add(ls);
            }
        }
        return out;
    }

    private static List<Variable> weightsOf(List<Layer> layers) {
        List<Variable> all = new ArrayList<>();
        for (Layer l : layers) {
            all.addAll(l.weights());
        }
        return all;
    }

    private <T> T open(Path path, Builder<T> builder) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "no such model file");
        }
        String file = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        try {
            byte[] head = new byte[8];
            int n;
            try (InputStream in = Files.newInputStream(path)) {
                n = in.readNBytes(head, 0, 8);
            }
            if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
                return openKeras(path, builder);
            }
            if (n == 8 && java.util.Arrays.equals(head, HDF5_MAGIC)) {
                return openH5(path, builder);
            }
            throw new KerasFormatException("not a Keras model file: neither a .keras zip nor an HDF5 .h5 file"
                    + " (first bytes " + hex(head, n) + ")");
        } catch (KerasFormatException e) {
            throw new KerasFormatException(file + ": " + e.getMessage(), e.getCause());
        } catch (RuntimeException | StackOverflowError e) {
            throw new KerasFormatException(file + ": cannot load: " + e, e);
        } catch (OutOfMemoryError e) {
            // Reached only through a single oversized allocation (sizes are checked first); nothing is kept.
            throw new KerasFormatException(file + ": the model needs more memory than this JVM has (" + e.getMessage() + ")", e);
        }
    }

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }

    // ---- .keras ---------------------------------------------------------------------------

    private <T> T openKeras(Path path, Builder<T> builder) throws IOException {
        byte[] config;
        byte[] weights;
        try (ZipFile zip = new ZipFile(path.toFile())) {
            int entries = 0;
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); e.nextElement()) {
                if (++entries > limits.maxZipEntries()) {
                    throw new KerasFormatException("zip lists more than " + limits.maxZipEntries() + " entries");
                }
            }
            config = entry(zip, "config.json", limits.maxConfigBytes());
            byte[] meta = zip.getEntry("metadata.json") == null ? null : entry(zip, "metadata.json", limits.maxConfigBytes());
            if (meta != null) {
                Json.parse(new String(meta, StandardCharsets.UTF_8), "metadata.json");
            }
            if (zip.getEntry("model.weights.h5") == null) {
                String other = zip.getEntry("model.weights.npz") != null ? " (it has model.weights.npz, which rnn4j does not read)"
                        : zip.getEntry("model.weights.json") != null ? " (its weights are sharded, which rnn4j does not read)" : "";
                throw new KerasFormatException("the .keras zip has no model.weights.h5" + other);
            }
            weights = entry(zip, "model.weights.h5", limits.maxWeightsBytes());
            java.util.Map<String, byte[]> found = new java.util.TreeMap<>();
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                ZipEntry z = e.nextElement();
                if (z.getName().startsWith(KerasAssets.PREFIX) && !z.isDirectory()) {
                    found.put(z.getName(), entry(zip, z.getName(), limits.maxConfigBytes()));
                }
            }
            assets = found;
        } catch (ZipException e) {
            throw new KerasFormatException("not a valid .keras zip: " + e.getMessage(), e);
        }
        if (weights.length < 8 || !java.util.Arrays.equals(java.util.Arrays.copyOf(weights, 8), HDF5_MAGIC)) {
            throw new KerasFormatException("model.weights.h5 is not an HDF5 file");
        }
        Object json = Json.parse(new String(config, StandardCharsets.UTF_8), "config.json");
        try (HdfFile h5 = HdfFile.fromBytes(weights)) {
            return builder.build(json, h5, true, weights.length);
        }
    }

    private static byte[] entry(ZipFile zip, String name, long cap) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new KerasFormatException("the .keras zip has no " + name);
        }
        if (e.getSize() > cap) {
            throw new KerasFormatException(name + " declares " + e.getSize() + " bytes, over the limit of " + cap);
        }
        // Declared sizes can lie (zip bombs): count what is actually inflated.
        try (InputStream in = zip.getInputStream(e)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(e.getSize(), 0), 1 << 20));
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int r;
            while ((r = in.read(buf)) > 0) {
                total += r;
                if (total > cap) {
                    throw new KerasFormatException(name + " inflates to more than the limit of " + cap + " bytes");
                }
                out.write(buf, 0, r);
            }
            return out.toByteArray();
        } catch (ZipException | java.io.EOFException ex) {
            throw new KerasFormatException(name + " cannot be read from the zip: " + ex.getMessage(), ex);
        }
    }

    private static List<float[]> readKeras3Weights(List<Layer> layers, List<String> paths, Group root)
            throws KerasFormatException {
        List<float[]> values = new ArrayList<>();
        for (int li = 0; li < paths.size(); li++) {
            Layer layer = layers.get(li);
            String where = "layer " + (li + 1) + " '" + layer.name() + "' (" + layer.className() + ")";
            List<Variable> ws = layer.weights();
            int next = 0;
            for (KerasLayout.VarGroup g : KerasLayout.groups(layer, paths.get(li))) {
                Group vars = H5.group(root, g.path, where);
                int have = H5.countNumbered(vars, g.path);
                if (have != g.count) {
                    throw new KerasFormatException(where + ": weights group '" + g.path + "' holds " + have
                            + " variables but the layer has " + g.count);
                }
                for (int i = 0; i < g.count; i++) {
                    Variable v = ws.get(next++);
                    values.add(H5.floats(root, g.path + "/" + i, v.shape(), where + " weight '" + v.name() + "'"));
                }
            }
        }
        return values;
    }

    // ---- legacy .h5 -------------------------------------------------------------------------

    private <T> T openH5(Path path, Builder<T> builder) throws IOException {
        long size = Files.size(path);
        if (size > limits.maxWeightsBytes()) {
            throw new KerasFormatException("the file has " + size + " bytes, over the limit of " + limits.maxWeightsBytes());
        }
        // In memory, jHDF refuses a corrupt header claiming a huge size at once; reading from the
        // file it first allocates and fills a buffer of that size. Very large files stay on disk.
        try (HdfFile h5 = size <= IN_MEMORY_H5_BYTES ? HdfFile.fromBytes(Files.readAllBytes(path)) : new HdfFile(path)) {
            String version = H5.stringAttr(h5, "keras_version", "root");
            String config = H5.stringAttr(h5, "model_config", "root");
            if (config == null) {
                throw new KerasFormatException("the HDF5 file has no 'model_config' attribute: it holds weights only"
                        + " (model.save_weights); build the model in code and load those weights instead");
            }
            if (config.length() > limits.maxConfigBytes()) {
                throw new KerasFormatException("model_config is larger than the limit of " + limits.maxConfigBytes());
            }
            Object json = Json.parse(config, "model_config" + (version == null ? "" : " (Keras " + version + ")"));
            String training = H5.stringAttr(h5, "training_config", "root");
            legacyTrainingConfig = training != null && training.length() <= limits.maxConfigBytes() ? training : null;
            Node mw = H5.find(h5, "model_weights");
            return builder.build(json, mw instanceof Group ? (Group) mw : h5, false, size);
        }
    }

    private static List<float[]> readLegacyWeights(List<Layer> layers, Group root) throws KerasFormatException {
        List<float[]> values = new ArrayList<>();
        Set<String> ours = new HashSet<>();
        int position = 0;
        for (Layer layer : layers) {
            position++;
            ours.add(layer.name());
            List<Variable> ws = layer.weights();
            if (ws.isEmpty()) {
                continue;
            }
            String where = "layer " + position + " '" + layer.name() + "' (" + layer.className() + ")";
            Group g = H5.group(root, layer.name(), where);
            List<String> names = H5.stringListAttr(g, "weight_names", where);
            if (names.size() != ws.size()) {
                throw new KerasFormatException(where + ": the file lists " + names.size() + " weights " + names
                        + " but the layer has " + ws.size() + " (" + weightNames(ws) + ")");
            }
            for (int i = 0; i < ws.size(); i++) {
                Variable v = ws.get(i);
                values.add(H5.floats(g, names.get(i), v.shape(), where + " weight '" + names.get(i) + "'"));
            }
        }
        // Weights for layers the model does not have would be silently lost.
        for (String name : H5.stringListAttr(root, "layer_names", "model_weights")) {
            if (!ours.contains(name)) {
                Node n = H5.find(root, name);
                if (n != null && !H5.stringListAttr(n, "weight_names", name).isEmpty()) {
                    throw new KerasFormatException("the file holds weights for layer '" + name
                            + "', which is not in the loaded model");
                }
            }
        }
        return values;
    }

    private static String weightNames(List<Variable> ws) {
        List<String> s = new ArrayList<>();
        for (Variable v : ws) {
            s.add(v.name() + " " + Shapes.toString(v.shape()));
        }
        return String.join(", ", s);
    }

    // ---- building ---------------------------------------------------------------------------

    /** The model of a config alone (weights as initialised), for tests of the graph building. */
    static Model buildConfig(ModelSpec spec) throws KerasFormatException {
        return org.rnn4j.util.Names.withoutCounting(() -> new KerasLoader(KerasLimits.defaults()).buildModel(spec, Long.MAX_VALUE / 8));
    }

    private Model buildModel(ModelSpec spec, long weightBytes) throws KerasFormatException {
        return spec.functional ? buildFunctional(spec, weightBytes) : build(spec, weightBytes);
    }

    private Layer createLayer(ModelSpec.LayerSpec ls, long weightBytes) throws KerasFormatException {
        if (ls.nested != null) {
            return buildModel(ls.nested, weightBytes);
        }
        if (ls.opModule != null) {
            return createOp(ls);
        }
        if (ls.className.equals("TFOpLambda") || ls.className.equals("SlicingOpLambda")) {
            Object fn = ls.config.get("function");
            throw new KerasFormatException(ls.where() + ": the tf.keras 2 operation " + (fn == null ? "?" : "'" + fn + "'")
                    + " (" + ls.className + ") is not supported; rnn4j runs Keras 3 operation nodes: rebuild the"
                    + " model with Keras 3 (x + y, x[:, -1], keras.ops.mean(...)) and save it as .keras");
        }
        try {
            return LayerRegistry.create(ls.className, ls.config, ls.where(), weightBytes / 4);
        } catch (KerasFormatException e) {
            throw e;
        } catch (org.rnn4j.saving.ConfigException e) {
            throw new KerasFormatException(e.getMessage(), e);
        }
    }

    /** An operation node, from its config and the {@code args}/{@code kwargs} of its single call. */
    private static Layer createOp(ModelSpec.LayerSpec ls) throws KerasFormatException {
        String where = ls.where() + ", module " + ls.opModule;
        if (ls.nodes.size() != 1) {
            throw new KerasFormatException(where + ": an operation node must be called exactly once; it is called "
                    + ls.nodes.size() + " times");
        }
        ModelSpec.NodeSpec n = ls.nodes.get(0);
        if (n.args() == null) {
            throw new KerasFormatException(where + ": an operation node needs Keras 3 call args");
        }
        if (!n.masks().isEmpty()) {
            throw new KerasFormatException(where + ": rnn4j does not pass a mask keyword to an operation");
        }
        Map<String, Object> kwargs = new java.util.LinkedHashMap<>(n.kwargs());
        try {
            return org.rnn4j.ops.Ops.fromKeras(ls.opModule, ls.className, ls.config, n.args(), kwargs);
        } catch (org.rnn4j.ops.UnsupportedOpException e) {
            throw new KerasFormatException(ls.where() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new KerasFormatException(where + ": " + e.getMessage(), e);
        }
    }

    private void countParams(ModelSpec.LayerSpec ls, Layer layer, long weightBytes) throws KerasFormatException {
        params += layer.countParams();
        // Every parameter must come from the file: a config asking for more is hostile or broken.
        if (params > limits.maxParams() || params * 4 > weightBytes + 4096) {
            throw new KerasFormatException(ls.where() + ": the config asks for " + params
                    + " parameters, more than the weights file can hold (" + weightBytes + " bytes)");
        }
    }

    /** Builds every layer from its config; the model is returned only once weights are assigned. */
    private Sequential build(ModelSpec spec, long weightBytes) throws KerasFormatException {
        if (spec.inputShape == null) {
            throw new KerasFormatException("the model config declares no input shape (no InputLayer, batch_input_shape"
                    + " or build_config); rnn4j needs it to build the layers");
        }
        Sequential model = new Sequential(spec.name);
        java.util.Map<String, Layer> byName = new java.util.HashMap<>();
        for (ModelSpec.LayerSpec ls : spec.layers) {
            Layer layer = createLayer(ls, weightBytes);
            if (ls.position == 1 && ls.nested == null) {
                layer.inputShape(spec.inputShape);
            }
            try {
                if (ls.position == 1 && ls.nested != null) {
                    Layer first = layer;
                    model.add(first);
                    model.build(spec.inputShape);
                } else {
                    model.add(layer);
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new KerasFormatException(ls.where() + ": " + e.getMessage(), e);
            }
            byName.put(ls.name(), layer);
            countParams(ls, layer, weightBytes);
        }
        built.put(spec, byName);
        return model;
    }

    /**
     * Keras's {@code functional_from_config}: makes the InputLayers and every layer, then calls each
     * layer on the tensors its nodes read, in an order where every input exists (a layer's nodes in
     * their node-index order), and makes the model from the input and output tensors.
     */
    private Model buildFunctional(ModelSpec spec, long weightBytes) throws KerasFormatException {
        String model = "Functional model '" + spec.name + "'";
        java.util.Map<String, Layer> byName = new java.util.LinkedHashMap<>();
        java.util.Map<String, List<List<SymbolicTensor>>> calls = new java.util.HashMap<>();
        java.util.Map<String, ModelSpec.LayerSpec> specOf = new java.util.HashMap<>();
        int pending = 0;
        for (ModelSpec.LayerSpec ls : spec.layers) {
            specOf.put(ls.name(), ls);
            if (ls.isInput()) {
                InputLayer in;
                try {
                    in = new InputLayer(ls.inputShape, dtype(ls), ls.name());
                } catch (IllegalArgumentException e) {
                    throw new KerasFormatException(model + ", " + ls.where() + ": " + e.getMessage(), e);
                }
                byName.put(ls.name(), in);
                calls.put(ls.name(), new ArrayList<>(List.of(List.of(in.output()))));
                continue;
            }
            long before = params;
            Layer layer = createLayer(ls, weightBytes);
            params = before;
            byName.put(ls.name(), layer);
            calls.put(ls.name(), new ArrayList<>());
            pending += ls.nodes.size();
        }
        dropMasksKeras3Ignores(spec, byName);
        java.util.Map<String, Integer> done = new java.util.HashMap<>();
        List<ModelSpec.LayerSpec> order = callOrder(spec);
        boolean progress = true;
        while (pending > 0 && progress) {
            progress = false;
            for (ModelSpec.LayerSpec ls : order) {
                if (ls.isInput()) {
                    continue;
                }
                Layer layer = byName.get(ls.name());
                int k = done.getOrDefault(ls.name(), 0);
                while (k < ls.nodes.size()) {
                    ModelSpec.NodeSpec node = ls.nodes.get(k);
                    List<SymbolicTensor> in = resolve(model, ls, node.inputs(), specOf, calls);
                    List<SymbolicTensor> masks = resolveMasks(model, ls, node.masks(), specOf, calls);
                    if (in == null || masks == null) {
                        break;
                    }
                    if (in.isEmpty()) {
                        throw new KerasFormatException(model + ", " + ls.where() + ": call " + k + " reads no tensor");
                    }
                    in = applyMasks(model, ls, k, in, masks);
                    List<SymbolicTensor> out;
                    try {
                        out = layer.call(in);
                    } catch (RuntimeException e) {
                        throw new KerasFormatException(model + ", " + ls.where() + ": " + e.getMessage(), e);
                    }
                    calls.get(ls.name()).add(out);
                    if (k == 0) {
                        countParams(ls, layer, weightBytes);
                    }
                    k++;
                    pending--;
                    progress = true;
                }
                done.put(ls.name(), k);
            }
        }
        if (pending > 0) {
            for (ModelSpec.LayerSpec ls : spec.layers) {
                int k = done.getOrDefault(ls.name(), 0);
                if (!ls.isInput() && k < ls.nodes.size()) {
                    throw new KerasFormatException(model + ", " + ls.where() + ": call " + k + " reads "
                            + ls.nodes.get(k).inputs() + ", which cannot be computed from the model's inputs (a cycle)");
                }
            }
        }
        List<SymbolicTensor> inputs = new ArrayList<>();
        for (ModelSpec.Ref r : spec.inputs) {
            if (!(byName.get(r.layer()) instanceof InputLayer)) {
                throw new KerasFormatException(model + ": input " + r + " is not an InputLayer of the model");
            }
            inputs.add(tensor(model, "the model's inputs", r, specOf, calls));
        }
        List<SymbolicTensor> outputs = new ArrayList<>();
        for (ModelSpec.Ref r : spec.outputs) {
            SymbolicTensor t = tensor(model, "the model's outputs", r, specOf, calls);
            if (t == null) {
                throw new KerasFormatException(model + ": output " + r + " is never computed");
            }
            outputs.add(t);
        }
        Model m;
        try {
            m = new Model(inputs, outputs, spec.name);
        } catch (RuntimeException e) {
            throw new KerasFormatException(model + ": " + e.getMessage(), e);
        }
        built.put(spec, byName);
        return m;
    }

    /**
     * Keras 3 does not pass the mask of a recurrent layer's sequence to it when the layer is also
     * given initial states as inputs (Keras 2's {@code lstm([x, h, c])} in a legacy file); Keras 3's
     * numbers are the reference. An Embedding with mask_zero read only by such calls therefore
     * computes no mask here.
     */
    private static void dropMasksKeras3Ignores(ModelSpec spec, java.util.Map<String, Layer> byName) {
        java.util.Map<String, Boolean> onlyStatefulReaders = new java.util.HashMap<>();
        for (ModelSpec.LayerSpec ls : spec.layers) {
            boolean statefulCall = false;
            Layer l = byName.get(ls.name());
            for (ModelSpec.NodeSpec n : ls.nodes) {
                statefulCall = n.inputs().size() > 1 && l instanceof org.rnn4j.layers.RecurrentLayer;
                for (int i = 0; i < n.inputs().size(); i++) {
                    String src = n.inputs().get(i).layer();
                    onlyStatefulReaders.merge(src, statefulCall && i == 0, Boolean::logicalAnd);
                }
            }
        }
        for (ModelSpec.LayerSpec ls : spec.layers) {
            Layer l = byName.get(ls.name());
            if (l instanceof org.rnn4j.layers.Embedding && onlyStatefulReaders.getOrDefault(ls.name(), false)
                    && !l.isBuilt()) {
                ((org.rnn4j.layers.Embedding) l).maskZero(false);
            }
        }
    }

    /**
     * The layers in an order where each follows the layers it reads (Kahn's algorithm, linear in
     * the graph, for configs listing layers in any order); layers in a dependency cycle (possible
     * with shared layers) follow in config order, and the passes of the caller resolve them.
     */
    private static List<ModelSpec.LayerSpec> callOrder(ModelSpec spec) {
        java.util.Map<String, ModelSpec.LayerSpec> byName = new java.util.HashMap<>();
        for (ModelSpec.LayerSpec ls : spec.layers) {
            byName.put(ls.name(), ls);
        }
        java.util.Map<ModelSpec.LayerSpec, Integer> waiting = new java.util.IdentityHashMap<>();
        java.util.Map<String, List<ModelSpec.LayerSpec>> readers = new java.util.HashMap<>();
        java.util.ArrayDeque<ModelSpec.LayerSpec> ready = new java.util.ArrayDeque<>();
        for (ModelSpec.LayerSpec ls : spec.layers) {
            java.util.Set<String> deps = new java.util.HashSet<>();
            for (ModelSpec.NodeSpec n : ls.nodes) {
                for (ModelSpec.Ref r : n.allRefs()) {
                    if (byName.containsKey(r.layer()) && !r.layer().equals(ls.name())) {
                        deps.add(r.layer());
                    }
                }
            }
            waiting.put(ls, deps.size());
            for (String d : deps) {
                readers.computeIfAbsent(d, k -> new ArrayList<>()).add(ls);
            }
            if (deps.isEmpty()) {
                ready.add(ls);
            }
        }
        List<ModelSpec.LayerSpec> order = new ArrayList<>();
        java.util.Set<ModelSpec.LayerSpec> placed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!ready.isEmpty()) {
            ModelSpec.LayerSpec ls = ready.poll();
            order.add(ls);
            placed.add(ls);
            for (ModelSpec.LayerSpec r : readers.getOrDefault(ls.name(), List.of())) {
                if (waiting.merge(r, -1, Integer::sum) == 0) {
                    ready.add(r);
                }
            }
        }
        for (ModelSpec.LayerSpec ls : spec.layers) {
            if (!placed.contains(ls)) {
                order.add(ls);
            }
        }
        return order;
    }

    /** The node's mask tensors (null entries for unmasked inputs), or null when one is not computed yet. */
    private static List<SymbolicTensor> resolveMasks(String model, ModelSpec.LayerSpec ls, List<ModelSpec.Ref> refs,
            java.util.Map<String, ModelSpec.LayerSpec> specOf, java.util.Map<String, List<List<SymbolicTensor>>> calls)
            throws KerasFormatException {
        List<SymbolicTensor> out = new ArrayList<>(refs.size());
        for (ModelSpec.Ref r : refs) {
            if (r == null) {
                out.add(null);
                continue;
            }
            SymbolicTensor t = tensor(model, ls.where() + " (mask)", r, specOf, calls);
            if (t == null) {
                return null;
            }
            out.add(t);
        }
        return out;
    }

    /** Keras's {@code layer(x, mask=m)}: each masked input goes through a {@link org.rnn4j.ops.CallMask}. */
    private static List<SymbolicTensor> applyMasks(String model, ModelSpec.LayerSpec ls, int call,
            List<SymbolicTensor> in, List<SymbolicTensor> masks) throws KerasFormatException {
        if (masks.isEmpty()) {
            return in;
        }
        if (masks.size() > in.size()) {
            throw new KerasFormatException(model + ", " + ls.where() + ": call " + call + " passes " + masks.size()
                    + " masks for " + in.size() + " input(s)");
        }
        List<SymbolicTensor> out = new ArrayList<>(in);
        for (int i = 0; i < masks.size(); i++) {
            if (masks.get(i) == null) {
                continue;
            }
            org.rnn4j.ops.CallMask cm = new org.rnn4j.ops.CallMask();
            cm.name(ls.name() + "_mask" + (call == 0 ? "" : "_" + call) + (i == 0 ? "" : "_" + i));
            try {
                out.set(i, cm.call(List.of(in.get(i), masks.get(i))).get(0));
            } catch (RuntimeException e) {
                throw new KerasFormatException(model + ", " + ls.where() + ": mask of input " + i + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The tensors a node reads, or null when one is not computed yet. */
    private static List<SymbolicTensor> resolve(String model, ModelSpec.LayerSpec ls, List<ModelSpec.Ref> refs,
            java.util.Map<String, ModelSpec.LayerSpec> specOf, java.util.Map<String, List<List<SymbolicTensor>>> calls)
            throws KerasFormatException {
        List<SymbolicTensor> in = new ArrayList<>(refs.size());
        for (ModelSpec.Ref r : refs) {
            SymbolicTensor t = tensor(model, ls.where(), r, specOf, calls);
            if (t == null) {
                return null;
            }
            in.add(t);
        }
        return in;
    }

    private static SymbolicTensor tensor(String model, String where, ModelSpec.Ref r,
            java.util.Map<String, ModelSpec.LayerSpec> specOf, java.util.Map<String, List<List<SymbolicTensor>>> calls)
            throws KerasFormatException {
        ModelSpec.LayerSpec src = specOf.get(r.layer());
        if (src == null) {
            throw new KerasFormatException(model + ", " + where + ": reads " + r + ", which is not a layer of the model");
        }
        if (r.node() >= Math.max(1, src.isInput() ? 1 : src.nodes.size())) {
            throw new KerasFormatException(model + ", " + where + ": reads " + r + ", but layer '" + r.layer()
                    + "' is called " + src.nodes.size() + " time(s)");
        }
        List<List<SymbolicTensor>> made = calls.get(r.layer());
        if (made.size() <= r.node()) {
            return null;
        }
        List<SymbolicTensor> outs = made.get(r.node());
        if (r.tensor() >= outs.size()) {
            throw new KerasFormatException(model + ", " + where + ": reads output " + r.tensor() + " of layer '" + r.layer()
                    + "', which has " + outs.size() + " output(s)" + (outs.size() == 1
                    ? " (a recurrent layer returns its states only with return_state=true)" : ""));
        }
        return outs.get(r.tensor());
    }

    private static String dtype(ModelSpec.LayerSpec ls) {
        String d = ls.dtype;
        if (d.equals("int64") || d.equals("string")) {
            return d; // string: read by a StringLookup at the model boundary
        }
        return d.startsWith("int") || d.startsWith("uint") ? "int32" : "float32";
    }

    private static void assign(List<Variable> all, List<float[]> values) throws KerasFormatException {
        if (all.size() != values.size()) {
            throw new KerasFormatException("read " + values.size() + " weights for " + all.size() + " variables");
        }
        for (int i = 0; i < all.size(); i++) {
            all.get(i).assign(Tensor.of(values.get(i), all.get(i).shape()));
        }
    }
}
