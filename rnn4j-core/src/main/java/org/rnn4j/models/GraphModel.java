package org.rnn4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * The graph half of {@link Model}: the checked, ordered graph of layer calls, its structure
 * (layers, weights, names), running it as a layer inside another model, and {@code predict}.
 * The summary, training, weights I/O and saving are {@link Model}'s; this class exists so that
 * each file keeps one responsibility, and users work with {@link Model}.
 *
 * <p>Thread safety: {@link #predict} may be called from many threads at once and gives the
 * single-thread result bit for bit; each concurrent call runs in its own run state (a pooled
 * {@link GraphRun}), and layers hold only configuration and weights.
 */
public abstract class GraphModel extends Layer {
    private GraphPlan plan;
    private final ConcurrentLinkedQueue<GraphRun> idleRuns = new ConcurrentLinkedQueue<>();
    private GraphRun trainingRun;

    /** For subclasses; the graph is installed by {@link #setGraph} (now, or late for {@link Sequential}). */
    protected GraphModel(String name) {
        super(name);
    }

    /** Installs the graph: checks it, orders it, builds this model as a layer. */
    protected final void setGraph(List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
        GraphPlan p = new GraphPlan(name(), inputs, outputs);
        List<org.rnn4j.layers.Node> order = new ArrayList<>();
        for (GraphPlan.Step step : p.steps) {
            order.add(step.node);
        }
        StringInputs.checkNoInnerStrings(name(), order);
        this.plan = p;
        idleRuns.clear();
        trainingRun = null;
        List<int[]> shapes = new ArrayList<>();
        for (SymbolicTensor t : inputs) {
            shapes.add(t.shape());
        }
        build(shapes, null);
    }

    protected final boolean hasGraph() {
        return plan != null;
    }

    /** Makes the graph when a subclass builds it late ({@link Sequential}); nothing for a functional model. */
    protected void ensureGraph() {
    }

    final GraphPlan plan() {
        ensureGraph();
        if (plan == null) {
            throw new IllegalStateException("Model '" + name() + "' is not built: give the first layer an"
                    + " inputShape(...), call build(shape), or predict once");
        }
        return plan;
    }

    // ---------------------------------------------------------------- structure

    /** The model's input tensors, in order. */
    public List<SymbolicTensor> inputs() {
        return plan().inputs;
    }

    /** The model's output tensors, in order. */
    public List<SymbolicTensor> outputs() {
        return plan().outputs;
    }

    public List<String> inputNames() {
        List<String> n = new ArrayList<>();
        for (SymbolicTensor t : inputs()) {
            n.add(t.name());
        }
        return n;
    }

    /** Output names: the layer producing each output (Keras's {@code output_names}). */
    public List<String> outputNames() {
        List<String> n = new ArrayList<>();
        for (SymbolicTensor t : outputs()) {
            n.add(t.name());
        }
        return n;
    }

    /** Per-sample input shapes, in input order. */
    public List<int[]> inputShapesOfModel() {
        List<int[]> s = new ArrayList<>();
        for (SymbolicTensor t : inputs()) {
            s.add(t.shape());
        }
        return s;
    }

    /** The layers in Keras's order ({@code model.layers}); a functional model lists its InputLayers too. */
    public List<Layer> layers() {
        return plan().layers;
    }

    /** The nodes of the graph in execution order (input nodes excluded). */
    public List<org.rnn4j.layers.Node> nodes() {
        List<org.rnn4j.layers.Node> n = new ArrayList<>();
        for (GraphPlan.Step s : plan().steps) {
            n.add(s.node);
        }
        return n;
    }

    public Layer getLayer(String layerName) {
        for (Layer l : layers()) {
            if (l.name().equals(layerName)) {
                return l;
            }
        }
        throw new IllegalArgumentException("No layer named '" + layerName + "' in model '" + name() + "'");
    }

    /**
     * Resets every stateful recurrent layer (Keras 3 has no model-level call: this is
     * {@code layer.reset_state()} on each stateful layer), inside wrappers and nested models too.
     */
    public void resetStates() {
        for (Layer l : distinctLayers()) {
            resetStatesOf(l);
        }
    }

    private static void resetStatesOf(Layer l) {
        if (l instanceof GraphModel) {
            ((GraphModel) l).resetStates();
        } else if (l instanceof org.rnn4j.layers.StatefulLayer) {
            ((org.rnn4j.layers.StatefulLayer) l).resetStates();
        } else if (l instanceof org.rnn4j.layers.Bidirectional) {
            resetStatesOf(((org.rnn4j.layers.Bidirectional) l).forwardLayer());
            resetStatesOf(((org.rnn4j.layers.Bidirectional) l).backwardLayer());
        } else if (l instanceof org.rnn4j.layers.TimeDistributed) {
            resetStatesOf(((org.rnn4j.layers.TimeDistributed) l).layer());
        }
    }

    /** Every distinct layer once, in {@link #layers()} order. */
    private List<Layer> distinctLayers() {
        Set<Layer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers()) {
            if (seen.add(l)) {
                out.add(l);
            }
        }
        return out;
    }

    /** All weights in Keras order ({@code model.weights}): by layer, each layer's own order. */
    @Override
    public List<Variable> weights() {
        List<Variable> all = new ArrayList<>();
        for (Layer l : distinctLayers()) {
            all.addAll(l.weights());
        }
        return all;
    }

    /** Trainable weights of trainable layers, in Keras order. */
    public List<Variable> trainableWeights() {
        List<Variable> all = new ArrayList<>();
        if (!isTrainable()) {
            return all;
        }
        for (Layer l : distinctLayers()) {
            if (l instanceof GraphModel) {
                all.addAll(((GraphModel) l).trainableWeights());
            } else if (l.isTrainable()) {
                for (Variable v : l.weights()) {
                    if (v.trainable()) {
                        all.add(v);
                    }
                }
            }
        }
        return all;
    }

    @Override
    public long trainableParams() {
        long n = 0;
        for (Variable v : trainableWeights()) {
            n += v.size();
        }
        return n;
    }

    /** Keras-path names of {@link #trainableWeights()} ({@code model/layer/weight}), for optimizer slots. */
    List<String> trainableWeightPaths() {
        List<String> paths = new ArrayList<>();
        collectPaths(name(), paths);
        return paths;
    }

    private void collectPaths(String prefix, List<String> paths) {
        if (!isTrainable()) {
            return;
        }
        for (Layer l : distinctLayers()) {
            if (l instanceof GraphModel) {
                ((GraphModel) l).collectPaths(prefix + "/" + l.name(), paths);
            } else if (l.isTrainable()) {
                for (Variable v : l.weights()) {
                    if (v.trainable()) {
                        paths.add(prefix + "/" + l.name() + "/" + v.name());
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- as a layer (nested models)

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        return computeOutputShapes(List.of(inputShape)).get(0);
    }

    @Override
    public List<int[]> computeOutputShapes(List<int[]> inputShapes) {
        GraphPlan p = plan();
        if (inputShapes.size() != p.inputs.size()) {
            throw new org.rnn4j.layers.LayerShapeException("Model '" + name() + "' takes " + p.inputs.size()
                    + " input(s) " + GraphPlan.names(p.inputs) + " but is called on " + inputShapes.size());
        }
        for (int i = 0; i < inputShapes.size(); i++) {
            int[] want = p.inputs.get(i).shape();
            if (!GraphRun.fits(want, inputShapes.get(i)) && !GraphRun.fits(inputShapes.get(i), want)) {
                throw new org.rnn4j.layers.LayerShapeException("Model '" + name() + "': input '" + p.inputs.get(i).name()
                        + "' expects shape " + Shapes.withBatch(want) + " but got " + Shapes.withBatch(inputShapes.get(i)));
            }
        }
        List<int[]> out = new ArrayList<>();
        for (SymbolicTensor t : p.outputs) {
            out.add(t.shape());
        }
        return out;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        return forwardAll(List.of(x), Collections.singletonList(mask), training, ctx).get(0);
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        return backwardAll(List.of(gradOutput), ctx).get(0);
    }

    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        GraphRun run = ctx.state(() -> new GraphRun(name(), plan()));
        List<Tensor> out = run.forward(inputs, masks, training);
        ctx.addLoss(run.addedLoss());  // the nested layers' added losses are this call's
        return out;
    }

    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        GraphRun run = ctx.existingState();
        if (run == null) {
            throw new IllegalStateException("Model '" + name() + "': backward needs a preceding training forward pass");
        }
        return run.backward(gradOutputs, ctx.inputGradientNeeded());
    }

    @Override
    public List<Mask> outputMasks(List<Tensor> inputs, List<Mask> masks, LayerContext ctx) {
        GraphRun run = ctx.existingState();
        return run == null ? null : run.outputMasks();
    }

    // ---------------------------------------------------------------- running

    /** Builds the graph for a first batch when it is not built yet (Sequential without an input shape). */
    protected void ensureBuiltFor(List<Tensor> xs) {
        plan();
    }

    /**
     * Runs the model on a batch per input (Keras's {@code model(x, training=...)}); the outputs in
     * model order. A training call records what {@link #backwardAll(List)} needs.
     */
    public List<Tensor> callAll(List<Tensor> xs, boolean training) {
        ensureBuiltFor(xs);
        if (training) {
            return trainingRun().forward(xs, null, true);
        }
        return runPooled(xs);
    }

    /**
     * {@link #callAll} that also returns, in {@code addedLoss[0]}, the losses the layers added in
     * that call (activity regularizers, {@code LayerContext.addLoss}): what Keras's
     * {@code compute_loss} adds to the compiled loss, in training and in evaluation.
     */
    List<Tensor> callAll(List<Tensor> xs, boolean training, double[] addedLoss) {
        ensureBuiltFor(xs);
        if (training) {
            GraphRun run = trainingRun();
            List<Tensor> out = run.forward(xs, null, true);
            addedLoss[0] = run.addedLoss();
            return out;
        }
        return runPooled(xs, addedLoss);
    }

    /** Back-propagates a gradient per output through the last training {@link #callAll}; returns input gradients. */
    public List<Tensor> backwardAll(List<Tensor> gradOutputs) {
        return trainingRun().backward(gradOutputs, true);
    }

    /** The training step's backward: the first layers skip the input gradient nothing uses (as Keras). */
    void backwardForTraining(List<Tensor> gradOutputs) {
        trainingRun().backward(gradOutputs, false);
    }

    private GraphRun trainingRun() {
        GraphRun r = trainingRun;
        if (r == null) {
            r = new GraphRun(name(), plan());
            trainingRun = r;
        }
        return r;
    }

    private List<Tensor> runPooled(List<Tensor> xs) {
        return runPooled(xs, null);
    }

    private List<Tensor> runPooled(List<Tensor> xs, double[] addedLoss) {
        GraphPlan p = plan();
        GraphRun run = idleRuns.poll();
        if (run == null) {
            run = new GraphRun(name(), p);
        }
        try {
            List<Tensor> out = run.forward(xs, null, false);
            if (addedLoss != null) {
                addedLoss[0] = run.addedLoss();
            }
            List<Tensor> copies = new ArrayList<>(out.size());
            for (Tensor t : out) {
                copies.add(t.copy()); // layers may hand out buffers their context reuses next call
            }
            return copies;
        } finally {
            if (run.planIs(p)) {
                idleRuns.offer(run);
            }
        }
    }

    /** Keras's {@code predict} (batch size 32) for a single-input, single-output model. */
    public Tensor predict(Tensor x) {
        return predict(x, 32);
    }

    public Tensor predict(Tensor x, int batchSize) {
        return single(predict(List.of(x), batchSize), "predict");
    }

    /** Keras's {@code predict} with one array per input; one array per output, in model order. */
    public List<Tensor> predict(List<Tensor> xs) {
        return predict(xs, 32);
    }

    public List<Tensor> predict(List<Tensor> xs, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("predict: batchSize must be positive, got " + batchSize);
        }
        ensureBuiltFor(xs);
        int n = xs.get(0).dim(0);
        if (n <= batchSize) {
            return runPooled(xs);
        }
        List<List<Tensor>> parts = new ArrayList<>();
        for (int start = 0; start < n; start += batchSize) {
            int end = Math.min(n, start + batchSize);
            List<Tensor> slice = new ArrayList<>(xs.size());
            for (Tensor x : xs) {
                slice.add(x.slice(start, end));
            }
            parts.add(runPooled(slice));
        }
        List<Tensor> out = new ArrayList<>();
        for (int k = 0; k < parts.get(0).size(); k++) {
            List<Tensor> col = new ArrayList<>(parts.size());
            for (List<Tensor> p : parts) {
                col.add(p.get(k));
            }
            out.add(Tensor.concatRows(col));
        }
        return out;
    }

    /** {@code predict} with inputs by name ({@link #inputNames()}). */
    public List<Tensor> predict(Map<String, Tensor> xs) {
        return predict(byName(xs, inputNames(), "input"));
    }

    static List<Tensor> byName(Map<String, Tensor> values, List<String> names, String what) {
        for (String k : values.keySet()) {
            if (!names.contains(k)) {
                throw new IllegalArgumentException("Unknown " + what + " '" + k + "'; the model's " + what + "s are " + names);
            }
        }
        List<Tensor> out = new ArrayList<>();
        for (String n : names) {
            Tensor t = values.get(n);
            if (t == null) {
                throw new IllegalArgumentException("Missing " + what + " '" + n + "'; the model's " + what + "s are " + names);
            }
            out.add(t);
        }
        return out;
    }

    private Tensor single(List<Tensor> out, String what) {
        if (out.size() != 1) {
            throw new IllegalStateException("Model '" + name() + "' has " + out.size() + " outputs " + outputNames()
                    + "; use " + what + "(List) to get all of them");
        }
        return out.get(0);
    }
}
