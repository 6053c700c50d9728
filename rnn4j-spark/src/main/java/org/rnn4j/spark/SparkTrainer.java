package org.rnn4j.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.rnn4j.callbacks.Callback;
import org.rnn4j.callbacks.CallbackList;
import org.rnn4j.callbacks.History;
import org.rnn4j.callbacks.ProgbarLogger;
import org.rnn4j.callbacks.ProgressBar;
import org.rnn4j.layers.Variable;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Model;
import org.rnn4j.models.NonFiniteLossException;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.KeyedRandom;
import scala.Tuple2;

/**
 * Synchronous data-parallel training of a compiled model on Apache Spark: Keras's {@code fit}
 * with each global batch split over the partitions.
 *
 * <p>Each step the driver broadcasts the weights, every partition computes the mean loss and
 * gradients of its shard of the batch ({@link Model#computeGradients}), and the driver sums the
 * shards weighted by size ({@code sum n_i/N g_i}: the whole batch's gradient), adds the
 * regularization once, and applies the model's own optimizer ({@link Model#applyGradients}); the
 * optimizer state lives on the driver. The samples are numbered 0..N-1 in the data's order and
 * sample {@code i} is kept in partition {@code i mod P}; an epoch's order is that numbering
 * ({@code shuffle=false}) or the permutation keyed by {@code (model seed, epoch)}
 * ({@link KeyedRandom}), so batches, shards and results do not depend on how the input was
 * partitioned, and only rounding separates a run from single-machine {@code fit}.
 *
 * <pre>{@code
 * History h = new SparkTrainer(spark, model)
 *         .aggregation(Aggregation.EXACT)
 *         .checkpoint("hdfs:///models/run1", 100)
 *         .fit(samples, FitOptions.epochs(3).batchSize(256));
 * }</pre>
 *
 * <p>Not yet distributed: metrics other than the losses (compute them with {@code evaluate} on
 * validation data), BatchNormalization's moving statistics (they stay at the driver's values), and
 * dropout masks keyed by sample (Dropout layers draw from each copy's own stream).
 */
public final class SparkTrainer {
    private final JavaSparkContext jsc;
    private final Model model;
    private Aggregation aggregation = Aggregation.EXACT;
    private Integer partitions;
    private String checkpointDir;
    private int checkpointEvery;
    private int treeDepth = 2;
    private ShardTask.FailureInjection failure;
    private Stats lastStats;

    public SparkTrainer(SparkSession spark, Model model) {
        this(JavaSparkContext.fromSparkContext(spark.sparkContext()), model);
    }

    public SparkTrainer(JavaSparkContext jsc, Model model) {
        this.jsc = jsc;
        this.model = model;
    }

    /** {@link Aggregation#EXACT} (the default) or {@link Aggregation#FAST}. */
    public SparkTrainer aggregation(Aggregation value) {
        this.aggregation = value;
        return this;
    }

