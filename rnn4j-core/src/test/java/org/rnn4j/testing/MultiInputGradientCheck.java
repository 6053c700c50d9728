package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Finite-difference check of a layer's graph form ({@code forwardAll}/{@code backwardAll}) for
 * several inputs: {@code L = sum(forwardAll(inputs)[0] * r)} for a fixed random {@code r}; every
 * element of every input (a sample of 60 for large ones) and every trainable weight is perturbed
 * by +-eps and the central difference compared with the analytic gradient. Runs in a fresh
 * {@link LayerContext}, as a model would.
 */
public final class MultiInputGradientCheck {
    private MultiInputGradientCheck() {
    }

    public static void check(Layer layer, List<Tensor> inputs, List<Mask> masks) {
        check(layer, inputs, masks, 1e-2, 1e-3);
    }

    public static void check(Layer layer, List<Tensor> inputs, List<Mask> masks, double eps, double tol) {
        Rng rng = new Rng(4321);
        LayerContext ctx = new LayerContext();
        Tensor y0 = layer.forwardAll(inputs, masks, true, ctx).get(0);
        Tensor r = Tensor.zeros(y0.shape());
        for (int i = 0; i < r.size(); i++) {
            r.data()[i] = (float) rng.normal();
        }
        for (Variable v : layer.weights()) {
            v.zeroGrad();
        }
        List<Tensor> dx = layer.backwardAll(List.of(r.copy()), ctx);
        assertEquals(inputs.size(), dx.size(), "one gradient per input");
        Supplier<Double> objective = () -> dot(layer.forwardAll(inputs, masks, true, new LayerContext()).get(0), r);
        for (int k = 0; k < inputs.size(); k++) {
            assertEquals(java.util.Arrays.toString(inputs.get(k).shape()), java.util.Arrays.toString(dx.get(k).shape()),
                    "gradient " + k + " has the input's shape");
            compare(layer.name() + " input " + k, inputs.get(k).data(), dx.get(k).data(), objective, eps, tol, rng);
        }
        for (Variable v : layer.weights()) {
            if (v.trainable()) {
                compare(layer.name() + "/" + v.name(), v.value().data(), v.grad().data().clone(), objective, eps, tol, rng);
            }
        }
    }

    private static void compare(String what, float[] values, float[] analytic, Supplier<Double> objective,
                                double eps, double tol, Rng rng) {
        int n = values.length;
        int samples = Math.min(n, 60);
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

    private static double dot(Tensor y, Tensor r) {
        double s = 0;
        for (int i = 0; i < y.size(); i++) {
            s += (double) y.data()[i] * r.data()[i];
        }
        return s;
    }
}
