package org.rnn4j.regularizers;

import org.rnn4j.tensor.Tensor;

/**
 * Keras 3's activity loss of one layer output: {@code regularizer(output) / batch size} (its
 * {@code Layer.__call__} divides by the batch so the strength does not depend on it), and its
 * gradient. Shared by the model (a layer's own outputs) and by layers that, as in Keras, call
 * inner layers whose outputs carry a regularizer (Bidirectional's copies, MultiHeadAttention's
 * projections).
 */
public final class ActivityLoss {
    private ActivityLoss() {
    }

    /** {@code r(t) / t.dim(0)} (a scalar output is not divided; an empty batch costs 0). */
    public static double of(Regularizer r, Tensor t) {
        return of(r, t.data(), t.rank() == 0 ? 1 : t.dim(0));
    }

    /** The loss of a flat output whose leading (batch) dimension is {@code batch}. */
    public static double of(Regularizer r, float[] y, int batch) {
        return batch == 0 ? 0 : r.penalty(y) / batch;
    }

    /** Adds {@code d(r(y) / batch)/dy} into {@code grad}. */
    public static void addGradient(Regularizer r, float[] y, int batch, float[] grad) {
        float[] d = new float[y.length];
        r.addGradient(y, d);
        float inv = 1f / Math.max(1, batch);
        for (int i = 0; i < d.length; i++) {
            grad[i] += d[i] * inv;
        }
    }

    /** The output's gradient plus the activity term's (a fresh tensor; a null {@code g} means zeros). */
    public static Tensor withGradient(Regularizer r, Tensor y, Tensor g) {
        float[] d = g == null ? new float[y.size()] : g.data().clone();
        addGradient(r, y.data(), y.rank() == 0 ? 1 : y.dim(0), d);
        return Tensor.of(d, y.shape());
    }
}
