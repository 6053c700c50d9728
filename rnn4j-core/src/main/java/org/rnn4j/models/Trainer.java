package org.rnn4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Variable;
import org.rnn4j.losses.Loss;
import org.rnn4j.metrics.Metric;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Tensor;

/**
 * What {@code compile} sets up: the optimizer, a loss (with its weight) and metrics per output,
 * and Keras's train and test steps. The train step is: forward with {@code training=true}, each
 * output's loss and gradient scaled by its loss weight, backward, regularizer penalties and
 * gradients, optimizer step, zeroed gradients. The logged {@code loss} is the batch-size-weighted
 * running mean of the weighted sum of the output losses plus the losses layers added in the call
 * (activity regularizers) and the weight regularization, as Keras's
 * loss tracker; a model with several outputs also logs {@code <output>_loss} and
 * {@code <output>_<metric>}.
 */
public final class Trainer {
    private final Model model;
    private final CompileOptions.Resolved spec;
    private double lossTotal;
    private long lossCount;
    private final double[] outputLossTotals;

    Trainer(Model model, CompileOptions.Resolved spec) {
        this.model = model;
        this.spec = spec;
        this.outputLossTotals = new double[spec.losses.size()];
    }

    public Optimizer optimizer() {
        return spec.optimizer;
    }

    /** The loss of the first output. */
    public Loss loss() {
        return spec.losses.get(0);
    }

    public List<Loss> losses() {
        return Collections.unmodifiableList(spec.losses);
    }

    /** The metrics of the first output. */
    public List<Metric> metrics() {
        return Collections.unmodifiableList(spec.metrics.get(0));
    }

