package org.rnn4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnn4j.layers.ConvPoolFusion;
import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Node;
import org.rnn4j.layers.SymbolicTensor;

/**
 * The checked, ordered form of a model's graph (Keras's {@code map_graph}): the nodes between the
 * inputs and the outputs in an order where every node follows the nodes it reads, the layers in
 * Keras's order (by depth from the inputs, ties in traversal order), and a slot number for every
 * tensor, so a run keeps its values in plain arrays. Immutable once made; shared by all runs.
 */
final class GraphPlan {
    /** A non-input node with the slots of its input and output tensors. */
    static final class Step {
        final Node node;
        final int[] in;
        final int[] out;
        /** Whether every input is a model input (the node's input gradient is not needed in training). */
        final boolean readsOnlyModelInputs;

        Step(Node node, int[] in, int[] out, boolean readsOnlyModelInputs) {
            this.node = node;
            this.in = in;
            this.out = out;
            this.readsOnlyModelInputs = readsOnlyModelInputs;
        }
    }

    final List<SymbolicTensor> inputs;
    final List<SymbolicTensor> outputs;
    final int[] inputSlots;
    final int[] outputSlots;
    final List<Step> steps;
    /** Every layer of the graph once, inputs included, in Keras's {@code model.layers} order (functional). */
    final List<Layer> layers;
    final int slotCount;

    /**
     * Per step, the fusion that runs it together with the next step, or null: a Conv2D and the
     * MaxPooling2D that alone reads its output ({@link ConvPoolFusion}). Decided when a run
     * starts (layers are built by then); {@code -Drnn4j.fuse=false} turns fusion off.
     */
    ConvPoolFusion[] fusions() {
        ConvPoolFusion[] f = new ConvPoolFusion[steps.size()];
        if ("false".equalsIgnoreCase(System.getProperty("rnn4j.fuse"))) {
            return f;
        }
        int[] readers = new int[slotCount];
        for (Step s : steps) {
            for (int in : s.in) {
                readers[in]++;
            }
        }
        for (int out : outputSlots) {
            readers[out]++;
        }
        for (int k = 0; k + 1 < steps.size(); k++) {
            Step a = steps.get(k);
            Step b = steps.get(k + 1);
            if (a.in.length == 1 && a.out.length == 1 && b.in.length == 1 && b.out.length == 1
                    && b.in[0] == a.out[0] && readers[a.out[0]] == 1
                    // An activity regularizer needs the output the fusion never makes.
                    && a.node.layer().activityRegularizer() == null && b.node.layer().activityRegularizer() == null) {
                f[k] = ConvPoolFusion.of(a.node.layer(), b.node.layer());
                if (f[k] != null) {
                    k++; // a step fuses with at most one neighbour
                }
            }
        }
        return f;
    }

