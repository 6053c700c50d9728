package org.rnn4j.losses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Dice and Tversky: a value per group of {@code sum(t p)}, {@code sum(t)} and {@code sum(p)} taken over
 * {@code axis} (Keras's {@code ops.sum(..., axis=axis)}); {@code axis=None} sums everything into one number,
 * which Keras then leaves unreduced (a scalar needs no reduction).
 */
abstract class OverlapLoss extends BaseLoss {
    /** The summed axes as given, or null for all of them. */
    private final int[] axes;
    private final boolean scalarAxis;

    OverlapLoss(String name, String className, int[] axes, boolean scalarAxis) {
        super(name, className, "sum_over_batch_size");
        this.axes = axes == null ? null : axes.clone();
        this.scalarAxis = scalarAxis && axes != null && axes.length == 1;
    }

    /** The summed axes as given (negative ones count from the end), or null for all axes. */
    public int[] axis() {
        return axes == null ? null : axes.clone();
    }

    /** The value of one group from its sums. */
    abstract double value(double stp, double st, double sp);

    /** {@code {d value / d stp, d value / d sp}} (d stp / d p_j = t_j, d sp / d p_j = 1). */
    abstract double[] partials(double stp, double st, double sp);

    /** The shape both tensors are compared at (Keras's squeeze_or_expand_to_same_rank, then equal shapes). */
    private int[] sharedShape(Tensor yTrue, Tensor yPred) {
        int[] t = yTrue.shape();
        int[] p = yPred.shape();
        if (t.length == p.length + 1 && t[t.length - 1] == 1) {
            if (p.length == 1) {
                p = t;
            } else {
                t = Arrays.copyOf(t, t.length - 1);
            }
        } else if (p.length == t.length + 1 && p[p.length - 1] == 1) {
            if (t.length == 1) {
                t = p;
            } else {
                p = Arrays.copyOf(p, p.length - 1);
            }
        }
        if (!Arrays.equals(t, p)) {
            throw new IllegalArgumentException("Loss '" + name() + "': targets of shape " + Shapes.toString(yTrue.shape())
                    + " do not match predictions of shape " + Shapes.toString(yPred.shape())
                    + "; give y the model's output shape");
        }
        return p;
    }

    /** For every summed axis of a tensor of rank {@code rank}: true. */
    private boolean[] summed(int rank) {
        boolean[] s = new boolean[rank];
        if (axes == null) {
            Arrays.fill(s, true);
            return s;
        }
        for (int a : axes) {
            int k = a < 0 ? a + rank : a;
            if (k < 0 || k >= rank) {
                throw new IllegalArgumentException("Loss '" + name() + "': axis " + a + " is out of bounds for"
                        + " predictions of rank " + rank + "; give axes in [" + -rank + ", " + (rank - 1) + "]");
            }
            s[k] = true;
        }
        return s;
    }

    @Override
    protected int[] valuesShape(Tensor yTrue, Tensor yPred) {
        int[] e = sharedShape(yTrue, yPred);
        boolean[] s = summed(e.length);
        int n = 0;
        int[] v = new int[e.length];
        for (int k = 0; k < e.length; k++) {
            if (!s[k]) {
                v[n++] = e[k];
            }
        }
        return Arrays.copyOf(v, n);
    }

    @Override
    protected void rows(float[] t, float[] p, int rows, int cols, double[] values, double[] coef, float[] grad) {
        throw new UnsupportedOperationException("needs the shapes");
    }

    @Override
    protected void rows(Tensor yTrue, Tensor yPred, int rows, int cols, double[] values, double[] coef, float[] grad) {
        int[] e = sharedShape(yTrue, yPred);
        boolean[] s = summed(e.length);
        float[] t = yTrue.data();
        float[] p = yPred.data();
        int[] rowOf = new int[p.length];
        int[] idx = new int[e.length];
        for (int i = 0; i < p.length; i++) {
            int r = 0;
            for (int k = 0; k < e.length; k++) {
                if (!s[k]) {
                    r = r * e[k] + idx[k];
                }
            }
            rowOf[i] = r;
            for (int k = e.length - 1; k >= 0 && ++idx[k] == e[k]; k--) {
                idx[k] = 0;
            }
        }
        double[] stp = new double[rows];
        double[] st = new double[rows];
        double[] sp = new double[rows];
        for (int i = 0; i < p.length; i++) {
            stp[rowOf[i]] += (double) t[i] * p[i];
            st[rowOf[i]] += t[i];
            sp[rowOf[i]] += p[i];
        }
        double[][] d = new double[rows][];
        for (int r = 0; r < rows; r++) {
            values[r] = value(stp[r], st[r], sp[r]);
            d[r] = grad == null ? null : partials(stp[r], st[r], sp[r]);
        }
        if (grad != null) {
            for (int i = 0; i < p.length; i++) {
                int r = rowOf[i];
                grad[i] = coef[r] == 0 ? 0f : (float) (coef[r] * (d[r][0] * t[i] + d[r][1]));
            }
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        Object axis = null;
        if (axes != null && scalarAxis) {
            axis = axes[0];
        } else if (axes != null) {
            List<Integer> l = new ArrayList<>();
            for (int a : axes) {
                l.add(a);
            }
            axis = l;
        }
        c.put("axis", axis);
        return c;
    }

    /** A config's {@code axis}: null, an int or a list of ints. */
    static int[] axesOf(Object axis) {
        if (axis == null) {
            return null;
        }
        if (axis instanceof Number) {
            return new int[] {((Number) axis).intValue()};
        }
        if (axis instanceof List) {
            List<?> l = (List<?>) axis;
            int[] a = new int[l.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = ((Number) l.get(i)).intValue();
            }
            return a;
        }
        throw new IllegalArgumentException("Cannot read a loss axis from " + axis + "; give null, an int or a list of ints");
    }
}