    /** Keras's {@code get_compile_config()}: identifiers as given to compile, objects serialized. */
    public Map<String, Object> compileConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("optimizer", org.rnn4j.optimizers.Optimizers.serialize(spec.optimizer));
        c.put("loss", spec.lossSpec);
        c.put("loss_weights", spec.lossWeightsSpec);
        c.put("metrics", spec.metricsSpec);
        c.put("weighted_metrics", null);
        c.put("run_eagerly", false);
        c.put("steps_per_execution", 1);
        c.put("jit_compile", false);
        return c;
    }

    /** Builds the optimizer's slots for the model's trainable weights, named with Keras paths. */
    void buildOptimizer() {
        if (spec.optimizer.isBuilt()) {
            return;
        }
        spec.optimizer.build(model.trainableWeights(), model.trainableWeightPaths());
    }

    public double trainStep(Tensor x, Tensor y) {
        return trainStep(List.of(x), List.of(y));
    }

    /**
     * One training step on a batch. Returns the batch loss; when it is not finite the weights are
     * left unchanged (the caller decides to stop) and the trackers are not updated.
     */
    public double trainStep(List<Tensor> xs, List<Tensor> ys) {
        return trainStep(xs, ys, null);
    }

    /**
     * {@link #trainStep(List, List)} with Keras's per-output {@code sample_weight} (null, or one
     * entry per output, entries null when unweighted): each output's loss is weighted.
     */
    public double trainStep(List<Tensor> xs, List<Tensor> ys, List<Tensor> sampleWeights) {
        Pass pass = forwardBackward(xs, ys, sampleWeights, true);
        if (pass == null) {
            return nonFinite;
        }
        spec.optimizer.apply(spec.optimizer.builtVariables());
        for (Variable v : model.weights()) {
            v.zeroGrad();
        }
        track(pass.loss, pass.outputLosses, xs.get(0).dim(0), ys, pass.predictions);
        return pass.loss;
    }

    /**
     * A batch's loss and the gradients of the trainable weights ({@link Model#trainableWeights()}
     * order), computed apart from applied: what a data-parallel worker returns. Weights, optimizer
     * and metrics are left unchanged. {@code withRegularization} adds the regularizers' penalties
     * and gradients (a driver summing shards adds them once, itself). With the optimizer's
     * {@code loss_scale_factor} the gradients are those of the scaled loss, as Keras's, ready for
     * {@link #applyGradients}.
     */
    public Gradients computeGradients(List<Tensor> xs, List<Tensor> ys, boolean withRegularization) {
        Pass pass = forwardBackward(xs, ys, null, withRegularization);
        List<Variable> trainable = model.trainableWeights();
        List<float[]> grads = new ArrayList<>(trainable.size());
        for (Variable v : trainable) {
            grads.add(pass == null ? null : v.grad().data().clone());
        }
        for (Variable v : model.weights()) {
            v.zeroGrad();
        }
        return pass == null ? new Gradients(nonFinite, new double[0], xs.get(0).dim(0), grads)
                : new Gradients(pass.loss, pass.outputLosses, xs.get(0).dim(0), grads);
    }

    /** Applies gradients in {@link Model#trainableWeights()} order with the compiled optimizer (one step). */
    public void applyGradients(List<float[]> gradients) {
        buildOptimizer();
        List<Variable> trainable = model.trainableWeights();
        if (gradients.size() != trainable.size()) {
            throw new IllegalArgumentException("Model '" + model.name() + "' has " + trainable.size()
                    + " trainable weights but " + gradients.size() + " gradients were given");
        }
        for (int i = 0; i < trainable.size(); i++) {
            float[] g = gradients.get(i);
            float[] dst = trainable.get(i).grad().data();
            if (g.length != dst.length) {
                throw new IllegalArgumentException("Gradient " + i + " (" + trainable.get(i).name() + ") has "
                        + g.length + " values but the weight has " + dst.length);
            }
            System.arraycopy(g, 0, dst, 0, g.length);
        }
        spec.optimizer.apply(spec.optimizer.builtVariables());
        for (Variable v : model.weights()) {
            v.zeroGrad();
        }
    }

    /** A batch's loss, per-output losses, sample count and gradients (see {@link #computeGradients}). */
    public static final class Gradients {
        public final double loss;
        public final double[] outputLosses;
        public final int samples;
        /** One array per trainable weight; null entries when the loss was not finite. */
        public final List<float[]> values;

        Gradients(double loss, double[] outputLosses, int samples, List<float[]> values) {
            this.loss = loss;
            this.outputLosses = outputLosses;
            this.samples = samples;
            this.values = values;
        }
    }

    private static final class Pass {
        final double loss;
        final double[] outputLosses;
        final List<Tensor> predictions;

        Pass(double loss, double[] outputLosses, List<Tensor> predictions) {
            this.loss = loss;
            this.outputLosses = outputLosses;
            this.predictions = predictions;
        }
    }

    private double nonFinite;

    /** Forward, losses and backward; gradients left in the weights' grad. Null when the loss is not finite. */
    private Pass forwardBackward(List<Tensor> xs, List<Tensor> ys, List<Tensor> sampleWeights,
                                 boolean withRegularization) {
        checkBatch(xs, ys);
        double[] added = new double[1];
        List<Tensor> preds = model.callAll(xs, true, added);
        buildOptimizer();
        for (Variable v : model.weights()) {
            v.zeroGrad();
        }
        double[] perOutput = new double[preds.size()];
        List<Tensor> grads = new ArrayList<>(preds.size());
        double value = 0;
        for (int k = 0; k < preds.size(); k++) {
            Tensor pred = preds.get(k);
            float[] grad = new float[pred.size()];
            perOutput[k] = spec.losses.get(k).computeWithGradient(ys.get(k), pred, weightOf(sampleWeights, k), grad);
            double w = spec.lossWeights[k];
            if (w != 1.0) {
                for (int i = 0; i < grad.length; i++) {
                    grad[i] = (float) (grad[i] * w);
                }
            }
            value += w * perOutput[k];
            grads.add(Tensor.of(grad, pred.shape()));
        }
        value += added[0];  // layers' added losses; their gradients flow in the backward pass
        if (withRegularization) {
            value += regularization(true);
        }
        if (!Double.isFinite(value)) {
            nonFinite = value;
            return null;
        }
        model.backwardForTraining(grads);
        Double scale = spec.optimizer.lossScaleFactor();
        if (scale != null) {
            // Keras trains on optimizer.scale_loss(loss): every gradient times the factor; the step divides it back
            float s = scale.floatValue();
            for (Variable v : model.trainableWeights()) {
                float[] g = v.grad().data();
                for (int i = 0; i < g.length; i++) {
                    g[i] *= s;
                }
            }
        }
        return new Pass(value, perOutput, preds);
    }

    public double testStep(Tensor x, Tensor y) {
        return testStep(List.of(x), List.of(y));
    }

    /** One evaluation step (inference mode); updates the loss trackers and metrics. */
    public double testStep(List<Tensor> xs, List<Tensor> ys) {
        return testStep(xs, ys, null);
    }

    /** {@link #testStep(List, List)} with per-output sample weights (see {@link #trainStep(List, List, List)}). */
    public double testStep(List<Tensor> xs, List<Tensor> ys, List<Tensor> sampleWeights) {
        checkBatch(xs, ys);
        double[] added = new double[1];
        List<Tensor> preds = model.callAll(xs, false, added);
        double[] perOutput = new double[preds.size()];
        double value = 0;
        for (int k = 0; k < preds.size(); k++) {
            perOutput[k] = spec.losses.get(k).compute(ys.get(k), preds.get(k), weightOf(sampleWeights, k));
            value += spec.lossWeights[k] * perOutput[k];
        }
        value += added[0] + regularization(false);
        track(value, perOutput, xs.get(0).dim(0), ys, preds);
        return value;
    }

    private static Tensor weightOf(List<Tensor> sampleWeights, int output) {
        return sampleWeights == null ? null : sampleWeights.get(output);
    }

    private void checkBatch(List<Tensor> xs, List<Tensor> ys) {
        int outputs = spec.losses.size();
        if (ys.size() != outputs) {
            throw new IllegalArgumentException("Model '" + model.name() + "' has " + outputs + " output(s) "
                    + model.outputNames() + " but " + ys.size() + " target array(s) were given");
        }
        int n = xs.get(0).dim(0);
        for (int k = 0; k < ys.size(); k++) {
            if (ys.get(k).dim(0) != n) {
                throw new IllegalArgumentException("Model '" + model.name() + "': x has " + n + " samples but y"
                        + (ys.size() > 1 ? " of output '" + model.outputNames().get(k) + "'" : "") + " has "
                        + ys.get(k).dim(0) + "; give one target per input sample");
            }
        }
    }

    private void track(double value, double[] perOutput, int batch, List<Tensor> ys, List<Tensor> preds) {
        lossTotal += value * batch;
        lossCount += batch;
        for (int k = 0; k < perOutput.length; k++) {
            outputLossTotals[k] += perOutput[k] * batch;
            for (Metric m : spec.metrics.get(k)) {
                m.update(ys.get(k), preds.get(k));
            }
        }
    }

    /** Sum of regularizer penalties of trainable weights; adds their gradients when asked. */
    private double regularization(boolean addGradients) {
        double penalty = 0;
        for (Variable v : model.trainableWeights()) {
            Regularizer r = v.regularizer();
            if (r != null) {
                penalty += r.penalty(v.value().data());
                if (addGradients) {
                    r.addGradient(v.value().data(), v.grad().data());
                }
            }
        }
        return penalty;
    }

    public void resetMetrics() {
        lossTotal = 0;
        lossCount = 0;
        java.util.Arrays.fill(outputLossTotals, 0);
        for (List<Metric> ms : spec.metrics) {
            for (Metric m : ms) {
                m.reset();
            }
        }
    }

    /** {@code loss}, then per-output losses and metrics as Keras orders logs; names prefixed (e.g. {@code val_}). */
    public Map<String, Double> results(String prefix) {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put(prefix + "loss", lossCount == 0 ? 0 : lossTotal / lossCount);
        int n = spec.losses.size();
        List<String> names = n > 1 ? model.outputNames() : null;
        if (n > 1) {
            for (int k = 0; k < n; k++) {
                logs.put(prefix + names.get(k) + "_loss", lossCount == 0 ? 0 : outputLossTotals[k] / lossCount);
            }
        }
        for (int k = 0; k < n; k++) {
            for (Metric m : spec.metrics.get(k)) {
                logs.put(prefix + (n > 1 ? names.get(k) + "_" : "") + m.name(), m.result());
            }
        }
        return logs;
    }
}
