package org.rnn4j.losses;

import org.rnn4j.tensor.Tensor;

/**
 * Keras's hinge and squared_hinge: {@code mean(f(max(1 - t p, 0)))} over the last axis. Targets are
 * expected in {-1, 1}; when every target of the batch is 0 or 1 they are mapped to {@code 2t - 1} first
 * (Keras's {@code convert_binary_labels_to_hinge} decides once for the whole tensor, not per value).
 */
abstract class HingeLoss extends BaseLoss {
    HingeLoss(String name, String className) {
        super(name, className, "sum_over_batch_size");
    }

    /** The per-element term of the margin {@code m = max(1 - t p, 0)}. */
    abstract double value(double margin);

    /** d value / d margin. */
    abstract double derivative(double margin);

    @Override
    protected int[] valuesShape(Tensor yTrue, Tensor yPred) {
        return elementwiseValuesShape(this, yTrue, yPred, false);
    }

    static boolean allBinary(float[] t) {
        for (float v : t) {
            if (v != 0f && v != 1f) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void rows(float[] t, float[] p, int rows, int cols, double[] values, double[] coef, float[] grad) {
        boolean binary = allBinary(t);
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            double sum = 0;
            double scale = grad == null ? 0 : coef[r] / cols;
            for (int j = off; j < off + cols; j++) {
                float tj = binary ? 2f * t[j] - 1f : t[j];
                float m = 1f - tj * p[j];   // float32, as Keras
                double margin = Math.max(m, 0f);
                sum += value(margin);
                if (grad != null) {
                    // TF's maximum sends the gradient to its first argument on a tie (m == 0)
                    grad[j] = scale == 0 || m < 0 ? 0f : (float) (scale * derivative(margin) * -tj);
                }
            }
            values[r] = sum / cols;
        }
    }
}
