package org.rnn4j.metrics;

import java.util.function.DoubleBinaryOperator;
import org.rnn4j.tensor.Tensor;

/** mae, mse, mape and binary_accuracy: the mean of a per-element term over the last axis, per sample. */
public final class ElementwiseMetric extends MeanMetric {
    private final DoubleBinaryOperator term;
    private final boolean higherIsBetter;

    public ElementwiseMetric(String name, DoubleBinaryOperator term, boolean higherIsBetter) {
        super(name);
        this.term = term;
        this.higherIsBetter = higherIsBetter;
    }

    public static ElementwiseMetric mae(String name) {
        return new ElementwiseMetric(name, (t, p) -> Math.abs(t - p), false);
    }

    public static ElementwiseMetric mse(String name) {
        return new ElementwiseMetric(name, (t, p) -> (t - p) * (t - p), false);
    }

    public static ElementwiseMetric mape(String name) {
        return new ElementwiseMetric(name, (t, p) -> 100.0 * Math.abs((t - p) / Math.max(Math.abs(t), 1e-7)), false);
    }

    /** Keras's binary_accuracy with threshold 0.5: {@code (p > 0.5) == t}. */
    public static ElementwiseMetric binaryAccuracy(String name) {
        return new ElementwiseMetric(name, (t, p) -> ((p > 0.5 ? 1.0 : 0.0) == t) ? 1.0 : 0.0, true);
    }

    @Override
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    @Override
    protected long accumulate(Tensor yTrue, Tensor yPred, double[] total) {
        checkSameSize(name(), yTrue, yPred);
        float[] t = yTrue.data();
        float[] p = yPred.data();
        int last = lastAxis(yPred);
        int samples = p.length / last;
        double sum = 0;
        for (int s = 0; s < samples; s++) {
            double row = 0;
            for (int j = s * last; j < (s + 1) * last; j++) {
                row += term.applyAsDouble(t[j], p[j]);
            }
            sum += row / last;
        }
        total[0] = sum;
        return samples;
    }
}
