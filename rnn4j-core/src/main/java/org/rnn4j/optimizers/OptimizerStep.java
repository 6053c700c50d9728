package org.rnn4j.optimizers;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Tensor;

/**
 * One step of an {@link Optimizer}, Keras's {@code BaseOptimizer.apply} and
 * {@code _backend_apply_gradients}: drop None gradients (warning), overwrite the variables flagged
 * {@code overwrite_with_gradient}, unscale by {@code loss_scale_factor}, accumulate or apply (clip,
 * weight decay, update), update the EMA, project constraints, count the step.
 */
final class OptimizerStep {
    private OptimizerStep() {
    }

    static void apply(Optimizer o, List<float[]> grads) {
        List<Variable> vars = o.builtVariables();
        List<Integer> live = new ArrayList<>(grads.size());
        for (int i = 0; i < grads.size(); i++) {
            if (grads.get(i) != null) {
                live.add(i);
            }
        }
        if (live.isEmpty()) {
            throw new IllegalArgumentException("No gradients provided for any variable. (" + o.className() + " '"
                    + o.name() + "')");
        }
        if (live.size() < grads.size()) {
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < grads.size(); i++) {
                if (grads.get(i) == null) {
                    missing.add("'" + o.variablePaths().get(i) + "'");
                }
            }
            // Keras's UserWarning, on stderr as the other warnings of rnn4j
            System.err.println("WARNING: Gradients do not exist for variables " + missing + " when minimizing the loss."
                    + " If using `model.compile()`, did you forget to provide a `loss` argument?");
        }
        live = overwriteWithGradients(o, grads, live);
        if (!live.isEmpty()) {
            List<float[]> g = new ArrayList<>(live.size());
            for (int i : live) {
                g.add(unscaled(o, grads.get(i)));
            }
            if (o.gradientAccumulationSteps() == null) {
                updateStep(o, live, o.clipping().clip(g, o.clipnorm(), o.clipvalue(), o.globalClipnorm(), true));
            } else if ((o.rawIterations() + 1) % o.gradientAccumulationSteps() == 0) {
                float steps = o.gradientAccumulationSteps();
                for (int k = 0; k < live.size(); k++) {
                    float[] acc = o.slot(Optimizer.ACCUMULATOR_SLOT, live.get(k)).data();
                    float[] gk = g.get(k);
                    float[] mean = new float[gk.length];
                    for (int j = 0; j < mean.length; j++) {
                        mean[j] = (gk[j] + acc[j]) / steps;
                    }
                    g.set(k, mean);
                }
                updateStep(o, live, o.clipping().clip(g, o.clipnorm(), o.clipvalue(), o.globalClipnorm(), true));
                for (Tensor acc : o.slotGroup(Optimizer.ACCUMULATOR_SLOT)) {
                    java.util.Arrays.fill(acc.data(), 0f);
                }
            } else {
                for (int k = 0; k < live.size(); k++) {
                    float[] acc = o.slot(Optimizer.ACCUMULATOR_SLOT, live.get(k)).data();
                    float[] gk = g.get(k);
                    for (int j = 0; j < acc.length; j++) {
                        acc[j] = gk[j] + acc[j];
                    }
                }
            }
            if (o.useEma()) {
                updateMovingAverages(o);
            }
            // Keras: "Apply variable constraints after applying gradients" (and after the EMA update)
            for (int i : live) {
                Variable v = vars.get(i);
                if (v.constraint() != null) {
                    v.constraint().apply(v.value());
                }
            }
        }
        o.iterations(o.rawIterations() + 1);
    }

    /** The gradient divided by {@code loss_scale_factor} (the input itself without one). */
    private static float[] unscaled(Optimizer o, float[] g) {
        if (o.lossScaleFactor() == null) {
            return g;
        }
        // a fresh array per variable: clipping and accumulation may keep references within the step
        float[] out = new float[g.length];
        float scale = o.lossScaleFactor().floatValue();
        for (int j = 0; j < g.length; j++) {
            out[j] = g[j] / scale;
        }
        return out;
    }

    /**
     * Keras's {@code _overwrite_variables_directly_with_gradients}: flagged variables take their
     * gradient (with accumulation, the elementwise maximum since the last update, assigned on update
     * steps); returns the indices left for the learning step.
     */
    private static List<Integer> overwriteWithGradients(Optimizer o, List<float[]> grads, List<Integer> live) {
        List<Variable> vars = o.builtVariables();
        List<Integer> rest = new ArrayList<>(live.size());
        for (int i : live) {
            Variable v = vars.get(i);
            if (!v.overwriteWithGradient()) {
                rest.add(i);
                continue;
            }
            float[] g = grads.get(i);
            float[] w = v.value().data();
            if (o.gradientAccumulationSteps() == null) {
                System.arraycopy(g, 0, w, 0, w.length);
                continue;
            }
            float[] acc = o.slot(Optimizer.ACCUMULATOR_SLOT, i).data();
            if ((o.rawIterations() + 1) % o.gradientAccumulationSteps() == 0) {
                for (int j = 0; j < w.length; j++) {
                    w[j] = Math.max(g[j], acc[j]);
                    acc[j] = 0f;
                }
            } else {
                for (int j = 0; j < w.length; j++) {
                    acc[j] = Math.max(g[j], acc[j]);
                }
            }
        }
        return rest;
    }

    /** Weight decay, then each variable's update (Keras's {@code _apply_weight_decay} and {@code _backend_update_step}). */
    private static void updateStep(Optimizer o, List<Integer> live, List<float[]> clippedGrads) {
        List<Variable> vars = o.builtVariables();
        float lr = (float) o.learningRate();
        if (o.weightDecay() != null) {
            float wd = o.weightDecay().floatValue();
            for (int i : live) {
                Variable v = vars.get(i);
                if (o.usesWeightDecay(v)) {
                    float[] w = v.value().data();
                    for (int j = 0; j < w.length; j++) {
                        w[j] = w[j] - w[j] * wd * lr;
                    }
                }
            }
        }
        o.beforeUpdates();
        for (int k = 0; k < live.size(); k++) {
            int i = live.get(k);
            o.update(i, vars.get(i).value().data(), clippedGrads.get(k), lr);
        }
    }

    /**
     * Keras's {@code _update_model_variables_moving_average} (every step, accumulating or not; momentum
     * 0 while {@link Optimizer#iterations()} is 0) and, every {@code ema_overwrite_frequency} updates, the overwrite.
     */
    private static void updateMovingAverages(Optimizer o) {
        List<Variable> vars = o.builtVariables();
        float m = o.iterations() != 0 ? (float) o.emaMomentum() : 0f;
        Tensor[] avg = o.averages();
        for (int i = 0; i < vars.size(); i++) {
            if (avg[i] == null) {
                continue;
            }
            float[] w = vars.get(i).value().data();
            float[] a = avg[i].data();
            for (int j = 0; j < w.length; j++) {
                a[j] = m * a[j] + (1f - m) * w[j];
            }
        }
        if (o.emaOverwriteFrequency() != null && (o.iterations() + 1) % o.emaOverwriteFrequency() == 0) {
            for (int i = 0; i < vars.size(); i++) {
                if (avg[i] != null) {
                    System.arraycopy(avg[i].data(), 0, vars.get(i).value().data(), 0, avg[i].size());
                }
            }
        }
    }
}
