package org.rnn4j.layers.recurrent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * The per-call state of an {@link RNN} whose cell runs step by step (a custom cell or stacked
 * cells), kept in the RNN's {@link LayerContext}: Keras's backend {@code rnn} loop. Masked steps
 * carry the states and the previous output (zeros with zeroOutputForMask and returnSequences),
 * the carried output starting at zeros whatever the initial states, as the fused loop of
 * {@link org.rnn4j.layers.RecurrentLayer} does. The cell keeps its own per-step values in the
 * cell context {@code ctx.child(0)}.
 */
final class CellRun {
    final RNN layer;
    private final LayerContext cellCtx;
    private int batch;
    private int steps;
    private int features;
    private int outSize;
    private int[] stateSizes;
    private boolean[] stepMask;      // [T, B] processing order, or null
    private Tensor[] carried;        // [T] carried output after each step, [B, O]
    private Tensor[] finals;         // final states
    boolean recorded;
    int inputCount = 1;
    private Tensor[] stateGradients; // after backward: gradients of the initial states

    CellRun(RNN layer, LayerContext ctx) {
        this.layer = layer;
        this.cellCtx = ctx.child(0);
    }

    void forward(Tensor x, Mask mask, boolean training, Tensor[] initial, int inputs) {
        recorded = false;
        Cell cell = layer.cell();
        int f = layer.stepInputSize();
        if (x.rank() != 3 || x.dim(2) != f || x.dim(1) == 0) {
            throw new LayerShapeException("Layer '" + layer.name() + "' (RNN) expects input of shape (None, timesteps, "
                    + f + ") but got " + Shapes.withBatch(Shapes.dropFirst(x.shape()))
                    + "; pass a 3D tensor [batch, timesteps, " + f + "]");
        }
        int b = x.dim(0);
        int t = x.dim(1);
        if (mask != null && (mask.batch() != b || mask.time() != t)) {
            throw new IllegalArgumentException("Layer '" + layer.name() + "': mask is " + mask.batch() + " x "
                    + mask.time() + " but the input has batch " + b + " and " + t + " timesteps");
        }
        batch = b;
        steps = t;
        features = f;
        outSize = cell.outputSize();
        stateSizes = cell.stateSizes();
        inputCount = inputs;
        Tensor[] states = new Tensor[stateSizes.length];
        for (int k = 0; k < states.length; k++) {
            Tensor s0 = k < initial.length ? initial[k] : null;
            if (s0 != null && (s0.rank() != 2 || s0.dim(0) != b || s0.dim(1) != stateSizes[k])) {
                throw new LayerShapeException("Layer '" + layer.name() + "' (RNN): initial state " + k + " must have"
                        + " shape (" + b + ", " + stateSizes[k] + ") but got " + Shapes.toString(s0.shape()));
            }
            states[k] = s0 != null ? s0 : Tensor.zeros(b, stateSizes[k]);
        }
        boolean back = layer.goBackwards();
        stepMask = null;
        if (mask != null) {
            stepMask = new boolean[t * b];
            for (int s = 0; s < t; s++) {
                for (int r = 0; r < b; r++) {
                    stepMask[s * b + r] = mask.get(r, back ? t - 1 - s : s);
                }
            }
        }
        carried = new Tensor[t];
        Tensor prev = Tensor.zeros(b, outSize);
        cell.beginSequence(b, training, cellCtx);
        float[] xd = x.data();
        for (int s = 0; s < t; s++) {
            int tt = back ? t - 1 - s : s;
            float[] xt = new float[b * f];
            for (int r = 0; r < b; r++) {
                System.arraycopy(xd, (r * t + tt) * f, xt, r * f, f);
            }
            Tensor[] res = cell.forwardStep(Tensor.of(xt, b, f), states, training, cellCtx, s);
            if (res.length != 1 + states.length || res[0].rank() != 2 || res[0].dim(1) != outSize) {
                throw new IllegalStateException("Cell '" + cell.name() + "' (" + cell.className() + ") returned "
                        + res.length + " tensors from forwardStep; expected [output (batch, " + outSize + "), "
                        + states.length + " states]");
            }
            Tensor out = res[0].copy();
            Tensor[] next = new Tensor[states.length];
            for (int k = 0; k < next.length; k++) {
                next[k] = res[1 + k].copy();
            }
            if (stepMask != null) {
                for (int r = 0; r < b; r++) {
                    if (!stepMask[s * b + r]) {
                        copyRow(prev, out, r);
                        for (int k = 0; k < next.length; k++) {
                            copyRow(states[k], next[k], r);
                        }
                    }
                }
            }
            carried[s] = out;
            prev = out;
            states = next;
        }
        finals = states;
        recorded = training;
    }

