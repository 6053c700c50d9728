package org.rnn4j.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.layers.ConvPoolFusion;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.regularizers.ActivityLoss;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * One run of a model's graph: the value and mask of every tensor slot and a {@link LayerContext}
 * per node, so a shared layer keeps one context per call site. A run is used by one thread at a
 * time; a model keeps one for training and a pool of them for concurrent {@code predict}. Its
 * contexts keep their buffers from call to call.
 */
final class GraphRun {
    private final GraphPlan plan;
    private final String modelName;
    private final Tensor[] values;
    private final Mask[] masks;
    private final Tensor[] grads;
    private final LayerContext[] contexts;
    /** Per step, its fusion with the next step (see {@link GraphPlan#fusions}), made at the first forward. */
    private ConvPoolFusion[] fusions;
    /** Contexts of the fused pairs (apart from the layers' own, used when a pair runs unfused). */
    private final LayerContext[] fusedContexts;
    /** Whether the last forward ran step k and k+1 fused (backward follows the same path). */
    private final boolean[] fusedRan;
    private boolean recorded;

    GraphRun(String modelName, GraphPlan plan) {
        this.plan = plan;
        this.modelName = modelName;
        this.values = new Tensor[plan.slotCount];
        this.masks = new Mask[plan.slotCount];
        this.grads = new Tensor[plan.slotCount];
        this.contexts = new LayerContext[plan.steps.size()];
        for (int i = 0; i < contexts.length; i++) {
            contexts[i] = new LayerContext();
        }
        this.fusedContexts = new LayerContext[contexts.length];
        this.fusedRan = new boolean[contexts.length];
    }

    boolean planIs(GraphPlan p) {
        return plan == p;
    }

    /** Runs every node; with {@code training} the run records what {@link #backward} needs. */
    List<Tensor> forward(List<Tensor> inputs, List<Mask> inputMasks, boolean training) {
        checkInputs(inputs);
        Arrays.fill(values, null);
        Arrays.fill(masks, null);
        recorded = false;
        for (int i = 0; i < inputs.size(); i++) {
            values[plan.inputSlots[i]] = inputs.get(i);
            masks[plan.inputSlots[i]] = inputMasks == null ? null : inputMasks.get(i);
        }
        List<GraphPlan.Step> steps = plan.steps;
        if (fusions == null) {
            fusions = plan.fusions();
        }
        Arrays.fill(fusedRan, false);
        for (int k = 0; k < steps.size(); k++) {
            GraphPlan.Step step = steps.get(k);
            if (fusions[k] != null && masks[step.in[0]] == null && runFused(k, training)) {
                k++;
                continue;
            }
            Layer layer = step.node.layer();
            List<Tensor> in = new ArrayList<>(step.in.length);
            List<Mask> inMasks = new ArrayList<>(step.in.length);
            for (int s : step.in) {
                in.add(values[s]);
                inMasks.add(masks[s]);
            }
            contexts[k].clearAddedLoss();
            List<Tensor> out = layer.forwardAll(in, inMasks, training, contexts[k]);
            if (out.size() != step.out.length) {
                throw new IllegalStateException("Layer '" + layer.name() + "' returned " + out.size()
                        + " outputs; its node expects " + step.out.length);
            }
            Regularizer activity = layer.activityRegularizer();
            if (activity != null) {
                for (Tensor t : out) {
                    contexts[k].addLoss(ActivityLoss.of(activity, t));
                }
            }
            List<Mask> outMasks = layer.outputMasks(in, inMasks, contexts[k]);
            for (int i = 0; i < step.out.length; i++) {
                values[step.out[i]] = out.get(i);
                masks[step.out[i]] = outMasks == null || i >= outMasks.size() ? null : outMasks.get(i);
            }
        }
        recorded = training;
        List<Tensor> result = new ArrayList<>(plan.outputSlots.length);
        for (int s : plan.outputSlots) {
            result.add(values[s]);
        }
        return result;
    }

    /**
     * Runs steps k and k+1 as their fusion; false (nothing done) when this input does not fit it,
     * so the layers run one by one. Neither layer makes a mask from an unmasked input.
     */
    private boolean runFused(int k, boolean training) {
        GraphPlan.Step conv = plan.steps.get(k);
        GraphPlan.Step pool = plan.steps.get(k + 1);
        if (fusedContexts[k] == null) {
            fusedContexts[k] = new LayerContext();
        }
        contexts[k].clearAddedLoss();
        contexts[k + 1].clearAddedLoss();
        Tensor y = fusions[k].forward(values[conv.in[0]], training, fusedContexts[k]);
        if (y == null) {
            return false;
        }
        values[pool.out[0]] = y;
        masks[pool.out[0]] = null;
        fusedRan[k] = true;
        return true;
    }

    /** The sum of the losses the last forward pass added (activity regularizers, {@code addLoss}, nested models). */
    double addedLoss() {
        double sum = 0;
        for (LayerContext c : contexts) {
            sum += c.addedLoss();
        }
        return sum;
    }

    /** The masks of the outputs of the last forward pass (Keras's {@code compute_mask} of the model). */
    List<Mask> outputMasks() {
        List<Mask> m = new ArrayList<>(plan.outputSlots.length);
        for (int s : plan.outputSlots) {
            m.add(masks[s]);
        }
        return m;
    }

