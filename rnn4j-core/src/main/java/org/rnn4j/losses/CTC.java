package org.rnn4j.losses;

import java.util.Arrays;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's CTC loss (Connectionist Temporal Classification) on the TensorFlow backend: integer labels
 * {@code (batch, max_length)} with 0 the blank/mask index, logits {@code (batch, time, classes)} (not
 * softmaxed), every sample using all {@code time} steps. As Keras, the label length of a sample is the
 * number of its non-zero labels and the sequence is its FIRST that many entries, so a 0 inside them is a
 * symbol that emits the blank class (TF's ctc_loss_dense: a label may follow a different label directly).
 * A label sequence that cannot fit in {@code time} steps gives an infinite loss with zero gradient (where
 * Keras on TensorFlow reports a large finite number instead, about 709 in one check).
 */
public final class CTC extends BaseLoss {
    public CTC() {
        super("ctc", "CTC", "sum_over_batch_size");
    }

    @Override
    protected int[] valuesShape(Tensor yTrue, Tensor yPred) {
        int[] t = yTrue.shape();
        int[] p = yPred.shape();
        if (t.length != 2) {
            throw new IllegalArgumentException("Loss 'ctc': targets `y_true` are expected to be a tensor of shape"
                    + " (batch_size, max_length) in integer format. Received: y_true.shape=" + Shapes.toString(t));
        }
        if (p.length != 3) {
            throw new IllegalArgumentException("Loss 'ctc': logits `y_pred` are expected to be a tensor of shape"
                    + " (batch_size, max_length, num_classes). Received: y_pred.shape=" + Shapes.toString(p));
        }
        if (t[0] != p[0]) {
            throw new IllegalArgumentException("Loss 'ctc': " + t[0] + " label rows for " + p[0]
                    + " logit rows (y_true " + Shapes.toString(t) + ", y_pred " + Shapes.toString(p) + ")");
        }
        return new int[] {p[0]};
    }

    @Override
    protected void rows(Tensor yTrue, Tensor yPred, int rows, int cols, double[] values, double[] coef, float[] grad) {
        int maxLen = yTrue.shape()[1];
        int steps = yPred.shape()[1];
        int classes = yPred.shape()[2];
        float[] t = yTrue.data();
        float[] z = yPred.data();
        for (int b = 0; b < rows; b++) {
            int length = 0;
            for (int j = 0; j < maxLen; j++) {
                length += t[b * maxLen + j] != 0f ? 1 : 0;
            }
            int[] labels = new int[length];
            for (int j = 0; j < length; j++) {
                labels[j] = (int) t[b * maxLen + j];
                if (labels[j] < 0 || labels[j] >= classes) {
                    throw new IllegalArgumentException("Loss 'ctc': label " + labels[j] + " of sample " + b
                            + " is outside [0, " + classes + ") for logits with " + classes + " classes");
                }
            }
            values[b] = sample(labels, z, b * steps * classes, steps, classes, grad, grad == null ? 0 : coef[b]);
        }
    }

    private static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double m = Math.max(a, b);
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    }

    /** -log p(labels | logits) of one sample by the forward-backward recursions; writes scale * d/d logits. */
    private static double sample(int[] labels, float[] z, int off, int steps, int classes, float[] grad, double scale) {
        int states = 2 * labels.length + 1;
        int[] ext = new int[states];   // blank, l1, blank, l2, ..., blank
        for (int j = 0; j < labels.length; j++) {
            ext[2 * j + 1] = labels[j];
        }
        double[][] lp = new double[steps][classes];
        for (int s = 0; s < steps; s++) {
            double lse = CategoricalCrossentropy.logSumExp(z, off + s * classes, classes);
            for (int k = 0; k < classes; k++) {
                lp[s][k] = z[off + s * classes + k] - lse;
            }
        }
        double[][] alpha = new double[steps][states];
        for (double[] a : alpha) {
            Arrays.fill(a, Double.NEGATIVE_INFINITY);
        }
        if (steps == 0) {
            return labels.length == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        alpha[0][0] = lp[0][ext[0]];
        if (states > 1) {
            alpha[0][1] = lp[0][ext[1]];
        }
        for (int s = 1; s < steps; s++) {
            for (int q = 0; q < states; q++) {
                double a = alpha[s - 1][q];
                if (q >= 1) {
                    a = logAdd(a, alpha[s - 1][q - 1]);
                }
                if (skips(ext, q)) {
                    a = logAdd(a, alpha[s - 1][q - 2]);
                }
                alpha[s][q] = a == Double.NEGATIVE_INFINITY ? a : a + lp[s][ext[q]];
            }
        }
        double logL = alpha[steps - 1][states - 1];
        if (states > 1) {
            logL = logAdd(logL, alpha[steps - 1][states - 2]);
        }
        if (logL == Double.NEGATIVE_INFINITY) {
            if (grad != null) {
                Arrays.fill(grad, off, off + steps * classes, 0f);
            }
            return Double.POSITIVE_INFINITY;
        }
        if (grad == null) {
            return -logL;
        }
        double[][] beta = new double[steps][states];
        for (double[] a : beta) {
            Arrays.fill(a, Double.NEGATIVE_INFINITY);
        }
        beta[steps - 1][states - 1] = lp[steps - 1][ext[states - 1]];
        if (states > 1) {
            beta[steps - 1][states - 2] = lp[steps - 1][ext[states - 2]];
        }
        for (int s = steps - 2; s >= 0; s--) {
            for (int q = 0; q < states; q++) {
                double b = beta[s + 1][q];
                if (q + 1 < states) {
                    b = logAdd(b, beta[s + 1][q + 1]);
                }
                if (q + 2 < states && skips(ext, q + 2)) {
                    b = logAdd(b, beta[s + 1][q + 2]);
                }
                beta[s][q] = b == Double.NEGATIVE_INFINITY ? b : b + lp[s][ext[q]];
            }
        }
        double[] occupancy = new double[classes];
        for (int s = 0; s < steps; s++) {
            Arrays.fill(occupancy, 0);
            for (int q = 0; q < states; q++) {
                double ab = alpha[s][q] + beta[s][q];
                if (ab != Double.NEGATIVE_INFINITY) {
                    // alpha and beta both include the emission at s: divide it out once
                    occupancy[ext[q]] += Math.exp(ab - lp[s][ext[q]] - logL);
                }
            }
            for (int k = 0; k < classes; k++) {
                grad[off + s * classes + k] = scale == 0 ? 0f : (float) (scale * (Math.exp(lp[s][k]) - occupancy[k]));
            }
        }
        return -logL;
    }

    /** Whether state q may be entered from q - 2: q is a label position whose label differs from the previous one. */
    private static boolean skips(int[] ext, int q) {
        return q >= 2 && q % 2 == 1 && ext[q] != ext[q - 2];
    }

    @Override
    protected void rows(float[] t, float[] p, int rows, int cols, double[] values, double[] coef, float[] grad) {
        throw new UnsupportedOperationException("needs the shapes");
    }
}
