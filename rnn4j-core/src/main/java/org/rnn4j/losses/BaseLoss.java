package org.rnn4j.losses;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * The machinery of Keras's {@code Loss.__call__} shared by every built-in loss: per-sample values
 * from the subclass, a validity mask (for {@code ignore_class}), sample weights broadcast as Keras's
 * {@code squeeze_or_expand_to_same_rank} does, and the reduction, with the exact gradient of all of it.
 *
 * <p>Sample weights: a scalar, or a tensor whose shape matches the values' shape
 * ({@code yPred.shape[:-1]}), possibly with a trailing axis of 1 (e.g. {@code (batch, 1)}). A weight of
 * lower rank than the values broadcasts as numpy does (aligned right) when that fits, else along the
 * leading axes (so a {@code (batch,)} weight weights every timestep of a sample).
 */
public abstract class BaseLoss implements Loss {
    private String name;
    private final String className;
    private String reduction;

    protected BaseLoss(String name, String className, String reduction) {
        this.name = name;
        this.className = className;
        this.reduction = checkReduction(reduction);
    }

    /** Keras's {@code standardize_reduction}: null and {@code "none"} mean no reduction. */
    static String checkReduction(String r) {
        if (r == null) {
            return null;
        }
        switch (r) {
            case "sum_over_batch_size":
            case "sum":
            case "none":
            case "mean":
            case "mean_with_sample_weight":
                return r;
            default:
                throw new IllegalArgumentException("Invalid value for argument `reduction`. Expected one of"
                        + " sum_over_batch_size, sum, mean, mean_with_sample_weight, none or null. Received: reduction=" + r);
        }
    }

    /** The shape of the per-sample values (validates the shapes of targets and predictions). */
    protected abstract int[] valuesShape(Tensor yTrue, Tensor yPred);

    /** Per-value validity (false = ignored, e.g. {@code ignore_class}); null when every value counts. */
    protected boolean[] validMask(Tensor yTrue, Tensor yPred, int rows) {
        return null;
    }

    /**
     * Writes the unweighted value of each of {@code rows} rows ({@code cols} predictions each) into
     * {@code values}; when {@code grad} is not null also {@code grad[i] = coef[r] * d values[r] / d p[i]}
     * for every prediction of row {@code r} (overwriting).
     */
    protected abstract void rows(float[] t, float[] p, int rows, int cols, double[] values, double[] coef, float[] grad);

    /**
     * {@link #rows(float[], float[], int, int, double[], double[], float[])} with the tensors' shapes at
     * hand, for losses whose rows are not contiguous blocks of the last axis (Dice over chosen axes) or
     * whose targets are shaped differently from the predictions (labels).
     */
    protected void rows(Tensor yTrue, Tensor yPred, int rows, int cols, double[] values, double[] coef, float[] grad) {
        rows(yTrue.data(), yPred.data(), rows, cols, values, coef, grad);
    }

    @Override
    public String name() {
        return name;
    }

    /** Renames the loss (Keras's {@code name} argument). */
    public BaseLoss name(String value) {
        this.name = value;
        return this;
    }

    @Override
    public String className() {
        return className;
    }

    @Override
    public String reduction() {
        return reduction;
    }

    /** Sets the reduction: {@code sum_over_batch_size}, {@code sum}, {@code mean}, {@code mean_with_sample_weight}, {@code none} or null. */
    public BaseLoss reduction(String value) {
        this.reduction = checkReduction(value);
        return this;
    }

    @Override
    public final double compute(Tensor yTrue, Tensor yPred) {
        return run(yTrue, yPred, null, null, null);
    }

    @Override
    public final double compute(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        return run(yTrue, yPred, sampleWeight, null, null);
    }

    @Override
    public final double computeWithGradient(Tensor yTrue, Tensor yPred, float[] grad) {
        return run(yTrue, yPred, null, grad, null);
    }

    @Override
    public final double computeWithGradient(Tensor yTrue, Tensor yPred, Tensor sampleWeight, float[] grad) {
        return run(yTrue, yPred, sampleWeight, grad, null);
    }

