package org.rnn4j.metrics;

import org.rnn4j.tensor.Tensor;

/**
 * The {@code "accuracy"}/{@code "acc"} identifier of {@code compile}: resolved on the first batch
 * from the shapes, as Keras does: binary when predictions have a last axis of 1, sparse categorical
 * when the targets have a lower rank (or a last axis of 1 against several classes), else categorical.
 */
public final class Accuracy implements Metric {
    private final String name;
    private Metric resolved;

    public Accuracy(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    /** The concrete accuracy chosen on the first update, or null before it. */
    public Metric resolved() {
        return resolved;
    }

    @Override
    public void update(Tensor yTrue, Tensor yPred) {
        if (resolved == null) {
            int pLast = yPred.rank() == 0 ? 1 : yPred.dim(-1);
            int tLast = yTrue.rank() == 0 ? 1 : yTrue.dim(-1);
            boolean binary = pLast == 1;
            boolean sparse = yTrue.rank() < yPred.rank() || (tLast == 1 && pLast > 1);
            resolved = binary ? ElementwiseMetric.binaryAccuracy(name) : new ArgmaxAccuracy(name, sparse);
        }
        resolved.update(yTrue, yPred);
    }

    @Override
    public double result() {
        return resolved == null ? 0 : resolved.result();
    }

    @Override
    public void reset() {
        if (resolved != null) {
            resolved.reset();
        }
    }
}