    GraphPlan(String modelName, List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new IllegalArgumentException("Model '" + modelName + "' needs at least one input and one output");
        }
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        Set<SymbolicTensor> inputSet = Collections.newSetFromMap(new IdentityHashMap<>());
        for (SymbolicTensor t : inputs) {
            if (!inputSet.add(t)) {
                throw new IllegalArgumentException("Model '" + modelName + "': input " + t + " is given twice");
            }
        }
        // Depth-first from the outputs, as Keras: post-order gives an executable order, pre-order the layer indices.
        List<Node> postOrder = new ArrayList<>();
        Map<Layer, Integer> layerIndices = new IdentityHashMap<>();
        Set<Node> finished = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Node> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());
        for (SymbolicTensor out : outputs) {
            visit(modelName, out, inputSet, finished, inProgress, postOrder, layerIndices);
        }
        // Depth of each node: the longest path to an output; of each layer: the largest of its nodes'.
        Map<Node, Integer> nodeDepth = new IdentityHashMap<>();
        Map<Layer, Integer> layerDepth = new IdentityHashMap<>();
        for (int i = postOrder.size() - 1; i >= 0; i--) {
            Node node = postOrder.get(i);
            int depth = nodeDepth.getOrDefault(node, 0);
            depth = Math.max(depth, layerDepth.getOrDefault(node.layer(), 0));
            layerDepth.put(node.layer(), depth);
            nodeDepth.put(node, depth);
            if (!node.isInput()) {
                for (SymbolicTensor t : node.inputs()) {
                    if (inputSet.contains(t) && !t.node().isInput()) {
                        continue;
                    }
                    Node parent = t.node();
                    nodeDepth.put(parent, Math.max(depth + 1, nodeDepth.getOrDefault(parent, 0)));
                }
            }
        }
        for (SymbolicTensor t : inputs) {
            if (!layerDepth.containsKey(t.layer()) && t.node().isInput()) {
                layerDepth.put(t.layer(), 0);
                layerIndices.put(t.layer(), -1);
            }
        }
        List<Layer> ordered = new ArrayList<>(layerDepth.keySet());
        ordered.sort((a, b) -> {
            int byDepth = Integer.compare(layerDepth.get(b), layerDepth.get(a));
            return byDepth != 0 ? byDepth : Integer.compare(layerIndices.get(a), layerIndices.get(b));
        });
        this.layers = Collections.unmodifiableList(ordered);
        checkUniqueNames(modelName, ordered);

        // Slots: model inputs first, then every node output in execution order.
        Map<SymbolicTensor, Integer> slots = new IdentityHashMap<>();
        inputSlots = new int[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            inputSlots[i] = i;
            slots.put(inputs.get(i), i);
        }
        List<Step> plan = new ArrayList<>();
        for (Node node : postOrder) {
            if (node.isInput()) {
                continue;
            }
            boolean produced = true;
            for (SymbolicTensor o : node.outputs()) {
                produced &= slots.containsKey(o) && inputSet.contains(o);
            }
            if (produced) {
                continue; // an intermediate tensor given as a model input: its producer is outside the graph
            }
            int[] in = new int[node.inputs().size()];
            boolean onlyInputs = true;
            for (int i = 0; i < in.length; i++) {
                Integer s = slots.get(node.inputs().get(i));
                if (s == null) {
                    throw disconnected(modelName, node.inputs().get(i), node);
                }
                in[i] = s;
                onlyInputs &= s < inputs.size();
            }
            int[] out = new int[node.outputs().size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = slots.size();
                slots.put(node.outputs().get(i), out[i]);
            }
            plan.add(new Step(node, in, out, onlyInputs));
        }
        this.steps = Collections.unmodifiableList(plan);
        outputSlots = new int[outputs.size()];
        for (int i = 0; i < outputs.size(); i++) {
            Integer s = slots.get(outputs.get(i));
            if (s == null) {
                throw new IllegalArgumentException("Model '" + modelName + "': output " + outputs.get(i)
                        + " cannot be computed from the inputs " + names(inputs));
            }
            outputSlots[i] = s;
        }
        this.slotCount = slots.size();
    }

    private static void visit(String modelName, SymbolicTensor tensor, Set<SymbolicTensor> inputSet, Set<Node> finished,
                              Set<Node> inProgress, List<Node> postOrder, Map<Layer, Integer> layerIndices) {
        Node node = tensor.node();
        if (finished.contains(node)) {
            return;
        }
        if (!node.isInput() && inputSet.contains(tensor)) {
            finished.add(node);
            return;
        }
        if (node.isInput() && !inputSet.contains(tensor)) {
            throw new IllegalArgumentException("Graph disconnected in model '" + modelName + "': input '"
                    + node.layer().name() + "' " + tensor + " is used but not listed in the model's inputs "
                    + names(List.copyOf(inputSet)) + "; add it to the inputs of new Model(inputs, outputs)");
        }
        if (inProgress.contains(node)) {
            throw new IllegalArgumentException("Model '" + modelName + "': tensor " + tensor + " from layer '"
                    + node.layer().name() + "' is part of a cycle");
        }
        layerIndices.putIfAbsent(node.layer(), layerIndices.size());
        inProgress.add(node);
        for (SymbolicTensor t : node.inputs()) {
            visit(modelName, t, inputSet, finished, inProgress, postOrder, layerIndices);
        }
        inProgress.remove(node);
        finished.add(node);
        postOrder.add(node);
    }

    private static IllegalArgumentException disconnected(String modelName, SymbolicTensor t, Node at) {
        return new IllegalArgumentException("Graph disconnected in model '" + modelName + "': cannot find the source of "
                + t + " read by layer '" + at.layer().name() + "'");
    }

    private static void checkUniqueNames(String modelName, List<Layer> layers) {
        Map<String, Layer> seen = new HashMap<>();
        for (Layer l : layers) {
            Layer other = seen.put(l.name(), l);
            if (other != null) {
                throw new IllegalArgumentException("Model '" + modelName + "': the name '" + l.name() + "' is used by two layers ("
                        + other.className() + " and " + l.className() + "); layer names must be unique in a model,"
                        + " rename one with .name(...)");
            }
        }
    }

    static String names(List<SymbolicTensor> tensors) {
        List<String> n = new ArrayList<>();
        for (SymbolicTensor t : tensors) {
            n.add(t.name());
        }
        return n.toString();
    }

    /** Layer names by output, for {@code outputNames()}: the producing layer's name. */
    static Map<String, Integer> indexByName(List<SymbolicTensor> tensors) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < tensors.size(); i++) {
            m.putIfAbsent(tensors.get(i).name(), i);
        }
        return m;
    }
}
