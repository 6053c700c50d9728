package org.rnn4j.models;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.rnn4j.callbacks.History;
import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.layers.Variable;
import org.rnn4j.losses.Loss;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Names;

/**
 * Keras's {@code Model}: a graph of layer calls from inputs to outputs, run in topological order
 * (the one model engine: {@link Sequential} builds one). Built from symbolic tensors:
 * <pre>{@code
 * var a = Input.of(10, 4).name("series");
 * var b = Input.of(5).name("context");
 * var h = new LSTM(8).call(a);
 * var j = new Concatenate().call(h, new Dense(8).activation("relu").call(b));
 * var model = new Model(List.of(a, b), List.of(new Dense(3).call(j)));
 * }</pre>
 * A model is also a layer: call it on tensors to nest it in another model.
 *
 * <p>Thread safety: {@link #predict} may be called from many threads at once and gives the
 * single-thread result bit for bit; each concurrent call runs in its own run state (a pooled
 * {@link GraphRun}), and layers hold only configuration and weights. Training ({@code fit},
 * {@code trainOnBatch}) and weight changes are not to be run concurrently with anything else.
 */
public class Model extends Layer {
    private GraphPlan plan;
    private final ConcurrentLinkedQueue<GraphRun> idleRuns = new ConcurrentLinkedQueue<>();
    private GraphRun trainingRun;
    private Trainer trainer;
    private volatile boolean stopTraining;
    private long seed = org.rnn4j.Rnn4j.nextSeed();
    private org.rnn4j.util.Rng rng = new org.rnn4j.util.Rng(seed);

    /** A functional model from its inputs to its outputs; checks the graph now. */
    public Model(List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
        this(inputs, outputs, Names.next("functional"));
    }

    public Model(SymbolicTensor input, SymbolicTensor output) {
        this(List.of(input), List.of(output));
    }

    public Model(List<SymbolicTensor> inputs, List<SymbolicTensor> outputs, String name) {
        super(name);
        setGraph(inputs, outputs);
    }

    /** For subclasses that make their graph later ({@link Sequential}). */
    protected Model(String name) {
        super(name);
    }

    /** Installs the graph: checks it, orders it, builds this model as a layer. */
    protected final void setGraph(List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
        GraphPlan p = new GraphPlan(name(), inputs, outputs);
        this.plan = p;
        idleRuns.clear();
        trainingRun = null;
        List<int[]> shapes = new ArrayList<>();
        for (SymbolicTensor t : inputs) {
            shapes.add(t.shape());
        }
        build(shapes, null);
    }

    /** Seeds shuffling and dropout of training (and a Sequential's weights); call before building. */
    public Model seed(long newSeed) {
        this.seed = newSeed;
        this.rng = new org.rnn4j.util.Rng(newSeed);
        return this;
    }

    public long seed() {
        return seed;
    }

    /** The model's random stream (a Sequential's weights, then training shuffles and dropout). */
    public org.rnn4j.util.Rng rng() {
        return rng;
    }

    protected final boolean hasGraph() {
        return plan != null;
    }

    /** Makes the graph when a subclass builds it late ({@link Sequential}); nothing for a functional model. */
    protected void ensureGraph() {
    }

    private GraphPlan plan() {
        ensureGraph();
        if (plan == null) {
            throw new IllegalStateException("Model '" + name() + "' is not built: give the first layer an"
                    + " inputShape(...), call build(shape), or predict once");
        }
        return plan;
    }

    @Override
    public Model name(String newName) {
        renameUnchecked(newName);
        return this;
    }

