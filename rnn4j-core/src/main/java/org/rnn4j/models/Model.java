package org.rnn4j.models;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.callbacks.History;
import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.layers.Variable;
import org.rnn4j.losses.Loss;
import org.rnn4j.optimizers.Optimizer;
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
 *
 * <p>The graph, structure and predict are in {@link GraphModel}; this file holds the
 * constructors, summary, training ({@code compile}, {@code fit}, {@code evaluate}, ...), weights and saving.
 */
public class Model extends GraphModel {
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

    @Override
    public Model name(String newName) {
        renameUnchecked(newName);
        return this;
    }

    @Override
    public String className() {
        return "Functional";
    }

    // ---------------------------------------------------------------- string inputs

    /**
     * {@code predict} for a single-input model whose input has dtype {@code "string"} (read by a
     * StringLookup, as Keras's {@code keras.Input(shape, dtype="string")}).
     */
    public Tensor predict(org.rnn4j.tensor.StringTensor x) {
        List<Tensor> out = predict(StringInputs.encode(this, List.of(x)), 32);
        if (out.size() != 1) {
            throw new IllegalArgumentException("Model '" + name() + "' has " + out.size() + " outputs; use predictInputs");
        }
        return out.get(0);
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
     * {@link #predictInputs} with every output of dtype {@code "string"} (a StringLookup with
     * {@code invert=True}) given as a {@link org.rnn4j.tensor.StringTensor}; the others as
     * {@link Tensor}s. ({@code predict} returns such an output as the ids inside the graph.)
     */
    public List<Object> predictOutputs(List<?> xs) {
        return StringInputs.decode(this, predictInputs(xs));
    }

    /**
     * The graph's float inputs for {@code xs} (string inputs looked up by their StringLookup), e.g.
     * to {@code fit} a model with string inputs.
     */
    public List<Tensor> encodeInputs(List<?> xs) {
        return StringInputs.encode(this, xs);
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
        return hasGraph() ? outputNames() : null;
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