    /** Keras's {@code call}: the unweighted per-sample values, shape {@code yPred.shape[:-1]}. */
    public Tensor call(Tensor yTrue, Tensor yPred) {
        int[] shape = valuesShape(yTrue, yPred);
        int rows = (int) Shapes.size(shape);
        double[] values = new double[rows];
        rows(yTrue, yPred, rows, cols(yPred, rows), values, null, null);
        boolean[] mask = validMask(yTrue, yPred, rows);
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = mask != null && !mask[r] ? 0f : (float) values[r];
        }
        return Tensor.of(out, shape);
    }

    /** What Keras returns with {@code reduction="none"}: the per-sample values times the sample weights (and mask). */
    public Tensor computeValues(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        int[] shape = valuesShape(yTrue, yPred);
        double[][] out = new double[1][];
        run(yTrue, yPred, sampleWeight, null, out);
        float[] f = new float[out[0].length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) out[0][i];
        }
        // a scalar loss times a weight tensor has the weight's shape, as in Keras
        return Tensor.of(f, f.length == Shapes.size(shape) ? shape : sampleWeight.shape());
    }

    private static int cols(Tensor yPred, int rows) {
        return rows == 0 ? 0 : yPred.size() / rows;
    }

    private double run(Tensor yTrue, Tensor yPred, Tensor sampleWeight, float[] grad, double[][] weightedOut) {
        int[] vShape = valuesShape(yTrue, yPred);
        int rows = (int) Shapes.size(vShape);
        int cols = cols(yPred, rows);
        if (grad != null && grad.length < yPred.size()) {
            throw new IllegalArgumentException("Loss '" + name + "': gradient buffer has " + grad.length
                    + " values for predictions of " + yPred.size());
        }
        if (vShape.length == 0 && sampleWeight != null && sampleWeight.size() > 1) {
            return scalarTimesWeights(yTrue, yPred, sampleWeight, grad, weightedOut);
        }
        boolean[] mask = validMask(yTrue, yPred, rows);
        double[] w = new double[rows];
        double swSum = sampleWeight == null ? Double.NaN : broadcastWeights(sampleWeight, vShape, w);
        if (sampleWeight == null) {
            Arrays.fill(w, 1.0);
        }
        boolean noReduction = reduction == null || reduction.equals("none") || vShape.length == 0 || rows == 0;
        if (mask != null) {
            int valid = 0;
            for (boolean b : mask) {
                valid += b ? 1 : 0;
            }
            boolean rescale = !noReduction && (reduction.equals("mean") || reduction.equals("sum_over_batch_size"));
            double maskWeight = rescale ? (valid == 0 ? 0 : (double) rows / valid) : 1.0;
            swSum = 0;
            for (int r = 0; r < rows; r++) {
                w[r] = mask[r] ? w[r] * maskWeight : 0;
                swSum += w[r];
            }
        }
        double divisor = 1;
        if (!noReduction && !reduction.equals("sum")) {
            divisor = reduction.equals("mean_with_sample_weight") && !Double.isNaN(swSum) ? swSum : rows;
        }
        double[] coef = new double[rows];
        for (int r = 0; r < rows; r++) {
            coef[r] = divisor == 0 ? 0 : w[r] / divisor;
        }
        double[] values = new double[rows];
        rows(yTrue, yPred, rows, cols, values, grad == null ? null : coef, grad);
        double total = 0;
        double[] weighted = weightedOut == null ? null : new double[rows];
        for (int r = 0; r < rows; r++) {
            if (w[r] != 0) { // a zero weight (or an ignored value) contributes exactly 0, as where() in Keras
                total += values[r] * w[r];
                if (weighted != null) {
                    weighted[r] = values[r] * w[r];
                }
            }
        }
        if (weightedOut != null) {
            weightedOut[0] = weighted;
        }
        return divisor == 0 ? 0 : total / divisor;
    }

    /**
     * A loss reduced to one number (Dice or Tversky with {@code axis=None}) times a weight tensor: Keras
     * broadcasts the scalar to the weight's shape and reduces that, so the result is
     * {@code value * sum(w) / divisor} with {@code divisor = w.size} ({@code sum_over_batch_size},
     * {@code mean}), {@code sum(w)} ({@code mean_with_sample_weight}) or 1 ({@code sum}, none).
     */
    private double scalarTimesWeights(Tensor yTrue, Tensor yPred, Tensor sampleWeight, float[] grad, double[][] weightedOut) {
        double swSum = 0;
        for (float x : sampleWeight.data()) {
            swSum += x;
        }
        double divisor = 1;
        if (reduction != null && !reduction.equals("none") && !reduction.equals("sum")) {
            divisor = reduction.equals("mean_with_sample_weight") ? swSum : sampleWeight.size();
        }
        double scale = divisor == 0 ? 0 : swSum / divisor;
        double[] values = new double[1];
        rows(yTrue, yPred, 1, yPred.size(), values, grad == null ? null : new double[] {scale}, grad);
        if (weightedOut != null) {
            float[] sw = sampleWeight.data();
            weightedOut[0] = new double[sw.length];
            for (int i = 0; i < sw.length; i++) {
                weightedOut[0][i] = values[0] * sw[i];
            }
        }
        return values[0] * scale;
    }

    /**
     * Fills {@code out} (one entry per value) with the broadcast sample weight; returns the sum of
     * the weight tensor itself (Keras's divisor for {@code mean_with_sample_weight}).
     */
    static double broadcastWeights(Tensor sampleWeight, int[] vShape, double[] out) {
        float[] sw = sampleWeight.data();
        double sum = 0;
        for (float x : sw) {
            sum += x;
        }
        int[] s = sampleWeight.shape();
        int[] v = vShape;
        // squeeze_or_expand_to_same_rank(values, sample_weight)
        if (v.length == s.length + 1 && v[v.length - 1] == 1) {
            v = Arrays.copyOf(v, v.length - 1);
        } else if (s.length == v.length + 1 && s[s.length - 1] == 1) {
            s = Arrays.copyOf(s, s.length - 1);
        }
        int n = out.length;
        if (sw.length == 1) {
            Arrays.fill(out, sw[0]);
            return sum;
        }
        if (s.length > v.length) {
            throw weightError(sampleWeight, vShape);
        }
        int[] aligned = alignRight(s, v);
        if (aligned == null) {
            aligned = alignLeft(s, v);
        }
        if (aligned == null) {
            throw weightError(sampleWeight, vShape);
        }
        // aligned[k] = size of the weight along values axis k (1 = broadcast)
        int[] idx = new int[v.length];
        for (int i = 0; i < n; i++) {
            int rem = i;
            for (int k = v.length - 1; k >= 0; k--) {
                idx[k] = rem % v[k];
                rem /= v[k];
            }
            int off = 0;
            for (int k = 0; k < v.length; k++) {
                off = off * aligned[k] + (aligned[k] == 1 ? 0 : idx[k]);
            }
            out[i] = sw[off];
        }
        return sum;
    }

    private static int[] alignRight(int[] s, int[] v) {
        int[] a = new int[v.length];
        Arrays.fill(a, 1);
        for (int k = 0; k < s.length; k++) {
            int vk = v.length - s.length + k;
            if (s[k] != v[vk] && s[k] != 1) {
                return null;
            }
            a[vk] = s[k];
        }
        return a;
    }

    private static int[] alignLeft(int[] s, int[] v) {
        int[] a = new int[v.length];
        Arrays.fill(a, 1);
        for (int k = 0; k < s.length; k++) {
            if (s[k] != v[k] && s[k] != 1) {
                return null;
            }
            a[k] = s[k];
        }
        return a;
    }

    private static IllegalArgumentException weightError(Tensor sw, int[] vShape) {
        return new IllegalArgumentException("sample_weight of shape " + Shapes.toString(sw.shape())
                + " does not broadcast to the per-sample losses of shape " + Shapes.toString(vShape));
    }

    /** Keras's {@code Loss.get_config}: name and reduction; subclasses add their options. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("reduction", reduction);
        return c;
    }

    @Override
    public String toString() {
        return name;
    }

    /** The values' shape for losses comparing targets and predictions element by element (Keras's squeeze_or_expand_to_same_rank). */
    static int[] elementwiseValuesShape(Loss loss, Tensor yTrue, Tensor yPred, boolean requireSameShape) {
        int[] t = yTrue.shape();
        int[] p = yPred.shape();
        int[] e = p;
        if (t.length == p.length + 1 && t[t.length - 1] == 1 && p.length == 1) {
            e = new int[] {p[0], 1};
        } else if (p.length == t.length + 1 && p[p.length - 1] == 1 && t.length != 1) {
            e = Arrays.copyOf(p, p.length - 1);
        }
        int[] a = stripTrailingOne(t);
        int[] b = stripTrailingOne(e);
        if (!Arrays.equals(a, b) || (requireSameShape && t.length == p.length && !Arrays.equals(t, p))) {
            throw new IllegalArgumentException("Loss '" + loss.name() + "': targets of shape "
                    + Shapes.toString(yTrue.shape()) + " do not match predictions of shape "
                    + Shapes.toString(yPred.shape()) + " (arguments `target` and `output` must have the same shape);"
                    + " give y the model's output shape");
        }
        return e.length == 0 ? e : Arrays.copyOf(e, e.length - 1);
    }

    private static int[] stripTrailingOne(int[] s) {
        return s.length > 1 && s[s.length - 1] == 1 ? Arrays.copyOf(s, s.length - 1) : s;
    }

    /** Keras's backend.epsilon() and the float32 clip bounds it gives. */
    static final float EPSILON = 1e-7f;
    static final float ONE_MINUS_EPSILON = 1f - EPSILON;

    static float clip(float p) {
        return Math.min(Math.max(p, EPSILON), ONE_MINUS_EPSILON);
    }

    static boolean clipped(float p) {
        return p < EPSILON || p > ONE_MINUS_EPSILON;
    }
}
