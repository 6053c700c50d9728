package org.rnn4j.spark;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.rnn4j.models.Model;
import org.rnn4j.models.Trainer;
import org.rnn4j.tensor.Tensor;

/**
 * One step's work on one partition: the partition's shard of the global batch (its samples at
 * epoch positions {@code [from, to)}, in position order), the mean loss and gradients of that
 * shard against the broadcast weights. A retried task recomputes the same numbers from the same
 * broadcast values.
 */
final class ShardTask implements Function2<Integer, Iterator<Block>, Iterator<GradientSum>> {
    private static final long serialVersionUID = 1L;

    private final String fitId;
    private final Broadcast<ModelPayload> payload;
    private final Broadcast<float[][]> weights;
    private final Broadcast<int[]> positions;
    private final int from;
    private final int to;
    private final long globalStep;
    private final FailureInjection failure;

    ShardTask(String fitId, Broadcast<ModelPayload> payload, Broadcast<float[][]> weights, Broadcast<int[]> positions,
              int from, int to, long globalStep, FailureInjection failure) {
        this.fitId = fitId;
        this.payload = payload;
        this.weights = weights;
        this.positions = positions;
        this.from = from;
        this.to = to;
        this.globalStep = globalStep;
        this.failure = failure;
    }

    @Override
    public Iterator<GradientSum> call(Integer partition, Iterator<Block> blocks) {
        if (failure != null && failure.partition == partition && failure.globalStep == globalStep) {
            TaskContext tc = TaskContext.get();
            if (tc == null || tc.attemptNumber() == 0) {
                throw new InjectedFailure("injected failure: partition " + partition + ", step " + globalStep
                        + ", attempt " + (tc == null ? 0 : tc.attemptNumber()));
            }
        }
        GradientSum sum = new GradientSum();
        int[] pos = positions == null ? null : positions.value();
        while (blocks.hasNext()) {
            Block b = blocks.next();
            List<Sample> shard = b.select(pos, from, to);
            if (shard.isEmpty()) {
                continue;
            }
            long t0 = System.nanoTime();
            Model model = ExecutorModels.borrow(fitId, payload.value());
            try {
                ExecutorModels.setWeights(model, weights.value());
                List<Tensor> xs = Sample.stack(shard, false);
                List<Tensor> ys = Sample.stack(shard, true);
                Trainer.Gradients g = model.computeGradients(xs, ys, false);
                sum.add(g.samples, g.loss, g.outputLosses, g.values);
                sum.computeNanos(System.nanoTime() - t0);
            } finally {
                ExecutorModels.giveBack(fitId, model);
            }
        }
        return Collections.singletonList(sum).iterator();
    }

    /** A test hook: the task of {@code partition} at {@code globalStep} fails in its first attempt. */
    static final class FailureInjection implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final int partition;
        final long globalStep;

        FailureInjection(int partition, long globalStep) {
            this.partition = partition;
            this.globalStep = globalStep;
        }
    }

    /** The exception the failure hook throws. */
    static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String message) {
            super(message);
        }
    }
}