    @Override
    public String className() {
        return "Functional";
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
        if (l instanceof Model) {
            ((Model) l).resetStates();
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
            if (l instanceof Model) {
                all.addAll(((Model) l).trainableWeights());
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
            if (l instanceof Model) {
                ((Model) l).collectPaths(prefix + "/" + l.name(), paths);
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
        return run.forward(inputs, masks, training);
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
        GraphPlan p = plan();
        GraphRun run = idleRuns.poll();
        if (run == null) {
            run = new GraphRun(name(), p);
        }
        try {
            List<Tensor> out = run.forward(xs, null, false);
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

    /**
     * {@code predict} for a single-input model whose input has dtype {@code "string"} (read by a
     * StringLookup, as Keras's {@code keras.Input(shape, dtype="string")}).
     */
    public Tensor predict(org.rnn4j.tensor.StringTensor x) {
        return single(predict(StringInputs.encode(this, List.of(x)), 32), "predict");
    }

    /** {@link #predict(org.rnn4j.tensor.StringTensor)} on rows of strings, shape {@code (rows, length)}. */
    public Tensor predict(String[][] rows) {
        return predict(org.rnn4j.tensor.StringTensor.rows(rows));
    }

    /** {@code predict} with one {@link Tensor} or {@link org.rnn4j.tensor.StringTensor} per input. */
    public List<Tensor> predictInputs(List<?> xs) {
        return predict(StringInputs.encode(this, xs), 32);
    }

    /**
     * The graph's float inputs for {@code xs} (string inputs looked up by their StringLookup), e.g.
     * to {@code fit} a model with string inputs.
     */
    public List<Tensor> encodeInputs(List<?> xs) {
        return StringInputs.encode(this, xs);
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

    // ---------------------------------------------------------------- summary

    /** The seed's classic summary table. */
    public String summaryString() {
        return summaryString(SummaryStyle.CLASSIC);
    }

    public String summaryString(SummaryStyle style) {
        if (style == SummaryStyle.KERAS3) {
            return Keras3SummaryPrinter.render(name(), layers(), this);
        }
        return SummaryPrinter.sequentialLike(this) ? SummaryPrinter.render(name(), layers())
                : SummaryPrinter.renderGraph(name(), this);
    }

    public void summary() {
        summary(System.out);
    }

    public void summary(SummaryStyle style) {
        System.out.print(summaryString(style));
    }

    public void summary(PrintStream out) {
        out.print(summaryString());
    }

    // ---------------------------------------------------------------- training

    /** Keras's {@code compile}: resolves the identifiers at once (unknown names fail here, not at fit). */
    public Model compile(String optimizer, String loss, String... metrics) {
        return compile(CompileOptions.optimizer(optimizer).loss(loss).metrics(metrics));
    }

    public Model compile(Optimizer optimizer, String loss, String... metrics) {
        return compile(CompileOptions.optimizer(optimizer).loss(loss).metrics(metrics));
    }

    public Model compile(String optimizer, Loss loss, String... metrics) {
        return compile(CompileOptions.optimizer(optimizer).loss(loss).metrics(metrics));
    }

    public Model compile(Optimizer optimizer, Loss loss, String... metrics) {
        return compile(CompileOptions.optimizer(optimizer).loss(loss).metrics(metrics));
    }

    public Model compile(Optimizer optimizer, Loss loss, List<org.rnn4j.metrics.Metric> metrics) {
        return compile(CompileOptions.optimizer(optimizer).loss(loss).metricObjects(metrics));
    }

    /** Keras's {@code compile} with a loss, loss weight and metrics per output (by output name or position). */
    public Model compile(CompileOptions options) {
        this.trainer = new Trainer(this, options.resolve(name(), outputNamesOrEmpty()));
        return this;
    }

    private List<String> outputNamesOrEmpty() {
        return plan == null ? null : outputNames();
    }

    /** Keras's {@code get_compile_config()} (the {@code compile_config} of a {@code .keras} file), or null. */
    public Map<String, Object> compileConfig() {
        return trainer == null ? null : trainer.compileConfig();
    }

    public boolean isCompiled() {
        return trainer != null;
    }

    Trainer trainer() {
        if (trainer == null) {
            throw new IllegalStateException("Model '" + name() + "': you must call compile() before training or evaluating");
        }
        return trainer;
    }

    public Optimizer optimizer() {
        return trainer().optimizer();
    }

    /** The compiled loss (of the first output). */
    public Loss loss() {
        return trainer().loss();
    }

    /** The compiled metrics (of the first output; empty before compile). */
    public List<org.rnn4j.metrics.Metric> metrics() {
        return trainer == null ? List.of() : trainer.metrics();
    }

    /** Creates the optimizer's slots for the trainable weights now (e.g. before loading saved optimizer state). */
    public void buildOptimizer() {
        plan();
        trainer().buildOptimizer();
    }

    public History fit(Tensor x, Tensor y, FitOptions options) {
        return fit(List.of(x), List.of(y), options);
    }

    public History fit(Tensor x, Tensor y) {
        return fit(x, y, FitOptions.defaults());
    }

    public History fit(Tensor x, Tensor y, int epochs) {
        return fit(x, y, FitOptions.epochs(epochs));
    }

    /** Keras's {@code fit} with one array per input and one target per output, in model order. */
    public History fit(List<Tensor> xs, List<Tensor> ys, FitOptions options) {
        Trainer t = trainer();
        ensureBuiltFor(xs);
        return TrainingLoop.fit(this, t, xs, ys, options);
    }

    /** {@code fit} with inputs and targets by name. */
    public History fit(Map<String, Tensor> xs, Map<String, Tensor> ys, FitOptions options) {
        ensureBuiltFor(null);
        return fit(byName(xs, inputNames(), "input"), byName(ys, outputNames(), "output"), options);
    }

    public Map<String, Double> evaluate(Tensor x, Tensor y) {
        return evaluate(x, y, 32);
    }

    public Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize) {
        return evaluate(x, y, batchSize, 0);
    }

    public Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize, int verbose) {
        return evaluate(List.of(x), List.of(y), batchSize, verbose);
    }

    /** Keras's {@code evaluate}: {@code loss}, then per-output losses and metrics. */
    public Map<String, Double> evaluate(List<Tensor> xs, List<Tensor> ys, int batchSize, int verbose) {
        Trainer t = trainer();
        ensureBuiltFor(xs);
        return TrainingLoop.evaluate(t, xs, ys, null, batchSize, "", verbose);
    }

    /**
     * {@code evaluate} with Keras's {@code sample_weight}: one array for every output (shape
     * {@code (samples,)} or {@code (samples, timesteps)}) or one per output.
     */
    public Map<String, Double> evaluate(List<Tensor> xs, List<Tensor> ys, List<Tensor> sampleWeights, int batchSize,
                                        int verbose) {
        Trainer t = trainer();
        ensureBuiltFor(xs);
        return TrainingLoop.evaluate(t, xs, ys, SampleWeights.resolve(this, ys, sampleWeights, null), batchSize, "",
                verbose);
    }

    public Map<String, Double> trainOnBatch(Tensor x, Tensor y) {
        return trainOnBatch(List.of(x), List.of(y));
    }

    /** Keras's {@code train_on_batch} (metrics reset first, as in Keras 3): one update, its logs. */
    public Map<String, Double> trainOnBatch(List<Tensor> xs, List<Tensor> ys) {
        return trainOnBatch(xs, ys, null);
    }

    /** {@code train_on_batch} with {@code sample_weight} (null, one array for all outputs, or one per output). */
    public Map<String, Double> trainOnBatch(List<Tensor> xs, List<Tensor> ys, List<Tensor> sampleWeights) {
        Trainer t = trainer();
        ensureBuiltFor(xs);
        t.resetMetrics();
        double loss = t.trainStep(xs, ys, SampleWeights.resolve(this, ys, sampleWeights, null));
        if (!Double.isFinite(loss)) {
            throw new NonFiniteLossException(0, 0, 1, loss);
        }
        return t.results("");
    }

    public Map<String, Double> testOnBatch(Tensor x, Tensor y) {
        return testOnBatch(List.of(x), List.of(y));
    }

    public Map<String, Double> testOnBatch(List<Tensor> xs, List<Tensor> ys) {
        Trainer t = trainer();
        ensureBuiltFor(xs);
        t.resetMetrics();
        t.testStep(xs, ys);
        return t.results("");
    }

    /**
     * One batch's loss and trainable-weight gradients, computed apart from applied (what a
     * data-parallel worker computes against broadcast weights); nothing in the model changes.
     */
    public Trainer.Gradients computeGradients(List<Tensor> xs, List<Tensor> ys, boolean withRegularization) {
        Trainer t = trainer();
        ensureBuiltFor(xs);
        return t.computeGradients(xs, ys, withRegularization);
    }

    /** Applies gradients ({@link #trainableWeights()} order) with the compiled optimizer: one step. */
    public void applyGradients(List<float[]> gradients) {
        trainer().applyGradients(gradients);
    }

    /** Keras's {@code model.stop_training}: set by callbacks to end {@code fit} after the current batch/epoch. */
    public boolean stopTraining() {
        return stopTraining;
    }

    public void stopTraining(boolean value) {
        this.stopTraining = value;
    }

    // ---------------------------------------------------------------- weights and saving

    /** Keras's {@code get_weights}: copies of every weight, in {@link #weights()} order. */
    public List<Tensor> getWeights() {
        List<Tensor> out = new ArrayList<>();
        for (Variable v : weights()) {
            out.add(v.value().copy());
        }
        return out;
    }

    /** Keras's {@code set_weights}: values in {@link #weights()} order, shapes must match. */
    public void setWeights(List<Tensor> values) {
        List<Variable> vars = weights();
        if (values.size() != vars.size()) {
            throw new IllegalArgumentException("Model '" + name() + "' has " + vars.size() + " weights but "
                    + values.size() + " values were given");
        }
        for (int i = 0; i < vars.size(); i++) {
            vars.get(i).assign(values.get(i));
        }
    }

    /**
     * Saves the model, Keras-style: {@code .keras} (Keras 3's format, which Python Keras loads) when
     * rnn4j-keras is on the class path, else core's native weights format for other extensions.
     * Written to a temporary file and renamed into place, so a failed save never leaves a partial file.
     */
    public void save(java.nio.file.Path path) throws java.io.IOException {
        org.rnn4j.callbacks.ModelWriter w = org.rnn4j.callbacks.ModelWriter.forPath(path);
        org.rnn4j.callbacks.ModelWriter.writeAtomically(w, this, path);
    }

    /** Whether a layer is one of this model's InputLayers. */
    static boolean isInputLayer(Layer l) {
        return l instanceof InputLayer;
    }
}