    private static void copyRow(Tensor from, Tensor to, int r) {
        int n = from.dim(1);
        System.arraycopy(from.data(), r * n, to.data(), r * n, n);
    }

    private boolean zeroOutput(int s, int r) {
        return stepMask != null && layer.zeroOutputForMask() && layer.returnSequences() && !stepMask[s * batch + r];
    }

    Tensor output() {
        int b = batch;
        int t = steps;
        int o = outSize;
        if (!layer.returnSequences()) {
            return carried[t - 1].copy();
        }
        float[] out = new float[b * t * o];
        for (int s = 0; s < t; s++) {
            float[] c = carried[s].data();
            for (int r = 0; r < b; r++) {
                if (!zeroOutput(s, r)) {
                    System.arraycopy(c, r * o, out, (r * t + s) * o, o);
                }
            }
        }
        return Tensor.of(out, b, t, o);
    }

    List<Tensor> finalStates() {
        List<Tensor> l = new ArrayList<>(finals.length);
        for (Tensor s : finals) {
            l.add(s.copy());
        }
        return l;
    }

    /** BPTT through the recorded training forward; returns dx (null unless needInput). */
    Tensor backward(Tensor gradOutput, Tensor[] stateGrads, boolean needInput) {
        if (!recorded) {
            throw new IllegalStateException("Layer '" + layer.name() + "': backward() needs a preceding forward(x, mask,"
                    + " training=true)");
        }
        Cell cell = layer.cell();
        int b = batch;
        int t = steps;
        int o = outSize;
        boolean seq = layer.returnSequences();
        int[] expected = seq ? new int[] {b, t, o} : new int[] {b, o};
        if (gradOutput != null && !Arrays.equals(gradOutput.shape(), expected)) {
            throw new IllegalArgumentException("Layer '" + layer.name() + "': output gradient has shape "
                    + Shapes.toString(gradOutput.shape()) + " but the output was " + Shapes.toString(expected));
        }
        Tensor[] ds = new Tensor[stateSizes.length];
        for (int k = 0; k < ds.length; k++) {
            Tensor g = k < stateGrads.length ? stateGrads[k] : null;
            if (g != null && !Arrays.equals(g.shape(), new int[] {b, stateSizes[k]})) {
                throw new IllegalArgumentException("Layer '" + layer.name() + "': gradient of state " + k
                        + " has shape " + Shapes.toString(g.shape()) + " but the state was (" + b + ", "
                        + stateSizes[k] + ")");
            }
            ds[k] = g != null ? g.copy() : Tensor.zeros(b, stateSizes[k]);
        }
        float[] g = gradOutput == null ? null : gradOutput.data();
        float[] dCarry = new float[b * o];
        float[] dx = needInput ? new float[b * t * features] : null;
        boolean back = layer.goBackwards();
        for (int s = t - 1; s >= 0; s--) {
            if (g != null) {
                for (int r = 0; r < b; r++) {
                    if (seq && !zeroOutput(s, r)) {
                        for (int j = 0; j < o; j++) {
                            dCarry[r * o + j] += g[(r * t + s) * o + j];
                        }
                    } else if (!seq && s == t - 1) {
                        for (int j = 0; j < o; j++) {
                            dCarry[r * o + j] += g[r * o + j];
                        }
                    }
                }
            }
            float[] dOut = dCarry.clone();
            Tensor[] dNew = new Tensor[ds.length];
            for (int k = 0; k < ds.length; k++) {
                dNew[k] = ds[k].copy();
            }
            if (stepMask != null) {
                for (int r = 0; r < b; r++) {
                    if (!stepMask[s * b + r]) {
                        Arrays.fill(dOut, r * o, (r + 1) * o, 0f);
                        for (Tensor d : dNew) {
                            int n = d.dim(1);
                            Arrays.fill(d.data(), r * n, (r + 1) * n, 0f);
                        }
                    }
                }
            }
            Tensor[] res = cell.backwardStep(Tensor.of(dOut, b, o), dNew, cellCtx, s);
            int tt = back ? t - 1 - s : s;
            float[] dxt = res[0].data();
            for (int r = 0; r < b; r++) {
                boolean real = stepMask == null || stepMask[s * b + r];
                if (real) {
                    Arrays.fill(dCarry, r * o, (r + 1) * o, 0f);
                    for (int k = 0; k < ds.length; k++) {
                        copyRow(res[1 + k], ds[k], r);
                    }
                }
                if (dx != null && real) {
                    System.arraycopy(dxt, r * features, dx, (r * t + tt) * features, features);
                }
            }
        }
        stateGradients = ds;
        return dx == null ? null : Tensor.of(dx, b, t, features);
    }

    Tensor initialStateGradient(int k) {
        return stateGradients[k].copy();
    }
}
