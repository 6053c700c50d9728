package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.rnn4j.activations.Activation;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * The stateless calls of the recurrent layers: inputs {@code [x]} or {@code [x, h0]}
 * ({@code [x, h0, c0]} for LSTM, Keras's {@code initial_state}), outputs {@code [output]} or,
 * with {@code returnState}, {@code [output, h]} ({@code [output, h, c]} for LSTM). The fused
 * whole-sequence forward and backward run in a per-call {@link RecurrentRun} kept in the
 * {@link LayerContext}; the layer object holds configuration and weights only, so one layer can
 * run from many contexts (threads, shared nodes) at once.
 */
abstract class RecurrentLoop extends Layer implements StatefulLayer {
    protected final int units;

    protected Variable kernel;
    protected Variable recurrentKernel;
    protected Variable bias;
    /** Seed of the dropout stream: every context draws its masks from {@code new Rng(dropoutSeed)}. */
    protected long dropoutSeed;
    /** Test hook: reuse the current dropout masks of a context in its later calls (finite differences). */
    boolean freezeDropoutMasks;
    /** The matmul kernel (Kernels.matmul(); tests may pin the scalar reference). */
    protected MatMul matmul = Kernels.matmul();
    /** The activations the time loop runs: the fastest equivalents (Kernels.activation), set at build. */
    protected Activation stepActivation;
    protected Activation stepRecurrentActivation;
    /** Test and measurement hook: false = the per-step matmuls take U unpacked (the old path). */
    boolean packRecurrentKernel = true;
    /** With {@code stateful}: the states carried from call to call (see {@link StatefulStates} for why per layer). */
    protected final StatefulStates carried = new StatefulStates();

    protected RecurrentLoop(int units) {
        checkUnits(units);
        this.units = units;
    }

    protected RecurrentLoop(int units, String explicitName) {
        super(explicitName);
        checkUnits(units);
        this.units = units;
    }

    private void checkUnits(int u) {
        if (u <= 0) {
            throw new IllegalArgumentException(className() + ": units must be a positive integer, got " + u);
        }
    }

    /** Number of gate blocks G in the kernels: 1 (SimpleRNN), 4 (LSTM), 3 (GRU). */
    protected abstract int gateCount();

    /** A new per-call state for this layer (its cell's step math and buffers). */
    abstract RecurrentRun newRun();

    /** Number of state tensors: 1 (h) for SimpleRNN and GRU, 2 (h, c) for LSTM. */
    public int stateCount() {
        return 1;
    }

    static String stateName(int count, int k) {
        return k == 0 ? "h" : "c";
    }

    // Options the loop reads (RecurrentLayer's getters).
    public abstract Activation activation();

    protected abstract Activation recurrentActivationValue();

    public abstract boolean useBias();

    public abstract boolean returnSequences();

    public abstract boolean returnState();

    public abstract boolean goBackwards();

    public abstract boolean zeroOutputForMask();

    public abstract double dropout();

    public abstract double recurrentDropout();

    @Override
    public abstract boolean stateful();

    /**
     * Keras's {@code reset_state()} of a stateful layer: the next call starts from zero states
     * (the batch size stays fixed).
     */
    @Override
    public void resetStates() {
        carried.reset();
    }

    /** The states a stateful layer carries into its next call (empty before its first call). */
    @Override
    public List<Tensor> carriedStates() {
        return carried.get();
    }

    @Override
    public void statefulBatchSize(int batch) {
        carried.batchSize(batch);
    }

    @Override
    public int statefulBatchSize() {
        return carried.batchSize();
    }

    private int[] stateSizes() {
        int[] s = new int[stateCount()];
        java.util.Arrays.fill(s, units);
        return s;
    }

    /** Runs {@code run} forward, from (and into) the carried states when stateful. */
    private void runForward(RecurrentRun run, Tensor x, Mask mask, boolean training, Tensor[] initial, int n) {
        if (!stateful()) {
            run.forward(x, mask, training, initial, n);
            return;
        }
        Tensor[] carriedNow = carried.begin(this, x.rank() > 0 ? x.dim(0) : 0, stateSizes());
        List<Tensor> finals = null;
        try {
            // Keras: an explicit initial_state wins; the final states are carried either way.
            run.forward(x, mask, training, initial.length > 0 ? initial : carriedNow, n);
            finals = run.finalStates();
        } finally {
            carried.end(finals);
        }
    }

    /** Test hook: run on the scalar reference kernels (matmul and activations). */
    void useScalarKernels() {
        this.matmul = Kernels.scalarMatmul();
        this.stepActivation = activation();
        this.stepRecurrentActivation = recurrentActivationValue();
    }

    /** Test hook: reuse the current dropout masks in later calls (for finite differences). */
    void freezeDropoutMasks(boolean value) {
        this.freezeDropoutMasks = value;
    }

    // ------------------------------------------------------------------ shapes

    /**
     * Shapes for {@code [x]} or {@code [x, h0(, c0)]}: the output, then with returnState one
     * {@code (units)} per state. Initial states must be {@code (None, units)}.
     */
    @Override
    public List<int[]> computeOutputShapes(List<int[]> inputShapes) {
        int n = inputShapes.size();
        if (n != 1 && n != 1 + stateCount()) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + ") takes " + expectedInputs()
                    + " but is called on " + n + " inputs: " + Shapes.listToString(inputShapes));
        }
        for (int k = 1; k < n; k++) {
            int[] s = inputShapes.get(k);
            if (s.length != 1 || (s[0] != units && s[0] != -1)) {
                throw new LayerShapeException("Layer '" + name() + "' (" + className() + "): initial state "
                        + stateName(stateCount(), k - 1) + " (input " + k + ") must have shape (None, " + units
                        + ") but got " + Shapes.withBatch(s));
            }
        }
        List<int[]> out = new ArrayList<>(1 + stateCount());
        out.add(computeOutputShape(inputShapes.get(0)));
        if (returnState()) {
            for (int k = 0; k < stateCount(); k++) {
                out.add(new int[] {units});
            }
        }
        return out;
    }

    private String expectedInputs() {
        return stateCount() == 2 ? "[x] or [x, h, c] (initial_state)" : "[x] or [x, h] (initial_state)";
    }

    /** Keras: the output's mask is the input's with returnSequences; states have none. */
    @Override
    public List<Mask> computeMasks(List<Tensor> inputs, List<Mask> masks) {
        Mask m = computeMask(inputs.get(0), masks == null || masks.isEmpty() ? null : masks.get(0));
        List<Mask> out = new ArrayList<>(1 + stateCount());
        out.add(m);
        if (returnState()) {
            for (int k = 0; k < stateCount(); k++) {
                out.add(null);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ running

    private RecurrentRun run(LayerContext ctx) {
        RecurrentRun run = ctx.state(this::newRun);
        if (run.layer != this) {
            throw new IllegalStateException("Layer '" + name() + "': this context belongs to layer '"
                    + run.layer.name() + "'; use one context per layer and call site");
        }
        return run;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        requireBuilt();
        RecurrentRun run = run(ctx);
        runForward(run, x, mask, training, new Tensor[0], 1);
        return run.output();
    }

    /**
     * Runs on {@code [x]} or {@code [x, h0]} ({@code [x, h0, c0]} for LSTM); returns
     * {@code [output]}, or with returnState {@code [output, h]} ({@code [output, h, c]}). Only the
     * mask of x is used. Masked steps carry the states, as in Keras.
     */
    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        requireBuilt();
        int n = inputs.size();
        if (n != 1 && n != 1 + stateCount()) {
            throw new IllegalArgumentException("Layer '" + name() + "' (" + className() + ") takes " + expectedInputs()
                    + " but got " + n + " tensors");
        }
        RecurrentRun run = run(ctx);
        Tensor[] initial = inputs.subList(1, n).toArray(new Tensor[0]);
        Mask mask = masks == null || masks.isEmpty() ? null : masks.get(0);
        runForward(run, inputs.get(0), mask, training, initial, n);
        Tensor y = run.output();
        if (!returnState()) {
            return List.of(y);
        }
        List<Tensor> out = new ArrayList<>(1 + stateCount());
        out.add(y);
        out.addAll(run.finalStates());
        return out;
    }

    /**
     * The final states (h, then c for LSTM) of the last forward call made with {@code ctx},
     * whether or not returnState is set (the replacement of the former {@code states()}).
     */
    public List<Tensor> states(LayerContext ctx) {
        RecurrentRun run = ctx.existingState();
        if (run == null) {
            throw new IllegalStateException("Layer '" + name() + "': no forward call ran with this context yet");
        }
        return run.finalStates();
    }

    private RecurrentRun recordedRun(LayerContext ctx) {
        RecurrentRun run = ctx.existingState();
        if (run == null || !run.recorded || run.layer != this) {
            throw noForwardRecorded();
        }
        return run;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        RecurrentRun run = recordedRun(ctx);
        return run.backward(gradOutput, new Tensor[0], ctx.inputGradientNeeded());
    }

    /**
     * Gradients per output ({@code [dOutput]} or {@code [dOutput, dh(, dc)]}, null = unused) back
     * to {@code [dx]} or {@code [dx, dh0(, dc0)]}, one per input of the recorded forward call
     * (dx is null when the context does not need the input gradient).
     */
    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        RecurrentRun run = recordedRun(ctx);
        int outputs = returnState() ? 1 + stateCount() : 1;
        if (gradOutputs.size() != outputs) {
            throw new IllegalArgumentException("Layer '" + name() + "' (" + className() + ") has " + outputs
                    + " output(s) but got " + gradOutputs.size() + " gradients");
        }
        Tensor[] stateGrads = gradOutputs.subList(1, outputs).toArray(new Tensor[0]);
        Tensor dx = run.backward(gradOutputs.get(0), stateGrads, ctx.inputGradientNeeded());
        if (run.inputCount == 1) {
            return Collections.singletonList(dx);
        }
        Tensor[] all = new Tensor[run.inputCount];
        all[0] = dx;
        for (int k = 1; k < all.length; k++) {
            all[k] = run.initialStateGradient(k - 1);
        }
        return Arrays.asList(all);
    }
}
