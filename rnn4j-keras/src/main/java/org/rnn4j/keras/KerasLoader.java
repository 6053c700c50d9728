package org.rnn4j.keras;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Variable;
import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;

/**
 * Loads Keras 3 {@code .keras} zips and legacy {@code .h5} files into a {@link Model} (a {@link Sequential}
 * for Sequential files): {@link ModelFile} reads the file, this class builds the layers and the graph
 * from its config and assigns the weights.
 */
final class KerasLoader {
    private final KerasLimits limits;

    KerasLoader(KerasLimits limits) {
        this.limits = limits;
    }

    /** The layers built for each model spec, by layer name (nested models have their own). */
    private final java.util.Map<ModelSpec, java.util.Map<String, Layer>> built = new java.util.IdentityHashMap<>();
    private long params;

    Model load(Path path) throws IOException {
        return ModelFile.open(path, limits, (json, h5, keras3, bytes, trainingConfig, assets) -> {
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
                assign(weightsOf(layers), KerasZipReader.readWeights(layers, paths, h5));
                KerasAssets.load(layers, paths, assets, h5);
                CompileState.restore(model, ((java.util.Map<?, ?>) json).get("compile_config"), h5, "config.json");
            } else {
                List<Layer> layers = new ArrayList<>();
                for (ModelSpec.LayerSpec ls : weighted(spec)) {
                    layers.add(byName.get(ls.name()));
                }
                assign(weightsOf(layers), LegacyH5Reader.readWeights(layers, h5));
                KerasAssets.loadWithoutAssets(layers);
                LegacyTrainingConfig.compile(model, trainingConfig, "training_config");
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
        if (d.equals("int64")) {
            return "int64";
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