    /** The number of partitions (shards per step); default: the data's number of partitions. */
    public SparkTrainer partitions(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + value);
        }
        this.partitions = value;
        return this;
    }

    /** The depth of {@code treeAggregate} in {@link Aggregation#FAST} mode (default 2). */
    public SparkTrainer treeDepth(int value) {
        this.treeDepth = value;
        return this;
    }

    /**
     * Checkpoints the model weights, optimizer state and position every {@code everySteps} steps
     * (and at the end) under {@code dir} on any Hadoop file system; a later {@code fit} with the
     * same directory resumes from the latest checkpoint.
     */
    public SparkTrainer checkpoint(String dir, int everySteps) {
        if (everySteps < 1) {
            throw new IllegalArgumentException("checkpoint interval must be >= 1 step, got " + everySteps);
        }
        this.checkpointDir = dir;
        this.checkpointEvery = everySteps;
        return this;
    }

    /**
     * A testing hook: the task of {@code partition} in global step {@code globalStep} (0-based) throws
     * in its first attempt, as a lost executor would. Spark retries it (a {@code local[N,F]} master
     * with F >= 2, or {@code spark.task.maxFailures} on a cluster) and the step's result is unchanged.
     */
    public SparkTrainer failTaskOnceForTesting(int partition, long globalStep) {
        this.failure = new ShardTask.FailureInjection(partition, globalStep);
        return this;
    }

    /** Timings of the last {@code fit}. */
    public Stats lastStats() {
        return lastStats;
    }

    /** Trains on in-memory arrays, distributed over {@code partitions} (a convenience for tests and tools). */
    public History fit(List<Tensor> xs, List<Tensor> ys, FitOptions options) {
        int p = partitions != null ? partitions : jsc.defaultParallelism();
        return fit(jsc.parallelize(Sample.rows(xs, ys), p), options);
    }

    public History fit(Tensor x, Tensor y, FitOptions options) {
        return fit(List.of(x), List.of(y), options);
    }

    /** Trains on a DataFrame with one input column and one target column (see {@link SparkData#samples}). */
    public History fit(Dataset<Row> df, String xCol, String yCol, FitOptions options) {
        return fit(SparkData.samples(df, xCol, yCol), options);
    }

    /** Trains on samples; their order in the RDD is the sample order (what {@code shuffle=false} follows). */
    public History fit(JavaRDD<Sample> data, FitOptions o) {
        if (!model.isCompiled()) {
            throw new IllegalStateException("Model '" + model.name() + "' must be compiled before fit");
        }
        if (o.getValidationSplit() > 0) {
            throw new IllegalArgumentException("SparkTrainer.fit: validationSplit needs the samples on the driver;"
                    + " pass validationData(x, y) instead");
        }
        SparkContext sc = jsc.sc();
        int p = partitions != null ? partitions : data.getNumPartitions();
        String fitId = UUID.randomUUID().toString();
        long started = System.nanoTime();

        jsc.setJobDescription("rnn4j fit: number and distribute the samples over " + p + " partitions");
        JavaRDD<Block> blocks = data.zipWithIndex()
                .mapToPair(t -> new Tuple2<>(t._2(), t._1()))
                .partitionBy(new ModPartitioner(p))
                .mapPartitions(it -> Collections.singletonList(Block.of(it)).iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        long total = blocks.map(b -> (long) b.index.length).reduce(Long::sum);
        if (total == 0) {
            blocks.unpersist(false);
            throw new IllegalArgumentException("fit: no training samples");
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("fit: " + total + " samples; at most 2^31-1 are supported");
        }
        int n = (int) total;
        int batchSize = Math.min(o.getBatchSize(), n);
        int steps = (n + batchSize - 1) / batchSize;

        ModelPayload payload = ModelPayload.of(model);
        Broadcast<ModelPayload> bcPayload = jsc.broadcast(payload);
        Progress progress = new Progress(executorsText(sc));

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("verbose", o.getVerbose());
        params.put("epochs", o.getEpochs());
        params.put("steps", steps);
        boolean dynamic = o.getTerminal() != null ? o.getTerminal() : ProgressBar.stdoutIsTerminal();
        Callback bar = o.getVerbose() == 0 ? null
                : new ProgbarLogger(o.getOutput(), dynamic, System::nanoTime, progress::suffix);
        CallbackList callbacks = new CallbackList(o.getCallbacks(), bar, model, params);

        int outputs = model.outputNames().size();
        Tracker tracker = new Tracker(outputs);
        int startEpoch = o.getInitialEpoch();
        int startStep = 0;
        long globalStep = (long) startEpoch * steps;
        if (checkpointDir != null) {
            Checkpoints.State s = Checkpoints.latest(sc.hadoopConfiguration(), checkpointDir);
            if (s != null) {
                if (s.samples != n) {
                    throw new IllegalStateException("The checkpoint in " + checkpointDir + " was written for "
                            + s.samples + " samples, this data has " + n + "; use another checkpoint directory");
                }
                s.restoreInto(model);
                startEpoch = s.epoch;
                startStep = s.nextStep;
                globalStep = s.globalStep;
                tracker.restore(s);
            }
        }

        model.stopTraining(false);
        long stepNanos = 0;
        long computeNanos = 0;
        int stepsRun = 0;
        try {
            callbacks.onTrainBegin(new LinkedHashMap<>());
            Map<String, Double> lastLogs = new LinkedHashMap<>();
            for (int epoch = startEpoch; epoch < o.getEpochs(); epoch++) {
                int first = epoch == startEpoch ? startStep : 0;
                if (first == 0) {
                    tracker.reset();
                }
                callbacks.onEpochBegin(epoch, new LinkedHashMap<>());
                progress.epochStart(first);
                Broadcast<int[]> bcPositions = null;
                if (o.getShuffle()) {
                    bcPositions = jsc.broadcast(inverse(KeyedRandom.permutation(n, model.seed(), epoch)));
                }
                Map<String, Double> logs = tracker.results(model);
                for (int step = first; step < steps; step++) {
                    long t0 = System.nanoTime();
                    callbacks.onBatchBegin(step, new LinkedHashMap<>());
                    int from = step * batchSize;
                    int to = Math.min(n, from + batchSize);
                    jsc.setJobDescription("rnn4j fit: epoch " + (epoch + 1) + "/" + o.getEpochs() + ", step "
                            + (step + 1) + "/" + steps + " (" + aggregation.name().toLowerCase() + ")");
                    GradientSum sum = runStep(blocks, fitId, bcPayload, bcPositions, from, to, globalStep);
                    if (sum.samples() != to - from) {
                        throw new IllegalStateException("Step " + globalStep + " summed " + sum.samples()
                                + " samples, expected " + (to - from));
                    }
                    if (sum.nonFinite()) {
                        Map<String, Double> bad = tracker.results(model);
                        bad.put("loss", sum.nonFiniteLoss());
                        callbacks.onBatchEnd(step, bad);
                        if (!model.stopTraining()) {
                            throw new NonFiniteLossException(epoch, step, steps, sum.nonFiniteLoss());
                        }
                        logs = bad;
                        break;
                    }
                    List<float[]> grads = sum.meanGradients();
                    double loss = sum.meanLoss() + addRegularization(grads);
                    model.applyGradients(grads);
                    globalStep++;
                    tracker.add(loss, sum.meanOutputLosses(), to - from);
                    stepNanos += System.nanoTime() - t0;
                    computeNanos += sum.maxComputeNanos();
                    stepsRun++;
                    progress.stepDone();
                    if (checkpointDir != null && globalStep % checkpointEvery == 0) {
                        writeCheckpoint(sc, globalStep, epoch, step + 1, n, tracker);
                    }
                    logs = tracker.results(model);
                    callbacks.onBatchEnd(step, logs);
                    if (model.stopTraining()) {
                        break;
                    }
                }
                if (bcPositions != null) {
                    bcPositions.destroy();
                }
                Map<String, Double> epochLogs = new LinkedHashMap<>(logs);
                if (o.getValidationX() != null && Double.isFinite(epochLogs.getOrDefault("loss", 0.0))) {
                    Integer vbs = o.getValidationBatchSize();
                    Map<String, Double> val = model.evaluate(List.of(o.getValidationX()), List.of(o.getValidationY()),
                            vbs != null ? vbs : batchSize, 0);
                    for (Map.Entry<String, Double> e : val.entrySet()) {
                        epochLogs.put("val_" + e.getKey(), e.getValue());
                    }
                }
                callbacks.onEpochEnd(epoch, epochLogs);
                lastLogs = epochLogs;
                if (model.stopTraining()) {
                    break;
                }
            }
            if (checkpointDir != null && globalStep % checkpointEvery != 0 && stepsRun > 0) {
                writeCheckpoint(sc, globalStep, Math.min(lastEpoch(globalStep, steps), o.getEpochs() - 1),
                        lastStep(globalStep, steps), n, tracker);
            }
            callbacks.onTrainEnd(lastLogs);
            return callbacks.history();
        } finally {
            jsc.setJobDescription(null);
            blocks.unpersist(false);
            bcPayload.destroy();
            ExecutorModels.release(fitId);
            lastStats = new Stats(stepsRun, stepNanos, computeNanos, System.nanoTime() - started, p, payload.size(),
                    weightBytes(model));
        }
    }

    private static int lastEpoch(long globalStep, int steps) {
        return (int) ((globalStep - 1) / steps);
    }

    private static int lastStep(long globalStep, int steps) {
        return (int) ((globalStep - 1) % steps) + 1;
    }

    private void writeCheckpoint(SparkContext sc, long globalStep, int epoch, int nextStep, int n, Tracker t) {
        Checkpoints.write(sc.hadoopConfiguration(), checkpointDir,
                Checkpoints.capture(model, globalStep, epoch, nextStep, n, t.lossTotal, t.lossCount, t.outputTotals));
    }

    private GradientSum runStep(JavaRDD<Block> blocks, String fitId, Broadcast<ModelPayload> bcPayload,
                                Broadcast<int[]> bcPositions, int from, int to, long globalStep) {
        List<Variable> vars = model.weights();
        float[][] w = new float[vars.size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = vars.get(i).value().data().clone();
        }
        Broadcast<float[][]> bcWeights = jsc.broadcast(w);
        try {
            ShardTask task = new ShardTask(fitId, bcPayload, bcWeights, bcPositions, from, to, globalStep, failure);
            JavaRDD<GradientSum> shards = blocks.mapPartitionsWithIndex(task, true);
            if (aggregation == Aggregation.FAST) {
                return shards.treeAggregate(new GradientSum(), GradientSum::merge, GradientSum::merge, treeDepth);
            }
            GradientSum total = new GradientSum();
            for (GradientSum s : shards.collect()) { // collect() lists the partitions in order
                total.merge(s);
            }
            return total;
        } finally {
            bcWeights.destroy();
        }
    }

    /** The regularizers' penalty at the current weights; their gradients are added into {@code grads}. */
    private double addRegularization(List<float[]> grads) {
        List<Variable> trainable = model.trainableWeights();
        double penalty = 0;
        for (int i = 0; i < trainable.size(); i++) {
            Regularizer r = trainable.get(i).regularizer();
            if (r != null) {
                float[] w = trainable.get(i).value().data();
                penalty += r.penalty(w);
                r.addGradient(w, grads.get(i));
            }
        }
        return penalty;
    }

    static int[] inverse(int[] order) {
        int[] pos = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            pos[order[k]] = k;
        }
        return pos;
    }

    private static long weightBytes(Model m) {
        long b = 0;
        for (Variable v : m.weights()) {
            b += 4L * v.size();
        }
        return b;
    }

    private static String executorsText(SparkContext sc) {
        String master = sc.master();
        int cores = sc.defaultParallelism();
        if (master.startsWith("local")) {
            return "1 executor (" + cores + " cores, local)";
        }
        int executors = Math.max(1, sc.statusTracker().getExecutorInfos().length - 1);
        return executors + (executors == 1 ? " executor" : " executors") + " (" + cores + " cores)";
    }

    /** Keras's running epoch loss (batch-size-weighted mean) and per-output losses. */
    private static final class Tracker {
        double lossTotal;
        long lossCount;
        final double[] outputTotals;

        Tracker(int outputs) {
            outputTotals = new double[outputs];
        }

        void reset() {
            lossTotal = 0;
            lossCount = 0;
            java.util.Arrays.fill(outputTotals, 0);
        }

        void restore(Checkpoints.State s) {
            lossTotal = s.lossTotal;
            lossCount = s.lossCount;
            System.arraycopy(s.outputLossTotals, 0, outputTotals, 0, Math.min(outputTotals.length,
                    s.outputLossTotals.length));
        }

        void add(double loss, double[] outputLosses, int batch) {
            lossTotal += loss * batch;
            lossCount += batch;
            for (int k = 0; k < outputLosses.length && k < outputTotals.length; k++) {
                outputTotals[k] += outputLosses[k] * batch;
            }
        }

        Map<String, Double> results(Model model) {
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("loss", lossCount == 0 ? 0 : lossTotal / lossCount);
            if (outputTotals.length > 1) {
                List<String> names = model.outputNames();
                for (int k = 0; k < outputTotals.length; k++) {
                    logs.put(names.get(k) + "_loss", lossCount == 0 ? 0 : outputTotals[k] / lossCount);
                }
            }
            return logs;
        }
    }

    /** The {@code " - 12.5 steps/s - 2 executors"} text after the progress bar. */
    private static final class Progress {
        private final String executors;
        private long epochStart;
        private int done;

        Progress(String executors) {
            this.executors = executors;
        }

        void epochStart(int firstStep) {
            epochStart = System.nanoTime();
            done = 0;
        }

        void stepDone() {
            done++;
        }

        String suffix() {
            double secs = (System.nanoTime() - epochStart) / 1e9;
            String rate = done == 0 || secs <= 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f", done / secs);
            return " - " + rate + " steps/s - " + executors;
        }
    }

    /** What the last fit did and how long it took. */
    public static final class Stats {
        public final int steps;
        public final long stepNanos;
        /** Sum over steps of the slowest shard's compute time (the part that more executors divide). */
        public final long computeNanos;
        public final long totalNanos;
        public final int partitions;
        public final long payloadBytes;
        public final long weightBytes;

        Stats(int steps, long stepNanos, long computeNanos, long totalNanos, int partitions, long payloadBytes,
              long weightBytes) {
            this.steps = steps;
            this.stepNanos = stepNanos;
            this.computeNanos = computeNanos;
            this.totalNanos = totalNanos;
            this.partitions = partitions;
            this.payloadBytes = payloadBytes;
            this.weightBytes = weightBytes;
        }

        /** Mean wall time of one synchronous step (broadcast, shard gradients, sum, optimizer). */
        public double millisPerStep() {
            return steps == 0 ? 0 : stepNanos / 1e6 / steps;
        }

        /** Mean compute time of the slowest shard per step. */
        public double computeMillisPerStep() {
            return steps == 0 ? 0 : computeNanos / 1e6 / steps;
        }

        /** Mean time per step outside the shards' compute: broadcast, scheduling, aggregation, optimizer. */
        public double overheadMillisPerStep() {
            return millisPerStep() - computeMillisPerStep();
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d steps, %.2f ms/step (slowest shard %.2f ms, the rest"
                    + " %.2f ms), %.2f s total, %d partitions, payload %d bytes, weights %d bytes", steps,
                    millisPerStep(), computeMillisPerStep(), overheadMillisPerStep(), totalNanos / 1e9, partitions,
                    payloadBytes, weightBytes);
        }
    }
}
