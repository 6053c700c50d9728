package org.rnn4j.losses;

import java.util.Arrays;
import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's CategoricalGeneralizedCrossEntropy: {@code (1 - p^q) / q} with {@code p} the predicted probability
 * of the true class (no clipping), for integer labels of shape {@code yPred.shape[:-1]}. A label outside
 * {@code [0, classes)} one-hot encodes to zeros in Keras, so it scores {@code 1 / q} with no gradient.
 * Keras 3.15 does not register this loss under a string name; it is read from a config by class name.
 */
public final class CategoricalGeneralizedCrossEntropy extends BaseLoss {
    private final double q;

    public CategoricalGeneralizedCrossEntropy() {
        this(0.5);
    }

    public CategoricalGeneralizedCrossEntropy(double q) {
        super("categorical_generalized_cross_entropy", "CategoricalGeneralizedCrossEntropy", "sum_over_batch_size");
        if (!(q > 0 && q < 1)) {
            throw new IllegalArgumentException("CategoricalGeneralizedCrossEntropy: q must be in the interval (0, 1), got " + q);
        }
        this.q = q;
    }

    public double q() {
        return q;
    }

    @Override
    protected int[] valuesShape(Tensor yTrue, Tensor yPred) {
        int[] p = yPred.shape();
        int[] v = p.length == 0 ? p : Arrays.copyOf(p, p.length - 1);
        if (p.length < 2 || !Arrays.equals(yTrue.shape(), v)) {
            // Keras would one-hot (batch, 1) labels to (batch, 1, classes) and broadcast a (batch, batch) loss
            throw new IllegalArgumentException("Loss '" + name() + "': integer labels of shape "
                    + Shapes.toString(yTrue.shape()) + " do not fit predictions of shape " + Shapes.toString(p)
                    + "; give labels of shape " + Shapes.toString(v) + " (one class index per prediction row)");
        }
        return v;
    }

    @Override
    protected void rows(float[] t, float[] p, int rows, int cols, double[] values, double[] coef, float[] grad) {
        if (grad != null) {
            Arrays.fill(grad, 0, rows * cols, 0f);
        }
        for (int r = 0; r < rows; r++) {
            int label = (int) t[r];
            boolean inRange = label >= 0 && label < cols;
            double pr = inRange ? p[r * cols + label] : 0;
            values[r] = (1 - Math.pow(pr, q)) / q;
            if (grad != null && inRange && coef[r] != 0) {
                grad[r * cols + label] = (float) (-coef[r] * Math.pow(pr, q - 1));
            }
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("q", q);
        return c;
    }
}
