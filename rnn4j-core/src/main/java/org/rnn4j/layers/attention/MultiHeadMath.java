package org.rnn4j.layers.attention;

import java.util.List;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * The einsum math of {@link MultiHeadAttention}, apart from the layer's config and state: the dense
 * projections to and from the heads, the combined attention mask, the per-head scores and context,
 * and their gradients. Layouts (row-major): projected query and key (B, T|S, N, H), value (B, S, N, Hv),
 * scores (B, N, T, S), context (B, T, N, Hv); each head is a strided view, so no transposes are made.
 */
final class MultiHeadMath {
    private MultiHeadMath() {
    }

    /** The sizes of one call: batch, heads, query and key/value lengths, key and value head dims. */
    record Dims(int batch, int heads, int t, int s, int keyDim, int valueDim) {
    }

    /** {@code x (rows, din) · kernel (din, ...) + bias}: the einsums {@code abc,cde->abde} and {@code abcd,cde->abe}. */
    static float[] project(float[] x, int rows, int din, Variable kernel, Variable bias) {
        int dout = kernel.size() / din;
        float[] z = new float[rows * dout];
        if (bias != null) {
            float[] b = bias.value().data();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(b, 0, z, r * dout, dout);
            }
        }
        Kernels.matmul().gemm(false, false, rows, dout, din, x, 0, din, kernel.value().data(), 0, dout,
                z, 0, dout, bias != null);
        return z;
    }

    /** dKernel += x^T dz ; dBias += colsum(dz) ; returns dz kernel^T when {@code inputGrad}. */
    static float[] projectBackward(float[] x, float[] dz, int din, Variable kernel, Variable bias, boolean inputGrad) {
        int dout = kernel.size() / din;
        int rows = dz.length / dout;
        MatMul mm = Kernels.matmul();
        mm.gemm(true, false, din, dout, rows, x, 0, din, dz, 0, dout, kernel.grad().data(), 0, dout, true);
        if (bias != null) {
            float[] db = bias.grad().data();
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < dout; j++) {
                    db[j] += dz[r * dout + j];
                }
            }
        }
        if (!inputGrad) {
            return null;
        }
        float[] dx = new float[rows * din];
        mm.gemm(false, true, rows, din, dout, dz, 0, dout, kernel.value().data(), 0, dout, dx, 0, din, false);
        return dx;
    }

    /**
     * The call's combined mask from the inputs' masks ([query, value(, key)]) and the attention mask
     * input {@code am} (or null), each checked against the call's sizes; null when nothing masks.
     */
    static boolean[] attentionMask(List<Mask> masks, boolean hasKey, Tensor am, boolean causal, int batch, int t,
                                   int s, String layer) {
        Mask qMask = AttentionMath.mask(masks, 0);
        Mask vMask = AttentionMath.mask(masks, 1);
        Mask kMask = hasKey ? AttentionMath.mask(masks, 2) : null;
        AttentionMath.checkMask(qMask, batch, t, layer, "query");
        AttentionMath.checkMask(vMask, batch, s, layer, "value");
        AttentionMath.checkMask(kMask, batch, s, layer, "key");
        if (am != null && (am.dim(0) != batch || am.dim(1) != t || am.dim(2) != s)) {
            throw new LayerShapeException("Layer '" + layer + "' (MultiHeadAttention): the attention mask "
                    + Shapes.toString(am.shape()) + " must be (" + batch + ", " + t + ", " + s + ")");
        }
        return attentionMask(qMask == null ? null : qMask.values(), vMask == null ? null : vMask.values(),
                kMask == null ? null : kMask.values(), am == null ? null : am.data(), causal, batch, t, s);
    }

    /**
     * Keras's {@code _compute_attention_mask}: {@code q[:, :, None] & v[:, None, :] & k[:, None, :] &
     * causal & attention_mask} as (B, T, S), or null when nothing masks (null arguments mask nothing).
     */
    static boolean[] attentionMask(boolean[] qm, boolean[] vm, boolean[] km, float[] amd, boolean causal,
                                   int batch, int t, int s) {
        if (qm == null && vm == null && km == null && amd == null && !causal) {
            return null;
        }
        boolean[] mask = new boolean[batch * t * s];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < s; j++) {
                    int o = (b * t + i) * s + j;
                    mask[o] = (qm == null || qm[b * t + i]) && (vm == null || vm[b * s + j])
                            && (km == null || km[b * s + j]) && (!causal || i >= j)
                            && (amd == null || amd[o] != 0f);
                }
            }
        }
        return mask;
    }

    /** {@code a *= f} elementwise (the 1/sqrt(key_dim) scale of the query and of its gradient). */
    static void scale(float[] a, float f) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= f;
        }
    }

    /** The attention distribution {@code softmax(q k^T)} per head (einsum {@code aecd,abcd->acbe}), masked rows as Keras. */
    static float[] scores(float[] q, float[] k, boolean[] mask, boolean zeroFullyMasked, Dims d) {
        int nh = d.heads();
        int t = d.t();
        int s = d.s();
        int h = d.keyDim();
        MatMul mm = Kernels.matmul();
        float[] probs = new float[d.batch() * nh * t * s];
        for (int b = 0; b < d.batch(); b++) {
            for (int hd = 0; hd < nh; hd++) {
                int po = (b * nh + hd) * t * s;
                mm.gemm(false, true, t, s, h, q, b * t * nh * h + hd * h, nh * h, k, b * s * nh * h + hd * h, nh * h,
                        probs, po, s, false);
                for (int i = 0; i < t; i++) {
                    AttentionMath.maskedSoftmaxRow(probs, po + i * s, s, mask, (b * t + i) * s, zeroFullyMasked);
                }
            }
        }
        return probs;
    }

    /** The context {@code weights · v} per head (einsum {@code acbe,aecd->abcd}), (B, T, N, Hv). */
    static float[] context(float[] weights, float[] v, Dims d) {
        int nh = d.heads();
        int t = d.t();
        int s = d.s();
        int hv = d.valueDim();
        MatMul mm = Kernels.matmul();
        float[] context = new float[d.batch() * t * nh * hv];
        for (int b = 0; b < d.batch(); b++) {
            for (int hd = 0; hd < nh; hd++) {
                mm.gemm(false, false, t, hv, s, weights, (b * nh + hd) * t * s, s, v, b * s * nh * hv + hd * hv, nh * hv,
                        context, b * t * nh * hv + hd * hv, nh * hv, false);
            }
        }
        return context;
    }

    /** The gradient of {@link #context}: returns dWeights (B, N, T, S) and writes dv (B, S, N, Hv) into {@code dv}. */
    static float[] contextBackward(float[] dContext, float[] weights, float[] v, float[] dv, Dims d) {
        int nh = d.heads();
        int t = d.t();
        int s = d.s();
        int hv = d.valueDim();
        MatMul mm = Kernels.matmul();
        float[] dWeights = new float[weights.length];
        for (int b = 0; b < d.batch(); b++) {
            for (int hd = 0; hd < nh; hd++) {
                int po = (b * nh + hd) * t * s;
                int co = b * t * nh * hv + hd * hv;
                int vo = b * s * nh * hv + hd * hv;
                mm.gemm(false, true, t, s, hv, dContext, co, nh * hv, v, vo, nh * hv, dWeights, po, s, false);
                mm.gemm(true, false, s, hv, t, weights, po, s, dContext, co, nh * hv, dv, vo, nh * hv, false);
            }
        }
        return dWeights;
    }

    /** The gradient of {@link #scores} (softmax, then {@code q k^T}): writes the gradients of q and k into {@code dq} and {@code dk}. */
    static void scoresBackward(float[] probs, float[] dWeights, boolean[] mask, float[] q, float[] k,
                               float[] dq, float[] dk, Dims d) {
        int nh = d.heads();
        int t = d.t();
        int s = d.s();
        int h = d.keyDim();
        MatMul mm = Kernels.matmul();
        float[] ds = new float[dWeights.length];
        for (int b = 0; b < d.batch(); b++) {
            for (int hd = 0; hd < nh; hd++) {
                int po = (b * nh + hd) * t * s;
                for (int i = 0; i < t; i++) {
                    AttentionMath.softmaxBackwardRow(probs, dWeights, ds, po + i * s, s, mask, (b * t + i) * s);
                }
                int qo = b * t * nh * h + hd * h;
                int ko = b * s * nh * h + hd * h;
                mm.gemm(false, false, t, h, s, ds, po, s, k, ko, nh * h, dq, qo, nh * h, false);
                mm.gemm(true, false, s, h, t, ds, po, s, q, qo, nh * h, dk, ko, nh * h, false);
            }
        }
    }
}
