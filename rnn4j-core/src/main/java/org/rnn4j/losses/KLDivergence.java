package org.rnn4j.losses;

import org.rnn4j.tensor.Tensor;

/**
 * Keras's KLDivergence: {@code sum(t * log(t / p))} over the last axis with {@code t} and {@code p} clipped
 * to {@code [1e-7, 1]} in float32 first; where the prediction is clipped it gets no gradient.
 */
public final class KLDivergence extends BaseLoss {
    public KLDivergence() {
        super("kl_divergence", "KLDivergence", "sum_over_batch_size");
    }

    @Override
    protected int[] valuesShape(Tensor yTrue, Tensor yPred) {
        return elementwiseValuesShape(this, yTrue, yPred, false);
    }

    private static float clip01(float x) {
        return Math.min(Math.max(x, EPSILON), 1f);
    }

    @Override
    protected void rows(float[] t, float[] p, int rows, int cols, double[] values, double[] coef, float[] grad) {
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            double sum = 0;
            for (int j = off; j < off + cols; j++) {
                float tc = clip01(t[j]);
                float pc = clip01(p[j]);
                sum += tc * Math.log(tc / (double) pc);
                if (grad != null) {
                    boolean clipped = p[j] < EPSILON || p[j] > 1f;
                    grad[j] = clipped || coef[r] == 0 ? 0f : (float) (-coef[r] * tc / pc);
                }
            }
            values[r] = sum;
        }
    }
}
