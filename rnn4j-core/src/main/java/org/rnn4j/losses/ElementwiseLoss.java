package org.rnn4j.losses;

import org.rnn4j.tensor.Tensor;

/**
 * A loss whose per-sample value is the mean over the last axis of a per-element term {@code f(t, p)}
 * (Keras's {@code ops.mean(..., axis=-1)}).
 */
abstract class ElementwiseLoss extends BaseLoss {
    ElementwiseLoss(String name, String className) {
        super(name, className, "sum_over_batch_size");
    }

    /** The per-element term. */
    abstract double value(float t, float p);

    /** d value / d p. */
    abstract double derivative(float t, float p);

    /** Hook for label transforms such as label smoothing. */
    float target(float t) {
        return t;
    }

    @Override
    protected int[] valuesShape(Tensor yTrue, Tensor yPred) {
        return elementwiseValuesShape(this, yTrue, yPred, false);
    }

    @Override
    protected void rows(float[] t, float[] p, int rows, int cols, double[] values, double[] coef, float[] grad) {
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            int off = r * cols;
            double scale = grad == null ? 0 : coef[r] / cols;
            for (int j = off; j < off + cols; j++) {
                float tj = target(t[j]);
                sum += value(tj, p[j]);
                if (grad != null) {
                    grad[j] = scale == 0 ? 0f : (float) (derivative(tj, p[j]) * scale);
                }
            }
            values[r] = sum / cols;
        }
    }

    /** Kept for callers that validated shapes before the reduction machinery existed. */
    static void checkSameSize(Loss loss, Tensor yTrue, Tensor yPred) {
        elementwiseValuesShape(loss, yTrue, yPred, false);
    }
}
