package org.rnn4j.layers.attention;

import java.util.List;
import org.rnn4j.layers.Mask;
import org.rnn4j.util.Rng;

/** The shared numerics of the attention layers: masked softmax rows, dropout, masks as arrays. */
final class AttentionMath {
    private AttentionMath() {
    }

    /** Softmax of {@code x[off, off+n)} in place (max-subtracted, sums in double). */
    static void softmaxRow(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, x[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            double e = Math.exp((double) x[off + j] - max);
            x[off + j] = (float) e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int j = 0; j < n; j++) {
            x[off + j] *= inv;
        }
    }

    /**
     * Keras's masked softmax of MultiHeadAttention: masked positions get 0; a row with every
     * position masked is all zeros ({@code zeroFullyMasked}, Keras's Softmax layer path) or uniform
     * (the fused dot-product-attention path of the TensorFlow backend).
     */
    static void maskedSoftmaxRow(float[] x, int off, int n, boolean[] mask, int mOff, boolean zeroFullyMasked) {
        if (mask == null) {
            softmaxRow(x, off, n);
            return;
        }
        float max = Float.NEGATIVE_INFINITY;
        boolean any = false;
        for (int j = 0; j < n; j++) {
            if (mask[mOff + j]) {
                any = true;
                max = Math.max(max, x[off + j]);
            }
        }
        if (!any) {
            float v = zeroFullyMasked ? 0f : 1f / n;
            for (int j = 0; j < n; j++) {
                x[off + j] = v;
            }
            return;
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            if (mask[mOff + j]) {
                double e = Math.exp((double) x[off + j] - max);
                x[off + j] = (float) e;
                sum += e;
            } else {
                x[off + j] = 0f;
            }
        }
        float inv = (float) (1.0 / sum);
        for (int j = 0; j < n; j++) {
            x[off + j] *= inv;
        }
    }

    /** {@code ds = p * (dp - sum(dp * p))} over one row; positions with {@code mask} false get 0 when a mask is given. */
    static void softmaxBackwardRow(float[] p, float[] dp, float[] ds, int off, int n, boolean[] mask, int mOff) {
        double dot = 0;
        for (int j = 0; j < n; j++) {
            dot += (double) dp[off + j] * p[off + j];
        }
        for (int j = 0; j < n; j++) {
            float v = (float) (p[off + j] * (dp[off + j] - dot));
            ds[off + j] = mask != null && !mask[mOff + j] ? 0f : v;
        }
    }

    /** Inverted dropout in place, Keras style: kept values scaled by 1/(1-rate); the scales go to {@code scale}. */
    static void dropout(float[] x, float[] scale, float rate, Rng rng) {
        float keep = 1f / (1f - rate);
        for (int i = 0; i < x.length; i++) {
            float sc = rng.nextDouble() < rate ? 0f : keep;
            scale[i] = sc;
            x[i] *= sc;
        }
    }

    static Mask mask(List<Mask> masks, int i) {
        return masks == null || masks.size() <= i ? null : masks.get(i);
    }

    static void checkMask(Mask m, int batch, int time, String layer, String what) {
        if (m != null && (m.batch() != batch || m.time() != time)) {
            throw new IllegalArgumentException("Layer '" + layer + "': the " + what + " mask is (" + m.batch() + ", "
                    + m.time() + ") but the " + what + " is (" + batch + ", " + time + ", ...)");
        }
    }
}
