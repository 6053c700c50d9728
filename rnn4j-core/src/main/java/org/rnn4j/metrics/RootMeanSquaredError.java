package org.rnn4j.metrics;

import org.rnn4j.tensor.Tensor;

/** Keras's RootMeanSquaredError: {@code sqrt(mean of all squared errors seen)}. */
public final class RootMeanSquaredError extends MeanMetric {
    public RootMeanSquaredError(String name) {
        super(name);
    }

    @Override
    protected long accumulate(Tensor yTrue, Tensor yPred, double[] total) {
        checkSameSize(name(), yTrue, yPred);
        float[] t = yTrue.data();
        float[] p = yPred.data();
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double d = (double) t[i] - p[i];
            sum += d * d;
        }
        total[0] = sum;
        return p.length;
    }

    @Override
    public double result() {
        return Math.sqrt(super.result());
    }
}
