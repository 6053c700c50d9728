package org.rnn4j.losses;

import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's categorical_crossentropy over the last axis. Probabilities are renormalised to sum 1 and
 * clipped to {@code [1e-7, 1 - 1e-7]} in float32 as Keras does; {@code fromLogits} uses a log-softmax.
 * Label smoothing maps {@code t -> t (1 - s) + s / C}.
 */
public class CategoricalCrossentropy extends BaseLoss {
    private final boolean fromLogits;
    private final float labelSmoothing;

    public CategoricalCrossentropy() {
        this(false, 0);
    }

    public CategoricalCrossentropy(boolean fromLogits) {
        this(fromLogits, 0);
    }

    public CategoricalCrossentropy(boolean fromLogits, double labelSmoothing) {
        this("categorical_crossentropy", "CategoricalCrossentropy", fromLogits, labelSmoothing);
    }

    CategoricalCrossentropy(String name, String className, boolean fromLogits, double labelSmoothing) {
        super(name, className, "sum_over_batch_size");
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException(className + ": labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        this.fromLogits = fromLogits;
        this.labelSmoothing = (float) labelSmoothing;
    }

    public boolean fromLogits() {
        return fromLogits;
    }

    public double labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    protected int[] valuesShape(Tensor yTrue, Tensor yPred) {
        if (!java.util.Arrays.equals(yTrue.shape(), yPred.shape())) {
            throw new IllegalArgumentException("Loss '" + name() + "': one-hot targets of shape "
                    + Shapes.toString(yTrue.shape()) + " do not match predictions of shape "
                    + Shapes.toString(yPred.shape()) + " (arguments `target` and `output` must have the same shape)"
                    + "; for integer class labels use 'sparse_categorical_crossentropy'");
        }
        int[] s = yPred.shape();
        return s.length == 0 ? s : java.util.Arrays.copyOf(s, s.length - 1);
    }

    @Override
    protected void rows(float[] t, float[] p, int rows, int cols, double[] values, double[] coef, float[] grad) {
        float[] target = new float[cols];
        double[] work = new double[cols];
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            for (int j = 0; j < cols; j++) {
                float tj = t[off + j];
                target[j] = labelSmoothing == 0f ? tj : tj * (1f - labelSmoothing) + labelSmoothing / cols;
            }
            values[r] = row(target, p, off, cols, grad, grad == null ? 0 : coef[r], work);
        }
    }

    /** The loss of one row against a target distribution; writes {@code scale * dL/dp} into {@code grad}. */
    double row(float[] target, float[] p, int off, int classes, float[] grad, double scale, double[] work) {
        if (fromLogits) {
            double lse = logSumExp(p, off, classes);
            double loss = 0;
            double tSum = 0;
            for (int j = 0; j < classes; j++) {
                loss -= target[j] * (p[off + j] - lse);
                tSum += target[j];
            }
            if (grad != null) {
                for (int j = 0; j < classes; j++) {
                    double softmax = Math.exp(p[off + j] - lse);
                    grad[off + j] = (float) (scale * (tSum * softmax - target[j]));
                }
            }
            return loss;
        }
        double s = 0;
        for (int j = 0; j < classes; j++) {
            s += p[off + j];
        }
        double loss = 0;
        double weighted = 0;
        for (int j = 0; j < classes; j++) {
            float q = (float) (p[off + j] / s);
            loss -= target[j] * Math.log(clip(q));
            if (grad != null) {
                // dL/dq_j, zero where Keras's clip is active
                double g = clipped(q) ? 0 : -target[j] / (double) q;
                work[j] = g;
                weighted += g * q;
            }
        }
        if (grad != null) {
            // q = p / sum(p): dL/dp_k = (dL/dq_k - sum_j dL/dq_j q_j) / s
            for (int j = 0; j < classes; j++) {
                grad[off + j] = (float) (scale * (work[j] - weighted) / s);
            }
        }
        return loss;
    }

    static double logSumExp(float[] p, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, p[off + j]);
        }
        double sumExp = 0;
        for (int j = 0; j < n; j++) {
            sumExp += Math.exp(p[off + j] - max);
        }
        return max + Math.log(sumExp);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("from_logits", fromLogits);
        c.put("label_smoothing", (double) labelSmoothing);
        c.put("axis", -1);
        return c;
    }
}
