package org.rnn4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Names;

/**
 * Keras's Sequential: a stack of layers, and a builder of the {@link Model} graph that runs them
 * (as Keras's {@code sequential.py} builds a {@code Functional}). Shapes are checked as layers are
 * added (when the input shape is known), so a mismatch is reported at {@code add()} with the layer
 * and both shapes. Training, prediction, saving and summary are the {@link Model}'s.
 */
public class Sequential extends Model {
    private final List<Layer> layers = new ArrayList<>();
    private int[] inputShape;
    private boolean graphStale = true;

    public Sequential() {
        this(Names.next("sequential"));
    }

    public Sequential(String name) {
        super(name);
    }

    /** Seeds weight initialisation, shuffling and dropout; call before {@link #add}. */
    @Override
    public Sequential seed(long newSeed) {
        if (!layers.isEmpty()) {
            throw new IllegalStateException("Model '" + name() + "': call seed() before adding layers, so the weights use it");
        }
        super.seed(newSeed);
        return this;
    }

    @Override
    public Sequential name(String newName) {
        super.name(newName);
        return this;
    }

    @Override
    public String className() {
        return "Sequential";
    }

    /** Adds a layer, building it at once when the input shape is known. */
    public Sequential add(Layer layer) {
        if (layers.contains(layer)) {
            throw new IllegalArgumentException("Layer '" + layer.name() + "' is already in model '" + name() + "'");
        }
        if (layer instanceof InputLayer) {
            throw new IllegalArgumentException("Model '" + name() + "': add layers, not an InputLayer; declare the"
                    + " input shape with inputShape(...) on the first layer, or build(shape)");
        }
        int[] declared = layer.declaredInputShape();
        if (layers.isEmpty()) {
            if (declared != null) {
                inputShape = declared;
                layer.build(declared, rng());
            }
        } else {
            Layer previous = layers.get(layers.size() - 1);
            if (previous.isBuilt()) {
                int[] in = previous.outputShape();
                if (declared != null && !sameShape(declared, in)) {
                    throw new LayerShapeException("Layer '" + layer.name() + "' (" + layer.className()
                            + ") declares input shape " + Shapes.withBatch(declared) + " but the previous layer '"
                            + previous.name() + "' outputs " + Shapes.withBatch(in)
                            + "; remove inputShape(...) from layers after the first");
                }
                layer.build(in, rng());
            } else if (declared != null) {
                throw new IllegalArgumentException("Layer '" + layer.name() + "' declares an input shape but is not"
                        + " the first layer of model '" + name() + "'; declare it on the first layer");
            }
        }
        layers.add(layer);
        graphStale = true;
        return this;
    }

    private static boolean sameShape(int[] a, int[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i] && a[i] != -1 && b[i] != -1) {
                return false;
            }
        }
        return true;
    }

    /** Builds every layer for a per-sample input shape (batch axis excluded). */
    public Sequential build(int... sampleShape) {
        if (layers.isEmpty()) {
            throw new IllegalStateException("Model '" + name() + "' has no layers");
        }
        int[] shape = sampleShape.clone();
        inputShape = shape.clone();
        for (Layer layer : layers) {
            layer.build(shape, rng());
            shape = layer.outputShape();
        }
        graphStale = true;
        return this;
    }

    @Override
    public boolean isBuilt() {
        return !layers.isEmpty() && layers.get(layers.size() - 1).isBuilt();
    }

    /** The layers as added (Keras's {@code Sequential.layers}: no InputLayer). */
    @Override
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** Per-sample input shape, or null before the model is built. */
    @Override
    public int[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    @Override
    public int[] outputShape() {
        requireBuilt();
        return layers.get(layers.size() - 1).outputShape();
    }

    @Override
    public List<int[]> outputShapes() {
        return List.of(outputShape());
    }

    @Override
    public List<int[]> computeOutputShapes(List<int[]> inputShapes) {
        ensureGraph();
        return super.computeOutputShapes(inputShapes);
    }

    /** Makes the graph {@code input -> layer 1 -> ... -> layer n} once every layer is built. */
    @Override
    protected void ensureGraph() {
        if (!graphStale) {
            return;
        }
        requireBuilt();
        // A leading StringLookup reads strings (Keras: Input(dtype="string") first in the Sequential).
        String dtype = layers.get(0) instanceof org.rnn4j.layers.StringInput si && si.readsStrings() ? "string" : "float32";
        SymbolicTensor in = new InputLayer(inputShape, dtype, name() + "_input").output();
        SymbolicTensor h = in;
        for (Layer layer : layers) {
            h = layer.call(h);
        }
        graphStale = false;
        setGraph(List.of(in), List.of(h));
    }

    /** Runs every layer on a batch, propagating the mask as Keras does. */
    public Tensor call(Tensor x, boolean training) {
        return callAll(List.of(x), training).get(0);
    }

    /** Back-propagates through the last training {@link #call}; returns the input gradient. */
    public Tensor backward(Tensor gradOutput) {
        return backwardAll(List.of(gradOutput)).get(0);
    }

    /** The training step's backward: the first layer skips its input gradient, which nothing uses. */
    void backwardForTraining(Tensor gradOutput) {
        backwardForTraining(List.of(gradOutput));
    }

    @Override
    protected void ensureBuiltFor(List<Tensor> xs) {
        if (layers.isEmpty()) {
            throw new IllegalStateException("Model '" + name() + "' has no layers");
        }
        if (xs == null) {
            requireBuilt();
            ensureGraph();
            return;
        }
        if (xs.size() != 1) {
            throw new IllegalArgumentException("Model '" + name() + "' has one input but " + xs.size()
                    + " arrays were given");
        }
        int[] sample = Shapes.dropFirst(xs.get(0).shape());
        if (!isBuilt()) {
            build(sample);
        } else if (!sameShape(inputShape, sample)) {
            throw new LayerShapeException("Model '" + name() + "' expects input of shape "
                    + Shapes.withBatch(inputShape) + " but got " + Shapes.withBatch(sample)
                    + " (layer '" + layers.get(0).name() + "')");
        }
        ensureGraph();
    }

    @Override
    protected void requireBuilt() {
        if (!isBuilt()) {
            throw new IllegalStateException("Model '" + name() + "' is not built: give the first layer an"
                    + " inputShape(...), call build(shape), or predict once");
        }
    }
}
