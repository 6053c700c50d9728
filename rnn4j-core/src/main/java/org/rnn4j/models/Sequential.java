package org.rnn4j.models;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Names;
import org.rnn4j.util.Rng;

/**
 * Keras's Sequential: a stack of layers. Shapes are checked as layers are added (when the input
 * shape is known), so a mismatch is reported at {@code add()} with the layer and both shapes.
 */
public class Sequential {
    private String name;
    private final List<Layer> layers = new ArrayList<>();
    private int[] inputShape;
    private long seed;
    private Rng rng;

    public Sequential() {
        this(Names.next("sequential"));
    }

    public Sequential(String name) {
        this.name = name;
        this.seed = Rnn4j.nextSeed();
        this.rng = new Rng(seed);
    }

    /** Seeds weight initialisation, shuffling and dropout; call before {@link #add}. */
    public Sequential seed(long newSeed) {
        if (!layers.isEmpty()) {
            throw new IllegalStateException("Model '" + name + "': call seed() before adding layers, so the weights use it");
        }
        this.seed = newSeed;
        this.rng = new Rng(newSeed);
        return this;
    }

    public long seed() {
        return seed;
    }

    /** The model's random stream (weights, then training shuffles and dropout). */
    public Rng rng() {
        return rng;
    }

    public String name() {
        return name;
    }

    public Sequential name(String newName) {
        this.name = newName;
        return this;
    }

