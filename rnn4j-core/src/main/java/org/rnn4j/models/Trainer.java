package org.rnn4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Variable;
import org.rnn4j.losses.Loss;
import org.rnn4j.metrics.Metric;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Tensor;

/**
 * What {@code compile} sets up: the optimizer, loss and metrics of a model, and Keras's train and
 * test steps. The train step is: forward with {@code training=true}, loss and its gradient, backward,
 * regularizer penalties and gradients, optimizer step, zeroed gradients. The logged {@code loss}
 * is the batch-size-weighted running mean of the batch losses (regularization included), as Keras's loss tracker.
 */
public final class Trainer {
    private final Sequential model;
    private final Optimizer optimizer;
    private final Loss loss;
    private final List<Metric> metrics;
    private final Object lossSpec;
    private final List<String> metricNames;
    private double lossTotal;
    private long lossCount;

    Trainer(Sequential model, Optimizer optimizer, Loss loss, List<Metric> metrics, Object lossSpec,
            List<String> metricNames) {
        this.model = model;
        this.lossSpec = lossSpec;
        this.metricNames = new ArrayList<>(metricNames);
        this.optimizer = optimizer;
        this.loss = loss;
        this.metrics = new ArrayList<>(metrics);
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Loss loss() {
        return loss;
    }

    public List<Metric> metrics() {
        return Collections.unmodifiableList(metrics);
    }

    /** Keras's {@code get_compile_config()}: identifiers as given to compile, objects serialized. */
    public Map<String, Object> compileConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("optimizer", org.rnn4j.optimizers.Optimizers.serialize(optimizer));
        c.put("loss", lossSpec instanceof Loss ? org.rnn4j.losses.Losses.serialize((Loss) lossSpec) : lossSpec);
        c.put("loss_weights", null);
        c.put("metrics", metricNames.isEmpty() ? null : new ArrayList<>(metricNames));
        c.put("weighted_metrics", null);
        c.put("run_eagerly", false);
        c.put("steps_per_execution", 1);
        c.put("jit_compile", false);
        return c;
    }

    /** Builds the optimizer's slots for the model's trainable weights, named with Keras paths. */
    void buildOptimizer() {
        if (optimizer.isBuilt()) {
            return;
        }
        List<Variable> vars = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (!l.isTrainable()) {
                continue;
            }
            for (Variable v : l.weights()) {
                if (v.trainable()) {
                    vars.add(v);
                    paths.add(model.name() + "/" + l.name() + "/" + v.name());
                }
            }
        }
        optimizer.build(vars, paths);
    }

    /**
     * One training step on a batch. Returns the batch loss; when it is not finite the weights are
     * left unchanged (the caller decides to stop) and the trackers are not updated.
     */
    public double trainStep(Tensor x, Tensor y) {
        checkBatch(x, y);
        Tensor pred = model.call(x, true);
        buildOptimizer();
        List<Variable> all = model.weights();
        for (Variable v : all) {
            v.zeroGrad();
        }
        float[] grad = new float[pred.size()];
        double value = loss.computeWithGradient(y, pred, grad) + regularization(true);
        if (!Double.isFinite(value)) {
            return value;
        }
        model.backwardForTraining(Tensor.of(grad, pred.shape()));
        optimizer.apply(optimizer.builtVariables());
        for (Variable v : all) {
            v.zeroGrad();
        }
        track(value, x.dim(0), y, pred);
        return value;
    }

    /** One evaluation step (inference mode); updates the loss tracker and metrics. */
    public double testStep(Tensor x, Tensor y) {
        checkBatch(x, y);
        Tensor pred = model.call(x, false);
        double value = loss.compute(y, pred) + regularization(false);
        track(value, x.dim(0), y, pred);
        return value;
    }

    private void checkBatch(Tensor x, Tensor y) {
        if (x.dim(0) != y.dim(0)) {
            throw new IllegalArgumentException("Model '" + model.name() + "': x has " + x.dim(0) + " samples but y has "
                    + y.dim(0) + "; give one target per input sample");
        }
    }

    private void track(double value, int batch, Tensor y, Tensor pred) {
        lossTotal += value * batch;
        lossCount += batch;
        for (Metric m : metrics) {
            m.update(y, pred);
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
        for (Metric m : metrics) {
            m.reset();
        }
    }

    /** {@code loss} then each metric, as Keras orders logs; names prefixed (e.g. {@code val_}). */
    public Map<String, Double> results(String prefix) {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put(prefix + "loss", lossCount == 0 ? 0 : lossTotal / lossCount);
        for (Metric m : metrics) {
            logs.put(prefix + m.name(), m.result());
        }
        return logs;
    }
}
