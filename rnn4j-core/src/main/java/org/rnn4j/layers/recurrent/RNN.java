package org.rnn4j.layers.recurrent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.RecurrentLayer;
import org.rnn4j.layers.StatefulStates;
import org.rnn4j.layers.Variable;
import org.rnn4j.saving.ConfigException;
import org.rnn4j.saving.LayerConfig;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's generic {@code RNN(cell)}: runs a {@link Cell} (or a list of cells, as
 * {@link StackedRNNCells}) over the time axis of {@code (batch, timesteps, features)} input.
 * Inputs are {@code [x]} or {@code [x, state0, ...]} (Keras's {@code initial_state}, in the
 * cell's state order); outputs {@code [output]} or, with returnState, {@code [output, state0, ...]}.
 *
 * <p>A lone SimpleRNNCell, LSTMCell or GRUCell runs on the fused whole-sequence loop of
 * SimpleRNN, LSTM or GRU (the same code, so {@code RNN(LSTMCell(n))} gives exactly the numbers of
 * {@code LSTM(n)} with the same weights); any other cell runs step by step ({@link CellRun}).
 */
public class RNN extends Layer implements org.rnn4j.layers.StatefulLayer {
    private final Cell cell;
    private boolean returnSequences;
    private boolean returnState;
    private boolean goBackwards;
    private boolean stateful;
    private boolean unroll;
    private boolean zeroOutputForMask;
    /** The fused layer of a lone built-in cell (built with this layer), or null. */
    private RecurrentLayer<?> fused;
    private final StatefulStates carried = new StatefulStates();

    public RNN(Cell cell) {
        if (cell == null) {
            throw new IllegalArgumentException("RNN needs a cell");
        }
        this.cell = cell;
    }

    /** Keras's {@code RNN([cell1, cell2])}: the cells stacked with {@link StackedRNNCells}. */
    public RNN(List<? extends Cell> cells) {
        this(new StackedRNNCells(cells));
    }

    @Override
    public String className() {
        return "RNN";
    }

    public Cell cell() {
        return cell;
    }

    // ------------------------------------------------------------------ options

    public RNN returnSequences(boolean v) {
        checkNotBuilt();
        this.returnSequences = v;
        return this;
    }

    public RNN returnState(boolean v) {
        checkNotBuilt();
        this.returnState = v;
        return this;
    }

    public RNN goBackwards(boolean v) {
        checkNotBuilt();
        this.goBackwards = v;
        return this;
    }

    /**
     * Keras's {@code stateful}: the final states of each call are the initial states of the next
     * (one fixed batch size; concurrent calls are refused, see {@link StatefulStates}).
     */
    public RNN stateful(boolean v) {
        checkNotBuilt();
        this.stateful = v;
        return this;
    }

    /** Keras's {@code unroll}: accepted and saved; the loop is the same either way (numbers equal). */
    public RNN unroll(boolean v) {
        checkNotBuilt();
        this.unroll = v;
        return this;
    }

    public RNN zeroOutputForMask(boolean v) {
        checkNotBuilt();
        this.zeroOutputForMask = v;
        return this;
    }

    @Override
    public RNN name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public RNN inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    public boolean returnSequences() {
        return returnSequences;
    }

    public boolean returnState() {
        return returnState;
    }

    public boolean goBackwards() {
        return goBackwards;
    }

    @Override
    public boolean stateful() {
        return stateful;
    }

    public boolean unroll() {
        return unroll;
    }

    public boolean zeroOutputForMask() {
        return zeroOutputForMask;
    }

    /** Keras's {@code reset_state()}: a stateful RNN's next call starts from zero states. */
    @Override
    public void resetStates() {
        if (fused != null) {
            fused.resetStates();
        } else {
            carried.reset();
        }
    }

    /** The states a stateful RNN carries into its next call (empty before its first call). */
    @Override
    public List<Tensor> carriedStates() {
        return fused != null ? fused.carriedStates() : carried.get();
    }

    @Override
    public int statefulBatchSize() {
        return fused != null ? fused.statefulBatchSize() : carried.batchSize();
    }

    /** Fixes the batch size; before build it is kept and handed to the fused layer at build. */
    @Override
    public void statefulBatchSize(int batch) {
        carried.batchSize(batch);
        if (fused != null) {
            fused.statefulBatchSize(batch);
        }
    }

    // ------------------------------------------------------------------ shapes and weights

    /** Features of one step of the (time-major-flattened) input the cell sees. */
    protected int stepInputSize() {
        return inputShape()[1];
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length != 2 || in[1] <= 0) {
            throw new LayerShapeException("Layer '" + name() + "' (RNN) expects input of shape (None, timesteps, "
                    + "features) with a known feature size but got " + Shapes.withBatch(in)
                    + "; RNN takes 3D input (batch, timesteps, features), e.g. inputShape(4, 6)");
        }
        int o = cell.outputSize();
        return returnSequences ? new int[] {in[0], o} : new int[] {o};
    }

    @Override
    public List<int[]> computeOutputShapes(List<int[]> inputShapes) {
        int[] sizes = cell.stateSizes();
        int n = inputShapes.size();
        if (n != 1 && n != 1 + sizes.length) {
            throw new LayerShapeException("Layer '" + name() + "' (RNN) takes [x] or [x] + " + sizes.length
                    + " initial states " + Arrays.toString(sizes) + " but is called on " + n + " inputs: "
                    + Shapes.listToString(inputShapes));
        }
        for (int k = 1; k < n; k++) {
            int[] s = inputShapes.get(k);
            if (s.length != 1 || (s[0] != sizes[k - 1] && s[0] != -1)) {
                throw new LayerShapeException("Layer '" + name() + "' (RNN): initial state " + (k - 1) + " (input " + k
                        + ") must have shape (None, " + sizes[k - 1] + ") but got " + Shapes.withBatch(s));
            }
        }
        List<int[]> out = new ArrayList<>();
        out.add(computeOutputShape(inputShapes.get(0)));
        if (returnState) {
            for (int s : sizes) {
                out.add(new int[] {s});
            }
        }
        return out;
    }

    @Override
    protected void createWeights(List<int[]> shapes, Rng rng) {
        if (cell instanceof BaseCell && !cell.isBuilt()) {
            BaseCell<?> c = (BaseCell<?>) cell;
            RecurrentLayer<?> l = c.fusedLayer(name());
            l.returnSequences(returnSequences).returnState(returnState).goBackwards(goBackwards)
                    .zeroOutputForMask(zeroOutputForMask).stateful(stateful);
            l.build(shapes, rng);
            l.statefulBatchSize(carried.batchSize());
            c.adopt(l);
            fused = l;
            return;
        }
        if (!cell.isBuilt()) {
            cell.build(shapes.get(0)[1], rng);
        }
    }

    @Override
    public List<Variable> weights() {
        return cell.weights();
    }

    @Override
    public boolean isTrainable() {
        return super.isTrainable() && cell.isTrainable();
    }

    @Override
    public Mask computeMask(Tensor input, Mask mask) {
        return returnSequences ? mask : null;
    }

    @Override
    public List<Mask> computeMasks(List<Tensor> inputs, List<Mask> masks) {
        Mask m = computeMask(inputs.get(0), masks == null || masks.isEmpty() ? null : masks.get(0));
        List<Mask> out = new ArrayList<>();
        out.add(m);
        if (returnState) {
            for (int k = 0; k < cell.stateSizes().length; k++) {
                out.add(null);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ running

    private CellRun run(LayerContext ctx) {
        CellRun r = ctx.state(() -> new CellRun(this, ctx));
        if (r.layer != this) {
            throw new IllegalStateException("Layer '" + name() + "': this context belongs to layer '" + r.layer.name()
                    + "'; use one context per layer and call site");
        }
        return r;
    }

    private void runForward(CellRun r, Tensor x, Mask mask, boolean training, Tensor[] initial, int n) {
        if (!stateful) {
            r.forward(x, mask, training, initial, n);
            return;
        }
        Tensor[] now = carried.begin(this, x.rank() > 0 ? x.dim(0) : 0, cell.stateSizes());
        List<Tensor> finals = null;
        try {
            r.forward(x, mask, training, initial.length > 0 ? initial : now, n);
            finals = r.finalStates();
        } finally {
            carried.end(finals);
        }
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        requireBuilt();
        if (fused != null) {
            return fused.forward(x, mask, training, ctx);
        }
        CellRun r = run(ctx);
        runForward(r, x, mask, training, new Tensor[0], 1);
        return r.output();
    }

    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        requireBuilt();
        if (fused != null) {
            return fused.forwardAll(inputs, masks, training, ctx);
        }
        int n = inputs.size();
        int states = cell.stateSizes().length;
        if (n != 1 && n != 1 + states) {
            throw new IllegalArgumentException("Layer '" + name() + "' (RNN) takes [x] or [x] + " + states
                    + " initial states but got " + n + " tensors");
        }
        CellRun r = run(ctx);
        Mask mask = masks == null || masks.isEmpty() ? null : masks.get(0);
        runForward(r, inputs.get(0), mask, training, inputs.subList(1, n).toArray(new Tensor[0]), n);
        Tensor y = r.output();
        if (!returnState) {
            return List.of(y);
        }
        List<Tensor> out = new ArrayList<>();
        out.add(y);
        out.addAll(r.finalStates());
        return out;
    }

    private CellRun recorded(LayerContext ctx) {
        CellRun r = ctx.existingState();
        if (r == null || !r.recorded || r.layer != this) {
            throw noForwardRecorded();
        }
        return r;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        if (fused != null) {
            return fused.backward(gradOutput, ctx);
        }
        return recorded(ctx).backward(gradOutput, new Tensor[0], ctx.inputGradientNeeded());
    }

    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        if (fused != null) {
            return fused.backwardAll(gradOutputs, ctx);
        }
        CellRun r = recorded(ctx);
        int states = cell.stateSizes().length;
        int outputs = returnState ? 1 + states : 1;
        if (gradOutputs.size() != outputs) {
            throw new IllegalArgumentException("Layer '" + name() + "' (RNN) has " + outputs + " output(s) but got "
                    + gradOutputs.size() + " gradients");
        }
        Tensor dx = r.backward(gradOutputs.get(0), gradOutputs.subList(1, outputs).toArray(new Tensor[0]),
                ctx.inputGradientNeeded());
        if (r.inputCount == 1) {
            return Collections.singletonList(dx);
        }
        Tensor[] all = new Tensor[r.inputCount];
        all[0] = dx;
        for (int k = 1; k < all.length; k++) {
            all[k] = r.initialStateGradient(k - 1);
        }
        return Arrays.asList(all);
    }

    // ------------------------------------------------------------------ config

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("return_sequences", returnSequences);
        c.put("return_state", returnState);
        c.put("go_backwards", goBackwards);
        c.put("stateful", stateful);
        c.put("unroll", unroll);
        c.put("zero_output_for_mask", zeroOutputForMask);
        c.put("cell", Cells.serialize(cell));
        return c;
    }

    /** Keras's {@code RNN.from_config}: the cell nested as {@code {"module", "class_name", "config"}}. */
    public static RNN fromConfig(Map<String, Object> config) {
        Object n = config.get("name");
        String where = "layer '" + n + "' (RNN)";
        try {
            LayerConfig c = new LayerConfig(where, config);
            RNN r = new RNN(Cells.deserialize(c.get("cell"), where));
            r.returnSequences(c.bool("return_sequences", false));
            r.returnState(c.bool("return_state", false));
            r.goBackwards(c.bool("go_backwards", false));
            r.stateful(c.bool("stateful", false));
            r.unroll(c.bool("unroll", false));
            r.zeroOutputForMask(c.bool("zero_output_for_mask", false));
            c.require("time_major", false, "time_major=false (batch-major input)");
            if (n instanceof String) {
                r.name((String) n);
            }
            r.trainable(c.bool("trainable", true));
            c.finish();
            return r;
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
