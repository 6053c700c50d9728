package org.rnn4j.metrics;

import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/** Keras's categorical_accuracy (one-hot targets) and sparse_categorical_accuracy (integer labels). */
public final class ArgmaxAccuracy extends MeanMetric {
    private final boolean sparse;

    public ArgmaxAccuracy(String name, boolean sparse) {
        super(name);
        this.sparse = sparse;
    }

    public boolean sparse() {
        return sparse;
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    protected long accumulate(Tensor yTrue, Tensor yPred, double[] total) {
        int classes = lastAxis(yPred);
        int rows = yPred.size() / classes;
        float[] p = yPred.data();
        float[] t = yTrue.data();
        if (sparse ? yTrue.size() != rows : yTrue.size() != yPred.size()) {
            throw new IllegalArgumentException("Metric '" + name() + "': targets of shape " + Shapes.toString(yTrue.shape())
                    + " do not fit predictions of shape " + Shapes.toString(yPred.shape())
                    + (sparse ? " (expects one integer label per row)" : " (expects one-hot targets)"));
        }
        double hits = 0;
        for (int r = 0; r < rows; r++) {
            int predicted = argmax(p, r * classes, classes);
            int actual = sparse ? Math.round(t[r]) : argmax(t, r * classes, classes);
            if (predicted == actual) {
                hits++;
            }
        }
        total[0] = hits;
        return rows;
    }

    private static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (a[off + j] > a[off + best]) {
                best = j;
            }
        }
        return best;
    }
}