    /** Adds a layer, building it at once when the input shape is known. */
    public Sequential add(Layer layer) {
        if (layers.contains(layer)) {
            throw new IllegalArgumentException("Layer '" + layer.name() + "' is already in model '" + name + "'");
        }
        int[] declared = layer.declaredInputShape();
        if (layers.isEmpty()) {
            if (declared != null) {
                inputShape = declared;
                layer.build(declared, rng);
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
                layer.build(in, rng);
            } else if (declared != null) {
                throw new IllegalArgumentException("Layer '" + layer.name() + "' declares an input shape but is not"
                        + " the first layer of model '" + name + "'; declare it on the first layer");
            }
        }
        layers.add(layer);
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
            throw new IllegalStateException("Model '" + name + "' has no layers");
        }
        int[] shape = sampleShape.clone();
        inputShape = shape.clone();
        for (Layer layer : layers) {
            layer.build(shape, rng);
            shape = layer.outputShape();
        }
        return this;
    }

    public boolean isBuilt() {
        return !layers.isEmpty() && layers.get(layers.size() - 1).isBuilt();
    }

    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    public Layer getLayer(String layerName) {
        for (Layer l : layers) {
            if (l.name().equals(layerName)) {
                return l;
            }
        }
        throw new IllegalArgumentException("No layer named '" + layerName + "' in model '" + name + "'");
    }

    /** Per-sample input shape, or null before the model is built. */
    public int[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    public int[] outputShape() {
        requireBuilt();
        return layers.get(layers.size() - 1).outputShape();
    }

    /** All weights in Keras order ({@code model.weights}). */
    public List<Variable> weights() {
        List<Variable> all = new ArrayList<>();
        for (Layer l : layers) {
            all.addAll(l.weights());
        }
        return all;
    }

    /** Trainable weights of trainable layers, in Keras order. */
    public List<Variable> trainableWeights() {
        List<Variable> all = new ArrayList<>();
        for (Layer l : layers) {
            if (l.isTrainable()) {
                for (Variable v : l.weights()) {
                    if (v.trainable()) {
                        all.add(v);
                    }
                }
            }
        }
        return all;
    }

    public long countParams() {
        long n = 0;
        for (Layer l : layers) {
            n += l.countParams();
        }
        return n;
    }

    /** Runs every layer on a batch, propagating the mask as Keras does. */
    public Tensor call(Tensor x, boolean training) {
        ensureBuiltFor(x);
        Mask mask = null;
        Tensor h = x;
        for (Layer layer : layers) {
            Tensor out = layer.forward(h, mask, training);
            mask = layer.computeMask(h, mask);
            h = out;
        }
        return h;
    }

    /**
     * The training step's backward: like {@link #backward} but the first layer skips its input
     * gradient, which nothing uses (Keras does not compute it either).
     */
    void backwardForTraining(Tensor gradOutput) {
        Tensor g = gradOutput;
        for (int i = layers.size() - 1; i >= 1; i--) {
            g = layers.get(i).backward(g);
        }
        Layer first = layers.get(0);
        first.inputGradientNeeded(false);
        try {
            first.backward(g);
        } finally {
            first.inputGradientNeeded(true);
        }
    }

    /** Back-propagates through the last training {@link #call}; returns the input gradient. */
    public Tensor backward(Tensor gradOutput) {
        Tensor g = gradOutput;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g);
        }
        return g;
    }

    /** Keras's {@code predict} with its default batch size of 32. */
    public Tensor predict(Tensor x) {
        return predict(x, 32);
    }

    public Tensor predict(Tensor x, int batchSize) {
        ensureBuiltFor(x);
        int n = x.dim(0);
        if (n <= batchSize) {
            return call(x, false);
        }
        List<Tensor> parts = new ArrayList<>();
        for (int start = 0; start < n; start += batchSize) {
            parts.add(call(x.slice(start, Math.min(n, start + batchSize)), false));
        }
        return Tensor.concatRows(parts);
    }

    private void ensureBuiltFor(Tensor x) {
        if (layers.isEmpty()) {
            throw new IllegalStateException("Model '" + name + "' has no layers");
        }
        int[] sample = Shapes.dropFirst(x.shape());
        if (!isBuilt()) {
            build(sample);
            return;
        }
        if (!sameShape(inputShape, sample)) {
            throw new LayerShapeException("Model '" + name + "' expects input of shape "
                    + Shapes.withBatch(inputShape) + " but got " + Shapes.withBatch(sample)
                    + " (layer '" + layers.get(0).name() + "')");
        }
    }

    private void requireBuilt() {
        if (!isBuilt()) {
            throw new IllegalStateException("Model '" + name + "' is not built: give the first layer an"
                    + " inputShape(...), call build(shape), or predict once");
        }
    }

    /** The seed's classic summary table. */
    public String summaryString() {
        return summaryString(SummaryStyle.CLASSIC);
    }

    /** The summary table in the given style: the tutorial's classic one, or Keras 3's. */
    public String summaryString(SummaryStyle style) {
        return style == SummaryStyle.KERAS3 ? Keras3SummaryPrinter.render(name, layers, this)
                : SummaryPrinter.render(name, layers);
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

    // ---- Training (compile / fit / evaluate); the work is done by Trainer and TrainingLoop ----

    private Trainer trainer;
    private boolean stopTraining;

    /** Keras's {@code compile}: resolves the identifiers at once (unknown names fail here, not at fit). */
    public Sequential compile(String optimizer, String loss, String... metrics) {
        return compileWith(org.rnn4j.optimizers.Optimizers.get(optimizer), org.rnn4j.losses.Losses.get(loss), loss, metrics);
    }

    public Sequential compile(org.rnn4j.optimizers.Optimizer optimizer, String loss, String... metrics) {
        return compileWith(optimizer, org.rnn4j.losses.Losses.get(loss), loss, metrics);
    }

    public Sequential compile(String optimizer, org.rnn4j.losses.Loss loss, String... metrics) {
        return compileWith(org.rnn4j.optimizers.Optimizers.get(optimizer), loss, loss, metrics);
    }

    public Sequential compile(org.rnn4j.optimizers.Optimizer optimizer, org.rnn4j.losses.Loss loss, String... metrics) {
        return compileWith(optimizer, loss, loss, metrics);
    }

    public Sequential compile(org.rnn4j.optimizers.Optimizer optimizer, org.rnn4j.losses.Loss loss,
                              List<org.rnn4j.metrics.Metric> metrics) {
        List<String> names = new ArrayList<>();
        for (org.rnn4j.metrics.Metric m : metrics) {
            names.add(m.name());
        }
        return install(optimizer, loss, loss, metrics, names);
    }

    private Sequential compileWith(org.rnn4j.optimizers.Optimizer optimizer, org.rnn4j.losses.Loss loss,
                                   Object lossSpec, String[] metrics) {
        List<org.rnn4j.metrics.Metric> ms = new ArrayList<>();
        for (String m : metrics) {
            ms.add(org.rnn4j.metrics.Metrics.get(m));
        }
        return install(optimizer, loss, lossSpec, ms, java.util.Arrays.asList(metrics));
    }

    private Sequential install(org.rnn4j.optimizers.Optimizer optimizer, org.rnn4j.losses.Loss loss, Object lossSpec,
                               List<org.rnn4j.metrics.Metric> metrics, List<String> metricNames) {
        if (optimizer == null || loss == null) {
            throw new IllegalArgumentException("Model '" + name + "': compile() needs an optimizer and a loss");
        }
        this.trainer = new Trainer(this, optimizer, loss, metrics, lossSpec, metricNames);
        return this;
    }

    /** Keras's {@code get_compile_config()} (the {@code compile_config} of a {@code .keras} file), or null. */
    public java.util.Map<String, Object> compileConfig() {
        return trainer == null ? null : trainer.compileConfig();
    }

    public boolean isCompiled() {
        return trainer != null;
    }

    private Trainer trainer() {
        if (trainer == null) {
            throw new IllegalStateException("Model '" + name + "': you must call compile() before training or evaluating");
        }
        return trainer;
    }

    /** The compiled optimizer (its slots are built by the first training step or {@link #buildOptimizer()}). */
    public org.rnn4j.optimizers.Optimizer optimizer() {
        return trainer().optimizer();
    }

    /** The compiled loss. */
    public org.rnn4j.losses.Loss loss() {
        return trainer().loss();
    }

    /** The compiled metrics (empty before compile). */
    public List<org.rnn4j.metrics.Metric> metrics() {
        return trainer == null ? List.of() : trainer.metrics();
    }

    /** Creates the optimizer's slots for the trainable weights now (e.g. before loading saved optimizer state). */
    public void buildOptimizer() {
        requireBuilt();
        trainer().buildOptimizer();
    }

    /** Keras's {@code fit}; builds the model from {@code x} when needed. */
    public org.rnn4j.callbacks.History fit(Tensor x, Tensor y, FitOptions options) {
        Trainer t = trainer();
        ensureBuiltFor(x);
        return TrainingLoop.fit(this, t, x, y, options);
    }

    /** Keras's {@code fit} with Keras's defaults (1 epoch, batch 32, shuffled, progress bar). */
    public org.rnn4j.callbacks.History fit(Tensor x, Tensor y) {
        return fit(x, y, FitOptions.defaults());
    }

    /** Keras's {@code fit} with defaults except the number of epochs. */
    public org.rnn4j.callbacks.History fit(Tensor x, Tensor y, int epochs) {
        return fit(x, y, FitOptions.epochs(epochs));
    }

    /** Keras's {@code evaluate} (batch size 32): {@code loss} then each metric. */
    public java.util.Map<String, Double> evaluate(Tensor x, Tensor y) {
        return evaluate(x, y, 32);
    }

    public java.util.Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize) {
        return evaluate(x, y, batchSize, 0);
    }

    /** Keras's {@code evaluate} with {@code verbose} 1 (progress bar) or 2 (one line) on standard output. */
    public java.util.Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize, int verbose) {
        Trainer t = trainer();
        ensureBuiltFor(x);
        java.util.Map<String, Double> logs = TrainingLoop.evaluate(t, x, y, batchSize, "", verbose);
        return logs;
    }

    /** Keras's {@code train_on_batch} (metrics reset first, as in Keras 3): one update, its logs. */
    public java.util.Map<String, Double> trainOnBatch(Tensor x, Tensor y) {
        Trainer t = trainer();
        ensureBuiltFor(x);
        t.resetMetrics();
        double loss = t.trainStep(x, y);
        if (!Double.isFinite(loss)) {
            throw new NonFiniteLossException(0, 0, 1, loss);
        }
        return t.results("");
    }

    /** Keras's {@code test_on_batch}: the loss and metrics of one batch in inference mode. */
    public java.util.Map<String, Double> testOnBatch(Tensor x, Tensor y) {
        Trainer t = trainer();
        ensureBuiltFor(x);
        t.resetMetrics();
        t.testStep(x, y);
        return t.results("");
    }

    /** Keras's {@code model.stop_training}: set by callbacks to end {@code fit} after the current batch/epoch. */
    public boolean stopTraining() {
        return stopTraining;
    }

    public void stopTraining(boolean value) {
        this.stopTraining = value;
    }

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
            throw new IllegalArgumentException("Model '" + name + "' has " + vars.size() + " weights but "
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
}
