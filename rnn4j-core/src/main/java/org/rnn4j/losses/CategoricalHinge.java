package org.rnn4j.losses;

import org.rnn4j.tensor.Tensor;

/**
 * Keras's CategoricalHinge over the last axis: {@code max(neg - pos + 1, 0)} with
 * {@code pos = sum(t p)} and {@code neg = max((1 - t) p)}; targets one-hot (0/1) or -1/1.
 */
public final class CategoricalHinge extends BaseLoss {
    public CategoricalHinge() {
        super("categorical_hinge", "CategoricalHinge", "sum_over_batch_size");
    }

    @Override
    protected int[] valuesShape(Tensor yTrue, Tensor yPred) {
        return elementwiseValuesShape(this, yTrue, yPred, false);
    }

    @Override
    protected void rows(float[] t, float[] p, int rows, int cols, double[] values, double[] coef, float[] grad) {
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            float pos = 0f;
            float neg = Float.NEGATIVE_INFINITY;
            for (int j = off; j < off + cols; j++) {
                pos += t[j] * p[j];
                neg = Math.max(neg, (1f - t[j]) * p[j]);
            }
            float z = neg - pos + 1f;
            values[r] = Math.max(z, 0f);
            if (grad == null) {
                continue;
            }
            // TF: maximum(z, 0) passes the gradient on a tie; reduce_max splits it evenly among equal maxima
            double scale = z < 0 ? 0 : coef[r];
            int ties = 0;
            for (int j = off; j < off + cols; j++) {
                ties += (1f - t[j]) * p[j] == neg ? 1 : 0;
            }
            for (int j = off; j < off + cols; j++) {
                double g = -t[j] + ((1f - t[j]) * p[j] == neg ? (1.0 - t[j]) / ties : 0);
                grad[j] = scale == 0 ? 0f : (float) (scale * g);
            }
        }
    }
}
