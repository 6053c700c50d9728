package org.rnn4j.losses;

import java.util.Map;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's CosineSimilarity loss: {@code -sum(l2_normalize(t) * l2_normalize(p))} over the features axis,
 * where {@code l2_normalize(x) = x * min(1 / sqrt(sum(x^2)), 1 / 1e-7)} (Keras's {@code ops.normalize}), so a
 * zero vector gives 0. Only the last axis is supported: Keras 3.15 leaves {@code axis} out of the config, so
 * any other axis would not survive a save anyway; {@code axis} may name the last axis by a positive index.
 */
public final class CosineSimilarity extends BaseLoss {
    private static final double MAX_INV_NORM = 1.0 / 1e-7f;
    private final int axis;

    public CosineSimilarity() {
        this(-1);
    }

    /** {@code axis} must be -1 or, at call time, the index of the last axis. */
    public CosineSimilarity(int axis) {
        super("cosine_similarity", "CosineSimilarity", "sum_over_batch_size");
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    @Override
    protected int[] valuesShape(Tensor yTrue, Tensor yPred) {
        int[] v = elementwiseValuesShape(this, yTrue, yPred, false);
        int rank = v.length + 1;
        if (axis != -1 && axis != rank - 1) {
            throw new IllegalArgumentException("CosineSimilarity: axis=" + axis + " on predictions of rank " + rank
                    + " is not supported; rnn4j computes the similarity over the last axis only (axis=-1 or "
                    + (rank - 1) + "); move the features axis last (e.g. with a Permute layer)");
        }
        return v;
    }

    /** Keras's inverse L2 norm, capped at 1/epsilon. */
    private static double invNorm(float[] x, int off, int n) {
        double s = 0;
        for (int j = off; j < off + n; j++) {
            s += (double) x[j] * x[j];
        }
        return s == 0 ? MAX_INV_NORM : Math.min(1 / Math.sqrt(s), MAX_INV_NORM);
    }

    @Override
    protected void rows(float[] t, float[] p, int rows, int cols, double[] values, double[] coef, float[] grad) {
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            double it = invNorm(t, off, cols);
            double ip = invNorm(p, off, cols);
            double dot = 0;
            for (int j = off; j < off + cols; j++) {
                dot += (t[j] * it) * (p[j] * ip);
            }
            values[r] = -dot;
            if (grad == null) {
                continue;
            }
            boolean capped = ip == MAX_INV_NORM;
            for (int j = off; j < off + cols; j++) {
                // u = p * ip; with the cap active ip is a constant, else du/dp = ip (I - u u^T)
                double g = capped ? -t[j] * it * ip : -ip * (t[j] * it - dot * p[j] * ip);
                grad[j] = coef[r] == 0 ? 0f : (float) (coef[r] * g);
            }
        }
    }

    @Override
    public Map<String, Object> config() {
        return super.config(); // Keras 3.15.1: name and reduction only (axis is not saved)
    }
}