    /**
     * Back-propagates a gradient per output (null for an unused one) through the last training
     * forward pass, in reverse order; a tensor read by several nodes sums their gradients, and a
     * shared layer adds the weight gradients of each of its call sites. Returns a gradient per
     * model input when {@code inputGradientsNeeded}, else nulls (and the first layers skip that work).
     */
    List<Tensor> backward(List<Tensor> outputGrads, boolean inputGradientsNeeded) {
        if (!recorded) {
            throw new IllegalStateException("Model '" + modelName + "': backward needs a preceding training forward pass");
        }
        Arrays.fill(grads, null);
        for (int i = 0; i < plan.outputSlots.length; i++) {
            Tensor g = outputGrads.get(i);
            if (g != null) {
                accumulate(plan.outputSlots[i], g);
            }
        }
        List<GraphPlan.Step> steps = plan.steps;
        for (int k = steps.size() - 1; k >= 0; k--) {
            if (k > 0 && fusedRan[k - 1]) {
                k--;
                backwardFused(k, inputGradientsNeeded);
                continue;
            }
            GraphPlan.Step step = steps.get(k);
            List<Tensor> gOut = new ArrayList<>(step.out.length);
            Regularizer activity = step.node.layer().activityRegularizer();
            boolean any = activity != null;
            for (int s : step.out) {
                gOut.add(activity != null ? ActivityLoss.withGradient(activity, values[s], grads[s]) : grads[s]);
                any |= grads[s] != null;
            }
            if (!any) {
                continue; // nothing downstream of this node reaches a loss
            }
            LayerContext ctx = contexts[k];
            ctx.inputGradientNeeded(inputGradientsNeeded || !step.readsOnlyModelInputs);
            List<Tensor> gIn = step.node.layer().backwardAll(gOut, ctx);
            for (int i = 0; i < step.in.length && i < gIn.size(); i++) {
                Tensor g = gIn.get(i);
                if (g != null && (inputGradientsNeeded || step.in[i] >= plan.inputSlots.length)) {
                    accumulate(step.in[i], g);
                }
            }
        }
        List<Tensor> result = new ArrayList<>(plan.inputSlots.length);
        for (int s : plan.inputSlots) {
            result.add(inputGradientsNeeded ? grads[s] : null);
        }
        Arrays.fill(grads, null);
        return result;
    }

    /** Backward of the fused steps k and k+1: from the pooling's output gradient to the convolution's input. */
    private void backwardFused(int k, boolean inputGradientsNeeded) {
        GraphPlan.Step conv = plan.steps.get(k);
        GraphPlan.Step pool = plan.steps.get(k + 1);
        Tensor g = grads[pool.out[0]];
        if (g == null) {
            return; // nothing downstream reaches a loss
        }
        LayerContext ctx = fusedContexts[k];
        ctx.inputGradientNeeded(inputGradientsNeeded || !conv.readsOnlyModelInputs);
        Tensor dx = fusions[k].backward(g, ctx);
        if (dx != null && (inputGradientsNeeded || conv.in[0] >= plan.inputSlots.length)) {
            accumulate(conv.in[0], dx);
        }
    }

    private void accumulate(int slot, Tensor g) {
        Tensor have = grads[slot];
        if (have == null) {
            grads[slot] = g;
            return;
        }
        if (!Arrays.equals(have.shape(), g.shape())) {
            throw new IllegalStateException("Model '" + modelName + "': gradients of shapes " + Shapes.toString(have.shape())
                    + " and " + Shapes.toString(g.shape()) + " reach the same tensor");
        }
        // A fresh sum: the addends may be buffers a layer reuses.
        float[] a = have.data();
        float[] b = g.data();
        float[] sum = new float[a.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = a[i] + b[i];
        }
        grads[slot] = Tensor.of(sum, have.shape());
    }

    private void checkInputs(List<Tensor> inputs) {
        List<SymbolicTensor> declared = plan.inputs;
        if (inputs.size() != declared.size()) {
            throw new IllegalArgumentException("Model '" + modelName + "' has " + declared.size() + " input(s) "
                    + GraphPlan.names(declared) + " but " + inputs.size() + " array(s) were given");
        }
        int batch = -1;
        for (int i = 0; i < inputs.size(); i++) {
            Tensor x = inputs.get(i);
            SymbolicTensor d = declared.get(i);
            if (x == null) {
                throw new IllegalArgumentException("Model '" + modelName + "': input '" + d.name() + "' is null");
            }
            int[] sample = Shapes.dropFirst(x.shape());
            if (!fits(d.shape(), sample)) {
                throw new LayerShapeException("Model '" + modelName + "': input '" + d.name() + "' expects shape "
                        + Shapes.withBatch(d.shape()) + " but got " + Shapes.withBatch(sample));
            }
            if (batch >= 0 && x.dim(0) != batch) {
                throw new IllegalArgumentException("Model '" + modelName + "': input '" + d.name() + "' has " + x.dim(0)
                        + " samples but input '" + declared.get(0).name() + "' has " + batch
                        + "; give every input the same number of samples");
            }
            batch = x.dim(0);
        }
    }

    static boolean fits(int[] declared, int[] actual) {
        if (declared.length != actual.length) {
            return false;
        }
        for (int i = 0; i < declared.length; i++) {
            if (declared[i] != -1 && declared[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }
}
