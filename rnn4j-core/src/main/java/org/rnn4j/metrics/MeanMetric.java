package org.rnn4j.metrics;

import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's MeanMetricWrapper: a per-sample value (the mean over the last axis of a per-element
 * term) accumulated as a running {@code total / count} over every sample seen.
 */
public abstract class MeanMetric implements Metric {
    private final String name;
    private double total;
    private long count;

    protected MeanMetric(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** Adds the per-sample values of this batch to {@code total}; returns how many samples. */
    protected abstract long accumulate(Tensor yTrue, Tensor yPred, double[] total);

    @Override
    public void update(Tensor yTrue, Tensor yPred) {
        double[] t = {0};
        count += accumulate(yTrue, yPred, t);
        total += t[0];
    }

    @Override
    public double result() {
        return count == 0 ? 0 : total / count;
    }

    @Override
    public void reset() {
        total = 0;
        count = 0;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Elementwise metrics need equal sizes (a trailing axis of 1 may differ, as in Keras). */
    protected static void checkSameSize(String name, Tensor yTrue, Tensor yPred) {
        if (yTrue.size() != yPred.size()) {
            throw new IllegalArgumentException("Metric '" + name + "': targets of shape " + Shapes.toString(yTrue.shape())
                    + " do not match predictions of shape " + Shapes.toString(yPred.shape()));
        }
    }

    /** Size of the last axis of the predictions, the axis Keras averages per sample. */
    protected static int lastAxis(Tensor yPred) {
        return yPred.rank() == 0 ? 1 : Math.max(1, yPred.dim(-1));
    }
}
