package org.rnn4j.losses;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's categorical_crossentropy over the last axis, averaged over every other position.
 * Probabilities are renormalised to sum 1 and clipped to {@code [1e-7, 1 - 1e-7]} as Keras does;
 * {@code fromLogits} uses a log-softmax. Label smoothing maps {@code t -> t (1 - s) + s / C}.
 */
public class CategoricalCrossentropy implements Loss {
    private final boolean fromLogits;
    private final float labelSmoothing;

    public CategoricalCrossentropy() {
        this(false, 0);
    }

    public CategoricalCrossentropy(boolean fromLogits) {
        this(fromLogits, 0);
    }

    public CategoricalCrossentropy(boolean fromLogits, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException(className() + ": labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        this.fromLogits = fromLogits;
        this.labelSmoothing = (float) labelSmoothing;
    }

    public boolean fromLogits() {
        return fromLogits;
    }

    @Override
    public String name() {
        return "categorical_crossentropy";
    }

    @Override
    public String className() {
        return "CategoricalCrossentropy";
    }

    @Override
    public double compute(Tensor yTrue, Tensor yPred) {
        return computeWithGradient(yTrue, yPred, null);
    }

    @Override
    public double computeWithGradient(Tensor yTrue, Tensor yPred, float[] grad) {
        if (!java.util.Arrays.equals(yTrue.shape(), yPred.shape())) {
            throw new IllegalArgumentException("Loss '" + name() + "': one-hot targets of shape "
                    + Shapes.toString(yTrue.shape()) + " do not match predictions of shape "
                    + Shapes.toString(yPred.shape())
                    + "; for integer class labels use 'sparse_categorical_crossentropy'");
        }
        int classes = yPred.dim(-1);
        int rows = yPred.size() / Math.max(1, classes);
        float[] t = yTrue.data();
        float[] target = new float[classes];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int off = r * classes;
            for (int j = 0; j < classes; j++) {
                float tj = t[off + j];
                target[j] = labelSmoothing == 0f ? tj : tj * (1f - labelSmoothing) + labelSmoothing / classes;
            }
            total += row(target, yPred.data(), off, classes, fromLogits, grad, 1.0 / rows);
        }
        return rows == 0 ? 0 : total / rows;
    }

    /**
     * Cross-entropy of one row against a target distribution; writes {@code scale * dL/dp} into
     * {@code grad} when it is not null.
     */
    static double row(float[] target, float[] p, int off, int classes, boolean fromLogits, float[] grad, double scale) {
        if (fromLogits) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, p[off + j]);
            }
            double sumExp = 0;
            for (int j = 0; j < classes; j++) {
                sumExp += Math.exp(p[off + j] - max);
            }
            double lse = max + Math.log(sumExp);
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
        double eps = BinaryCrossentropy.EPSILON;
        for (int j = 0; j < classes; j++) {
            double q = p[off + j] / s;
            double c = Math.min(Math.max(q, eps), 1 - eps);
            loss -= target[j] * Math.log(c);
            if (grad != null) {
                // dL/dq_j, zero where Keras's clip is active
                double g = (q < eps || q > 1 - eps) ? 0 : -target[j] / q;
                grad[off + j] = (float) g;
                weighted += g * q;
            }
        }
        if (grad != null) {
            // q = p / sum(p): dL/dp_k = (dL/dq_k - sum_j dL/dq_j q_j) / s
            for (int j = 0; j < classes; j++) {
                grad[off + j] = (float) (scale * (grad[off + j] - weighted) / s);
            }
        }
        return loss;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name());
        c.put("reduction", "sum_over_batch_size");
        c.put("from_logits", fromLogits);
        c.put("label_smoothing", (double) labelSmoothing);
        c.put("axis", -1);
        return c;
    }

    @Override
    public String toString() {
        return name();
    }
}
