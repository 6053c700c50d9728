package org.rnn4j.losses;

import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's Circle loss over a batch of L2-normalised embeddings {@code p} (batch, dim) and integer labels
 * {@code t} (batch) or (batch, 1): with cosine distances {@code D = max(1 - p p^T, 0)}, positives the other
 * samples of the same label (and the sample itself unless {@code removeDiagonal}) and negatives the samples
 * of other labels, sample {@code i} scores
 * {@code softplus(logsumexp_pos(-gamma max(m + D, 0) (m - D)) + logsumexp_neg(gamma max(1 + m - D, 0) (1 - m - D)))}.
 * A sample without positives or negatives scores 0, and, as Keras masks every value that is not positive,
 * such samples leave the mean ({@code sum_over_batch_size} divides by the number of positive values).
 */
public final class Circle extends BaseLoss {
    private final double gamma;
    private final double margin;
    private final boolean removeDiagonal;

    public Circle() {
        this(80.0, 0.4, true);
    }

    public Circle(double gamma, double margin, boolean removeDiagonal) {
        super("circle", "Circle", "sum_over_batch_size");
        this.gamma = gamma;
        this.margin = margin;
        this.removeDiagonal = removeDiagonal;
    }

    public double gamma() {
        return gamma;
    }

    public double margin() {
        return margin;
    }

    public boolean removeDiagonal() {
        return removeDiagonal;
    }

    @Override
    protected int[] valuesShape(Tensor yTrue, Tensor yPred) {
        int[] p = yPred.shape();
        int[] t = yTrue.shape();
        boolean labelsOk = (t.length == 1 || (t.length == 2 && t[1] == 1)) && p.length == 2 && t[0] == p[0];
        if (!labelsOk) {
            throw new IllegalArgumentException("Loss '" + name() + "': needs embeddings of shape (batch, dim) and"
                    + " integer labels of shape (batch,) or (batch, 1); got labels " + Shapes.toString(t)
                    + " and embeddings " + Shapes.toString(p));
        }
        return new int[] {p[0]};
    }

    @Override
    protected boolean[] validMask(Tensor yTrue, Tensor yPred, int rows) {
        double[] values = new double[rows];
        compute(yTrue.data(), yPred.data(), rows, yTrue.data(), yPred.data(), rows, yPred.size() / Math.max(rows, 1),
                values, null, null);
        boolean[] mask = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            mask[r] = (float) values[r] > 0f; // Keras: set_keras_mask(loss, loss > 0), in float32
        }
        return mask;
    }

    @Override
    protected void rows(float[] t, float[] p, int rows, int cols, double[] values, double[] coef, float[] grad) {
        compute(t, p, rows, t, p, rows, cols, values, coef, grad);
    }

    /**
     * Keras's {@code circle} function: the per-sample values of {@code yPred} against reference embeddings
     * and labels (the batch itself when both are null), unreduced and unmasked.
     */
    public static Tensor circle(Tensor yTrue, Tensor yPred, Tensor refLabels, Tensor refEmbeddings,
            boolean removeDiagonal, double gamma, double margin) {
        Circle c = new Circle(gamma, margin, removeDiagonal);
        int n = c.valuesShape(yTrue, yPred)[0];
        Tensor rl = refLabels == null ? yTrue : refLabels;
        Tensor re = refEmbeddings == null ? yPred : refEmbeddings;
        int refs = c.valuesShape(rl, re)[0];
        int dim = yPred.shape()[1];
        if (re.shape()[1] != dim) {
            throw new IllegalArgumentException("circle: reference embeddings of shape " + Shapes.toString(re.shape())
                    + " do not match embeddings of shape " + Shapes.toString(yPred.shape()) + " (same dim needed)");
        }
        double[] values = new double[n];
        c.compute(yTrue.data(), yPred.data(), n, rl.data(), re.data(), refs, dim, values, null, null);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) values[i];
        }
        return Tensor.of(out, n);
    }

    /**
     * Values of the {@code n} queries against {@code refs} references; the gradient (when asked) is taken
     * through the queries and, when the references are the queries themselves, through them too.
     */
    private void compute(float[] t, float[] p, int n, float[] refT, float[] refP, int refs, int dim,
            double[] values, double[] coef, float[] grad) {
        int[] label = new int[n];
        for (int i = 0; i < n; i++) {
            label[i] = (int) t[i]; // cast to int32 truncates, as Keras's ops.cast
        }
        int[] refLabel = new int[refs];
        for (int j = 0; j < refs; j++) {
            refLabel[j] = (int) refT[j];
        }
        boolean self = refP == p;
        double m = margin;
        double[] dist = new double[refs];
        boolean[] pos = new boolean[refs];
        boolean[] neg = new boolean[refs];
        double[] v = new double[refs];
        double[] dv = new double[refs];
        boolean[] open = new boolean[refs];
        if (grad != null) {
            java.util.Arrays.fill(grad, 0, n * dim, 0f);
        }
        for (int i = 0; i < n; i++) {
            double pMax = Double.NEGATIVE_INFINITY;
            double nMax = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < refs; j++) {
                double s = 0;
                for (int k = 0; k < dim; k++) {
                    s += (double) p[i * dim + k] * refP[j * dim + k];
                }
                open[j] = 1 - s >= 0; // TF's maximum(x, 0) passes the gradient on a tie
                dist[j] = Math.max(1 - s, 0);
                pos[j] = label[i] == refLabel[j] && !(removeDiagonal && i == j);
                neg[j] = label[i] != refLabel[j];
                double d = dist[j];
                if (pos[j]) {
                    double a = m + d;
                    double w = Math.max(a, 0);
                    v[j] = -gamma * w * (m - d);
                    dv[j] = -gamma * ((a >= 0 ? 1 : 0) * (m - d) - w);
                    pMax = Math.max(pMax, v[j]);
                } else if (neg[j]) {
                    double b = 1 + m - d;
                    double w = Math.max(b, 0);
                    v[j] = gamma * w * (1 - m - d);
                    dv[j] = -gamma * ((b >= 0 ? 1 : 0) * (1 - m - d) + w);
                    nMax = Math.max(nMax, v[j]);
                }
            }
            if (pMax == Double.NEGATIVE_INFINITY || nMax == Double.NEGATIVE_INFINITY) {
                values[i] = 0; // softplus(-inf)
                continue;
            }
            double pSum = 0;
            double nSum = 0;
            for (int j = 0; j < refs; j++) {
                if (pos[j]) {
                    pSum += Math.exp(v[j] - pMax);
                } else if (neg[j]) {
                    nSum += Math.exp(v[j] - nMax);
                }
            }
            double x = pMax + Math.log(pSum) + nMax + Math.log(nSum);
            values[i] = x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
            if (grad == null || coef[i] == 0) {
                continue;
            }
            double sig = coef[i] / (1 + Math.exp(-x));
            for (int j = 0; j < refs; j++) {
                if (!(pos[j] || neg[j]) || !open[j]) {
                    continue;
                }
                double soft = pos[j] ? Math.exp(v[j] - pMax) / pSum : Math.exp(v[j] - nMax) / nSum;
                double g = -sig * soft * dv[j]; // d loss / d S_ij, with dD/dS = -1
                for (int k = 0; k < dim; k++) {
                    grad[i * dim + k] += (float) (g * refP[j * dim + k]);
                    if (self) {
                        grad[j * dim + k] += (float) (g * p[i * dim + k]);
                    }
                }
            }
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("gamma", gamma);
        c.put("margin", margin);
        c.put("remove_diagonal", removeDiagonal);
        return c;
    }
}
