package org.rnn4j.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.callbacks.Callback;
import org.rnn4j.callbacks.CallbackList;
import org.rnn4j.callbacks.History;
import org.rnn4j.callbacks.ProgbarLogger;
import org.rnn4j.callbacks.ProgressBar;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's {@code fit} and {@code evaluate} loops over in-memory tensors: validation split (the
 * last fraction, before shuffling), a fresh permutation of the training rows each epoch from the
 * model's seeded Rng, mini-batches with a partial last batch, callbacks, and validation at each
 * epoch end.
 */
final class TrainingLoop {
    private TrainingLoop() {
    }

    static History fit(Model model, Trainer trainer, List<Tensor> x, List<Tensor> y, FitOptions o) {
        checkSamples("fit", x, y);
        List<Tensor> trainX = x;
        List<Tensor> trainY = y;
        List<Tensor> trainW = SampleWeights.resolve(model, y, o.getSampleWeights(), null);
        List<Tensor> valX = o.getValidationX() == null ? null : List.of(o.getValidationX());
        List<Tensor> valY = o.getValidationY() == null ? null : List.of(o.getValidationY());
        List<Tensor> valW = o.getValidationSampleWeight() == null || valY == null ? null
                : SampleWeights.resolve(model, valY, List.of(o.getValidationSampleWeight()), null);
        if (valX == null && o.getValidationSplit() > 0) {
            int n = x.get(0).dim(0);
            int splitAt = (int) Math.floor(n * (1.0 - o.getValidationSplit()));
            if (splitAt == 0 || splitAt == n) {
                throw new IllegalArgumentException("fit: training data contains " + n + " samples, which is not"
                        + " enough to split with validationSplit=" + o.getValidationSplit()
                        + "; use more data or a different validationSplit");
            }
            trainX = slice(x, 0, splitAt);
            trainY = slice(y, 0, splitAt);
            valX = slice(x, splitAt, n);
            valY = slice(y, splitAt, n);
            valW = trainW == null ? null : slice(trainW, splitAt, n);
            trainW = trainW == null ? null : slice(trainW, 0, splitAt);
        }
        if (o.getClassWeight() != null) {
            // as Keras: class weights apply to the training data only, after the validation split
            if (trainW != null) {
                SampleWeights.resolve(model, trainY, trainW, o.getClassWeight());   // throws: both given
            }
            trainW = SampleWeights.resolve(model, trainY, null, o.getClassWeight());
        }
        int n = trainX.get(0).dim(0);
        if (n == 0) {
            throw new IllegalArgumentException("fit: no training samples");
        }
        int batchSize = Math.min(o.getBatchSize(), n);
        int steps = (n + batchSize - 1) / batchSize;

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("verbose", o.getVerbose());
        params.put("epochs", o.getEpochs());
        params.put("steps", steps);
        boolean dynamic = o.getTerminal() != null ? o.getTerminal() : ProgressBar.stdoutIsTerminal();
        Callback progress = o.getVerbose() == 0 ? null : new ProgbarLogger(o.getOutput(), dynamic, System::nanoTime);
        CallbackList callbacks = new CallbackList(o.getCallbacks(), progress, model, params);

        Rng rng = model.rng();
        model.stopTraining(false);
        callbacks.onTrainBegin(new LinkedHashMap<>());
        Map<String, Double> lastLogs = new LinkedHashMap<>();
        for (int epoch = o.getInitialEpoch(); epoch < o.getEpochs(); epoch++) {
            trainer.resetMetrics();
            callbacks.onEpochBegin(epoch, new LinkedHashMap<>());
            int[] order = o.getShuffle() ? rng.permutation(n) : null;
            Map<String, Double> logs = new LinkedHashMap<>();
            for (int step = 0; step < steps; step++) {
                int from = step * batchSize;
                int to = Math.min(n, from + batchSize);
                List<Tensor> bx;
                List<Tensor> by;
                List<Tensor> bw;
                if (order == null) {
                    bx = slice(trainX, from, to);
                    by = slice(trainY, from, to);
                    bw = trainW == null ? null : slice(trainW, from, to);
                } else {
                    int[] rows = java.util.Arrays.copyOfRange(order, from, to);
                    bx = gather(trainX, rows);
                    by = gather(trainY, rows);
                    bw = trainW == null ? null : gather(trainW, rows);
                }
                callbacks.onBatchBegin(step, new LinkedHashMap<>());
                double batchLoss = trainer.trainStep(bx, by, bw);
                if (!Double.isFinite(batchLoss)) {
                    Map<String, Double> bad = trainer.results("");
                    bad.put("loss", batchLoss);
                    callbacks.onBatchEnd(step, bad);
                    if (!model.stopTraining()) {
                        throw new NonFiniteLossException(epoch, step, steps, batchLoss);
                    }
                    logs = bad;
                    break;
                }
                logs = trainer.results("");
                callbacks.onBatchEnd(step, logs);
                if (model.stopTraining()) {
                    break;
                }
            }
            Map<String, Double> epochLogs = new LinkedHashMap<>(logs);
            if (valX != null && Double.isFinite(epochLogs.getOrDefault("loss", 0.0))) {
                epochLogs.putAll(evaluate(trainer, valX, valY, valW, o.getValidationBatchSize(), "val_", 0));
            }
            callbacks.onEpochEnd(epoch, epochLogs);
            lastLogs = epochLogs;
            if (model.stopTraining()) {
                break;
            }
        }
        if (o.getEpochs() > 0) {
            // Keras's fit ends with finalize_variable_values: with use_ema the weights become their averages
            trainer.optimizer().finalizeVariableValues(model.trainableWeights());
        }
        callbacks.onTrainEnd(lastLogs);
        return callbacks.history();
    }

