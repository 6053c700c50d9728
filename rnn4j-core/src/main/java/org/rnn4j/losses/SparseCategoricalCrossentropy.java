package org.rnn4j.losses;

import java.util.Arrays;
import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's sparse_categorical_crossentropy: integer class labels (stored as floats) of shape
 * {@code yPred.shape[:-1]} or with a trailing axis of size 1. Without logits, as Keras's TensorFlow
 * backend: {@code q = clip(p)} in float32, loss {@code -log q_k + log sum_j q_j}. With
 * {@code ignoreClass}, positions labelled with that class have loss 0 and are masked out of the
 * reduction (the mean is over the other positions), as Keras.
 */
public final class SparseCategoricalCrossentropy extends BaseLoss {
    private final boolean fromLogits;
    private final Integer ignoreClass;

    public SparseCategoricalCrossentropy() {
        this(false, null);
    }

    public SparseCategoricalCrossentropy(boolean fromLogits) {
        this(fromLogits, null);
    }

    public SparseCategoricalCrossentropy(boolean fromLogits, Integer ignoreClass) {
        super("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy", "sum_over_batch_size");
        this.fromLogits = fromLogits;
        this.ignoreClass = ignoreClass;
    }

    public boolean fromLogits() {
        return fromLogits;
    }

    public Integer ignoreClass() {
        return ignoreClass;
    }

    @Override
    protected int[] valuesShape(Tensor yTrue, Tensor yPred) {
        int[] p = yPred.shape();
        int[] v = p.length == 0 ? p : Arrays.copyOf(p, p.length - 1);
        int[] t = yTrue.shape();
        if (t.length == p.length && t.length > 0 && t[t.length - 1] == 1) {
            t = Arrays.copyOf(t, t.length - 1);
        }
        if (!Arrays.equals(t, v) && yTrue.size() != Shapes.size(v)) {
            throw mismatch(yTrue, yPred);
        }
        if (yTrue.size() != Shapes.size(v)) {
            throw mismatch(yTrue, yPred);
        }
        return v;
    }

    private IllegalArgumentException mismatch(Tensor yTrue, Tensor yPred) {
        return new IllegalArgumentException("Loss '" + name() + "': expects one integer label per row of the"
                + " predictions " + Shapes.toString(yPred.shape()) + " but the targets have shape "
                + Shapes.toString(yTrue.shape()) + "; for one-hot targets use 'categorical_crossentropy'");
    }

    @Override
    protected boolean[] validMask(Tensor yTrue, Tensor yPred, int rows) {
        if (ignoreClass == null) {
            return null;
        }
        boolean[] m = new boolean[rows];
        float[] l = yTrue.data();
        for (int r = 0; r < rows; r++) {
            m[r] = l[r] != ignoreClass.floatValue();
        }
        return m;
    }

    @Override
    protected void rows(float[] labels, float[] p, int rows, int classes, double[] values, double[] coef, float[] grad) {
        for (int r = 0; r < rows; r++) {
            int off = r * classes;
            if (ignoreClass != null && labels[r] == ignoreClass.floatValue()) {
                values[r] = 0;
                if (grad != null) {
                    Arrays.fill(grad, off, off + classes, 0f);
                }
                continue;
            }
            int k = Math.round(labels[r]);
            if (k < 0 || k >= classes || labels[r] != k) {
                throw new IllegalArgumentException("Loss '" + name() + "': label " + labels[r] + " at row " + r
                        + " is not a class index in [0, " + (classes - 1) + "]");
            }
            double scale = grad == null ? 0 : coef[r];
            if (fromLogits) {
                double lse = CategoricalCrossentropy.logSumExp(p, off, classes);
                values[r] = lse - p[off + k];
                if (grad != null) {
                    for (int j = 0; j < classes; j++) {
                        double softmax = Math.exp(p[off + j] - lse);
                        grad[off + j] = (float) (scale * (softmax - (j == k ? 1 : 0)));
                    }
                }
                continue;
            }
            double s = 0;
            for (int j = 0; j < classes; j++) {
                s += clip(p[off + j]);
            }
            values[r] = -Math.log(clip(p[off + k])) + Math.log(s);
            if (grad != null) {
                for (int j = 0; j < classes; j++) {
                    float pj = p[off + j];
                    double g = clipped(pj) ? 0 : 1 / s - (j == k ? 1 / (double) pj : 0);
                    grad[off + j] = (float) (scale * g);
                }
            }
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("from_logits", fromLogits);
        c.put("ignore_class", ignoreClass);
        return c;
    }
}
