package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rnn4j.Rnn4j;
import org.rnn4j.util.Rng;

/**
 * One call of a layer on symbolic tensors (Keras's {@code Node}): the layer, the tensors it was
 * called on and the tensors it returned. A shared layer has one node per call.
 */
public final class Node {
    private final Layer layer;
    private final List<SymbolicTensor> inputs;
    private final List<SymbolicTensor> outputs;

    private Node(Layer layer, List<SymbolicTensor> inputs, List<int[]> outputShapes, List<String> dtypes) {
        this.layer = layer;
        this.inputs = List.copyOf(inputs);
        List<SymbolicTensor> outs = new ArrayList<>(outputShapes.size());
        for (int i = 0; i < outputShapes.size(); i++) {
            outs.add(new SymbolicTensor(this, i, outputShapes.get(i), dtypes.get(i)));
        }
        this.outputs = Collections.unmodifiableList(outs);
    }

    /** The node of a model input: no inbound tensors, one output. */
    static Node input(InputLayer layer, int[] shape, String dtype) {
        return new Node(layer, List.of(), List.of(shape), List.of(dtype));
    }

    /**
     * Calls {@code layer} on {@code inputs}: builds it for their shapes the first time (weights
     * drawn from the library's seed stream, {@link Rnn4j#setSeed}), checks them when it is shared,
     * and records the node. A wrong count or a shape that does not fit fails here, naming the layer.
     */
    static Node create(Layer layer, List<SymbolicTensor> inputs) {
        if (layer instanceof InputLayer) {
            throw new IllegalArgumentException("Input layer '" + layer.name() + "' cannot be called; use its tensor");
        }
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("Layer '" + layer.name() + "' (" + layer.className()
                    + ") must be called on at least one tensor");
        }
        List<int[]> shapes = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            SymbolicTensor t = inputs.get(i);
            if (t == null) {
                throw new IllegalArgumentException("Layer '" + layer.name() + "' (" + layer.className()
                        + "): input " + i + " is null");
            }
            shapes.add(t.shape());
        }
        if (!layer.isBuilt()) {
            layer.build(shapes, new Rng(Rnn4j.nextSeed()));
        } else {
            layer.build(shapes, null);
        }
        List<int[]> outShapes = layer.computeOutputShapes(shapes);
        List<String> dtypes = new ArrayList<>(outShapes.size());
        for (int i = 0; i < outShapes.size(); i++) {
            dtypes.add(layer.outputDtype(inputs.get(0).dtype()));
        }
        Node node = new Node(layer, inputs, outShapes, dtypes);
        layer.addInboundNode(node);
        return node;
    }

    public Layer layer() {
        return layer;
    }

    public List<SymbolicTensor> inputs() {
        return inputs;
    }

    public List<SymbolicTensor> outputs() {
        return outputs;
    }

    public boolean isInput() {
        return layer instanceof InputLayer;
    }

    /** The nodes that produce this node's inputs. */
    public List<Node> parents() {
        List<Node> p = new ArrayList<>(inputs.size());
        for (SymbolicTensor t : inputs) {
            p.add(t.node());
        }
        return p;
    }

    @Override
    public String toString() {
        return "Node(" + layer.name() + ", " + inputs.size() + " in, " + outputs.size() + " out)";
    }
}
