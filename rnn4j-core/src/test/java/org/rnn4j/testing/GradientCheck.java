package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Finite-difference gradient check for a layer's backward pass. The scalar objective is
 * {@code L = sum(forward(x) * r)} for a fixed random {@code r}, so {@code dL/dy = r}; every
 * input element and every weight element (or a sample of them for large tensors) is perturbed by
 * +-eps and the central difference compared with the analytic gradient.
 */
public final class GradientCheck {
    private GradientCheck() {
    }

    /** Checks d/dx and d/dweights; {@code checkInput=false} for integer inputs (Embedding). */
    public static void check(Layer layer, Tensor x, Mask mask, boolean checkInput) {
        check(layer, x, mask, checkInput, 1e-2, 1e-3);
    }

    public static void check(Layer layer, Tensor x, Mask mask, boolean checkInput, double eps, double tol) {
        Rng rng = new Rng(1234);
        Tensor y0 = layer.forward(x, mask, true);
        Tensor r = Tensor.zeros(y0.shape());
        for (int i = 0; i < r.size(); i++) {
            r.data()[i] = (float) rng.normal();
        }
        for (Variable v : layer.weights()) {
            v.zeroGrad();
        }
        Tensor dx = layer.backward(r.copy());
        Supplier<Double> objective = () -> dot(layer.forward(x, mask, true), r);
        if (checkInput) {
            compare(layer.name() + " input", x.data(), dx.data(), objective, eps, tol, rng);
        }
        for (Variable v : layer.weights()) {
            if (v.trainable()) {
                compare(layer.name() + "/" + v.name(), v.value().data(), v.grad().data().clone(), objective, eps, tol, rng);
            }
        }
    }

    /**
     * The graph form: checks every input's and every weight's gradient through
     * {@link Layer#forwardAll} / {@link Layer#backwardAll} with a context of its own. The objective
     * is {@code sum_i sum(y_i * r_i)} over the outputs {@code i} with {@code usedOutputs[i]}
     * (null = all); an unused output gets a null gradient, as a model passes it.
     */
    public static void checkAll(Layer layer, List<Tensor> inputs, List<Mask> masks, boolean[] usedOutputs,
                                double eps, double tol) {
        Rng rng = new Rng(4321);
        LayerContext ctx = new LayerContext();
        List<Tensor> y0 = layer.forwardAll(inputs, masks, true, ctx);
        List<Tensor> rs = new ArrayList<>();
        for (int o = 0; o < y0.size(); o++) {
            boolean used = usedOutputs == null || usedOutputs[o];
            if (!used) {
                rs.add(null);
                continue;
            }
            Tensor r = Tensor.zeros(y0.get(o).shape());
            for (int i = 0; i < r.size(); i++) {
                r.data()[i] = (float) rng.normal();
            }
            rs.add(r);
        }
        for (Variable v : layer.weights()) {
            v.zeroGrad();
        }
        List<Tensor> grads = new ArrayList<>();
        for (Tensor r : rs) {
            grads.add(r == null ? null : r.copy());
        }
        List<Tensor> dxs = layer.backwardAll(grads, ctx);
        if (dxs.size() != inputs.size()) {
            throw new AssertionError(layer.name() + ": backwardAll returned " + dxs.size() + " gradients for "
                    + inputs.size() + " inputs");
        }
        LayerContext probe = new LayerContext();
        Supplier<Double> objective = () -> {
            List<Tensor> ys = layer.forwardAll(inputs, masks, true, probe);
            double sum = 0;
            for (int o = 0; o < ys.size(); o++) {
                if (rs.get(o) != null) {
                    sum += dot(ys.get(o), rs.get(o));
                }
            }
            return sum;
        };
        for (int k = 0; k < inputs.size(); k++) {
            compare(layer.name() + " input " + k, inputs.get(k).data(), dxs.get(k).data(), objective, eps, tol, rng);
        }
        for (Variable v : layer.weights()) {
            if (v.trainable()) {
                compare(layer.name() + "/" + v.name(), v.value().data(), v.grad().data().clone(), objective, eps, tol, rng);
            }
        }
    }

    private static void compare(String what, float[] values, float[] analytic, Supplier<Double> objective,
                                double eps, double tol, Rng rng) {
        compare(what, values, analytic, objective, eps, tol, rng, 60);
    }

    /**
     * Central differences of {@code objective} at up to {@code maxSamples} random entries of
     * {@code values} (perturbed in place and restored) against {@code analytic}; fails on the worst.
     */
    static void compare(String what, float[] values, float[] analytic, Supplier<Double> objective,
                        double eps, double tol, Rng rng, int maxSamples) {
        int n = values.length;
        int samples = Math.min(n, maxSamples);
        int[] order = rng.permutation(n);
        double worst = 0;
        String worstAt = "";
        for (int s = 0; s < samples; s++) {
            int i = order[s];
            float saved = values[i];
            values[i] = (float) (saved + eps);
            double plus = objective.get();
            values[i] = (float) (saved - eps);
            double minus = objective.get();
            values[i] = saved;
            double numeric = (plus - minus) / (2 * eps);
            double err = Math.abs(numeric - analytic[i]) / Math.max(1.0, Math.abs(numeric) + Math.abs(analytic[i]));
            if (err > worst) {
                worst = err;
                worstAt = what + "[" + i + "]: numeric " + numeric + " vs analytic " + analytic[i];
            }
        }
        assertTrue(worst < tol, "Gradient mismatch " + worstAt + " (relative error " + worst + ")");
    }

    static double dot(Tensor y, Tensor r) {
        double s = 0;
        float[] a = y.data();
        float[] b = r.data();
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** A tensor of N(0, scale^2) values from a fixed seed. */
    public static Tensor randn(long seed, float scale, int... shape) {
        Rng rng = new Rng(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) (scale * rng.normal());
        }
        return t;
    }
}
