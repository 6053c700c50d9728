package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Finite-difference check of a layer's graph form ({@code forwardAll}/{@code backwardAll}) with
 * several inputs and outputs. The objective is {@code L = sum_o sum(y_o * r_o)} with fixed random
 * {@code r_o} (an output listed in {@code unusedOutputs} gets a null gradient, i.e. it is not
 * used); every checked input and every trainable weight is perturbed by +-eps. The forward passes
 * run in training mode with their own {@link LayerContext}, so the layer needs no dropout (or
 * the same masks every call) for the check to hold.
 */
public final class MultiInputGradientCheck {
    private MultiInputGradientCheck() {
    }

    /** Checks every input and weight, every output used (eps 1e-2, tolerance 1e-3). */
    public static void check(Layer layer, List<Tensor> inputs, List<Mask> masks) {
        check(layer, inputs, masks, 1e-2, 1e-3);
    }

    public static void check(Layer layer, List<Tensor> inputs, List<Mask> masks, double eps, double tol) {
        check(layer, inputs, masks, null, null, eps, tol);
    }

    /** Checks the inputs whose index is in {@code checkInputs} (null = all) and every weight. */
    public static void check(Layer layer, List<Tensor> inputs, List<Mask> masks, int[] checkInputs,
                             boolean[] unusedOutputs, double eps, double tol) {
        Rng rng = new Rng(4321);
        LayerContext ctx = new LayerContext();
        List<Tensor> y0 = layer.forwardAll(inputs, masks, true, ctx);
        List<Tensor> rs = new ArrayList<>();
        for (int o = 0; o < y0.size(); o++) {
            boolean unused = unusedOutputs != null && o < unusedOutputs.length && unusedOutputs[o];
            if (unused) {
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
        List<Tensor> dx = layer.backwardAll(grads, ctx);
        assertEquals(inputs.size(), dx.size(), "one gradient per input");
        Supplier<Double> objective = () -> {
            List<Tensor> y = layer.forwardAll(inputs, masks, true, new LayerContext());
            double s = 0;
            for (int o = 0; o < y.size(); o++) {
                if (rs.get(o) != null) {
                    s += GradientCheck.dot(y.get(o), rs.get(o));
                }
            }
            return s;
        };
        int[] which = checkInputs;
        if (which == null) {
            which = new int[inputs.size()];
            for (int i = 0; i < which.length; i++) {
                which[i] = i;
            }
        }
        for (int i : which) {
            assertTrue(dx.get(i) != null, layer.name() + ": no gradient for input " + i);
            GradientCheck.compare(layer.name() + " input " + i, inputs.get(i).data(), dx.get(i).data(), objective,
                    eps, tol, rng, 80);
        }
        for (Variable v : layer.weights()) {
            if (v.trainable()) {
                GradientCheck.compare(layer.name() + "/" + v.name(), v.value().data(), v.grad().data().clone(), objective,
                        eps, tol, rng, 80);
            }
        }
    }

    /** A (batch, time) mask from rows of 0/1. */
    public static Mask mask(int[][] rows) {
        int batch = rows.length;
        int time = rows[0].length;
        boolean[] v = new boolean[batch * time];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                v[b * time + t] = rows[b][t] != 0;
            }
        }
        return new Mask(v, batch, time);
    }
}
