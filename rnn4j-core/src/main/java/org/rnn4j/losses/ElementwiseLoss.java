package org.rnn4j.losses;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * A loss that is a mean of a per-element term {@code f(t, p)}. Keras takes the mean over the last
 * axis, then over the batch; with equal group sizes that is the mean over all elements.
 */
abstract class ElementwiseLoss implements Loss {
    private final String name;
    private final String className;

    ElementwiseLoss(String name, String className) {
        this.name = name;
        this.className = className;
    }

    /** The per-element term. */
    abstract double value(float t, float p);

    /** d value / d p. */
    abstract double derivative(float t, float p);

    /** Hook for label transforms such as label smoothing. */
    float target(float t) {
        return t;
    }

    @Override
    public double compute(Tensor yTrue, Tensor yPred) {
        return computeWithGradient(yTrue, yPred, null);
    }

    @Override
    public double computeWithGradient(Tensor yTrue, Tensor yPred, float[] grad) {
        checkSameSize(this, yTrue, yPred);
        float[] t = yTrue.data();
        float[] p = yPred.data();
        int n = p.length;
        double sum = 0;
        double scale = 1.0 / n;
        for (int i = 0; i < n; i++) {
            float ti = target(t[i]);
            sum += value(ti, p[i]);
            if (grad != null) {
                grad[i] = (float) (derivative(ti, p[i]) * scale);
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String className() {
        return className;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("reduction", "sum_over_batch_size");
        return c;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Keras's squeeze_or_expand_to_same_rank: shapes may differ only by a trailing axis of size 1. */
    static void checkSameSize(Loss loss, Tensor yTrue, Tensor yPred) {
        int[] a = stripTrailingOne(yTrue.shape());
        int[] b = stripTrailingOne(yPred.shape());
        if (!java.util.Arrays.equals(a, b)) {
            throw new IllegalArgumentException("Loss '" + loss.name() + "': targets of shape "
                    + Shapes.toString(yTrue.shape()) + " do not match predictions of shape "
                    + Shapes.toString(yPred.shape()) + "; give y the model's output shape");
        }
    }

    private static int[] stripTrailingOne(int[] s) {
        return s.length > 1 && s[s.length - 1] == 1 ? java.util.Arrays.copyOf(s, s.length - 1) : s;
    }
}