    /** Keras's {@code evaluate}: resets the metrics, runs every batch, returns {@code loss} and metrics. */
    static Map<String, Double> evaluate(Trainer trainer, List<Tensor> x, List<Tensor> y, List<Tensor> w,
                                        int batchSize, String prefix, int verbose) {
        checkSamples("evaluate", x, y);
        trainer.resetMetrics();
        int n = x.get(0).dim(0);
        int steps = (n + batchSize - 1) / batchSize;
        ProgressBar bar = verbose == 0 ? null
                : new ProgressBar(steps, verbose, System.out, ProgressBar.stdoutIsTerminal(), System::nanoTime);
        for (int from = 0, step = 1; from < n; from += batchSize, step++) {
            int to = Math.min(n, from + batchSize);
            if (from == 0 && to == n) {
                trainer.testStep(x, y, w);
            } else {
                trainer.testStep(slice(x, from, to), slice(y, from, to), w == null ? null : slice(w, from, to));
            }
            if (bar != null) {
                bar.update(step, trainer.results(prefix), false);
            }
        }
        Map<String, Double> logs = trainer.results(prefix);
        if (bar != null) {
            bar.update(steps, logs, true);
        }
        return logs;
    }

    private static void checkSamples(String what, List<Tensor> x, List<Tensor> y) {
        int n = x.get(0).dim(0);
        for (List<Tensor> l : List.of(x, y)) {
            for (Tensor t : l) {
                if (t.dim(0) != n) {
                    throw new IllegalArgumentException(what + ": x has " + n + " samples but " + (l == x ? "another input" : "y")
                            + " has " + t.dim(0));
                }
            }
        }
    }

    private static List<Tensor> slice(List<Tensor> ts, int from, int to) {
        List<Tensor> out = new ArrayList<>(ts.size());
        for (Tensor t : ts) {
            out.add(t == null ? null : t.slice(from, to));
        }
        return out;
    }

    private static List<Tensor> gather(List<Tensor> ts, int[] rows) {
        List<Tensor> out = new ArrayList<>(ts.size());
        for (Tensor t : ts) {
            out.add(t == null ? null : t.gather(rows));
        }
        return out;
    }
}
