package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.regularizers.ActivityLoss;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's Bidirectional wrapper: a forward copy {@code forward_<name>} and a backward copy
 * {@code backward_<name>} (go_backwards flipped) of the wrapped recurrent layer, merged by
 * {@code concat} (default), {@code sum}, {@code mul} or {@code ave}. With return_sequences the
 * backward outputs are flipped back to input order, and masked steps are zeros (Keras forces
 * {@code zero_output_for_mask} on both copies). Weights: the forward copy's, then the backward's.
 * The copies run in child contexts 0 and 1 of the wrapper's context, in parallel on two kernel
 * threads when there are two (each with single-threaded gemms; the same numbers as in turn). With return_state the
 * outputs are Keras's {@code [output, forward states..., backward states...]}; initial states
 * are taken as {@code [x, forward h(, c), backward h(, c)]}.
 */
public class Bidirectional extends Layer {
    private static final List<String> MODES = List.of("concat", "sum", "mul", "ave");

    private final RecurrentLayer<?> forwardLayer;
    private RecurrentLayer<?> backwardLayer;
    private String mergeMode = "concat";

    public Bidirectional(Layer layer) {
        RecurrentLayer<?> rnn = requireRecurrent(layer, "layer");
        this.forwardLayer = rnn.copyConfig("forward_" + stripPrefix(rnn.name(), "forward_"));
        RecurrentLayer<?> back = rnn.copyConfig("backward_" + stripPrefix(rnn.name(), "backward_"));
        back.goBackwards(!rnn.goBackwards());
        this.backwardLayer = back;
        forceZeroOutputForMask();
        int[] declared = layer.declaredInputShape();
        if (declared != null) {
            super.inputShape(declared);
        }
    }

    public Bidirectional(Layer layer, Layer backwardLayer) {
        this(layer);
        backwardLayer(backwardLayer);
    }

    private static String stripPrefix(String s, String prefix) {
        return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
    }

    private RecurrentLayer<?> requireRecurrent(Layer layer, String what) {
        if (!(layer instanceof RecurrentLayer<?> r)) {
            throw new IllegalArgumentException("Bidirectional '" + name() + "': `" + what
                    + "` must be a recurrent layer (SimpleRNN, LSTM or GRU), got "
                    + (layer == null ? "null" : layer.className()));
        }
        return r;
    }

    /** Keras's {@code merge_mode}: "concat", "sum", "mul" or "ave". */
    public Bidirectional mergeMode(String mode) {
        checkNotBuilt();
        String m = mode == null ? "null" : mode.toLowerCase(Locale.ROOT);
        if (!MODES.contains(m)) {
            throw new IllegalArgumentException("Bidirectional '" + name() + "': invalid merge mode '" + mode
                    + "'; valid modes are " + MODES + " (a null merge mode, returning two outputs, is not supported)");
        }
        this.mergeMode = m;
        return this;
    }

    /** Keras's {@code backward_layer}: used as given; its go_backwards must differ from the forward's. */
    public Bidirectional backwardLayer(Layer layer) {
        checkNotBuilt();
        RecurrentLayer<?> b = requireRecurrent(layer, "backward_layer");
        if (b.goBackwards() == forwardLayer.goBackwards()) {
            throw new IllegalArgumentException("Bidirectional '" + name() + "': forward layer and backward layer "
                    + "should have different `go_backwards` values, both are " + b.goBackwards()
                    + "; set goBackwards(" + !forwardLayer.goBackwards() + ") on the backward layer");
        }
        if (b.returnSequences() != forwardLayer.returnSequences() || b.returnState() != forwardLayer.returnState()) {
            throw new IllegalArgumentException("Bidirectional '" + name() + "': forward layer and backward layer "
                    + "must have the same return_sequences and return_state (forward: " + forwardLayer.returnSequences()
                    + "/" + forwardLayer.returnState() + ", backward: " + b.returnSequences() + "/" + b.returnState() + ")");
        }
        this.backwardLayer = b;
        forceZeroOutputForMask();
        return this;
    }

    private void forceZeroOutputForMask() {
        forwardLayer.zeroOutputForMask(forwardLayer.returnSequences());
        backwardLayer.zeroOutputForMask(backwardLayer.returnSequences());
    }

    @Override
    public Bidirectional inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Bidirectional name(String n) {
        super.name(n);
        return this;
    }

    public String mergeMode() {
        return mergeMode;
    }

    public RecurrentLayer<?> forwardLayer() {
        return forwardLayer;
    }

    public RecurrentLayer<?> backwardLayer() {
        return backwardLayer;
    }

    public boolean returnSequences() {
        return forwardLayer.returnSequences();
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        int[] out = forwardLayer.computeOutputShape(in);
        backwardLayer.computeOutputShape(in);
        if (mergeMode.equals("concat")) {
            out[out.length - 1] = forwardLayer.units() + backwardLayer.units();
        } else if (forwardLayer.units() != backwardLayer.units()) {
            throw new IllegalArgumentException("Bidirectional '" + name() + "': merge mode '" + mergeMode
                    + "' needs equal units, got " + forwardLayer.units() + " and " + backwardLayer.units());
        }
        return out;
    }

    /** Whether the wrapped layers return their states (Keras's return_state). */
    public boolean returnState() {
        return forwardLayer.returnState();
    }

    /** States per direction: 1 (h), 2 for LSTM (h, c). */
    private int statesPerDirection() {
        return forwardLayer.stateCount();
    }

    /**
     * Inputs {@code [x]} or {@code [x, fw h(, fw c), bw h(, bw c)]} (Keras splits
     * {@code initial_state} in halves); outputs the merged output, then with returnState the
     * forward layer's final states and the backward layer's, as Keras.
     */
    @Override
    public List<int[]> computeOutputShapes(List<int[]> inputShapes) {
        int n = inputShapes.size();
        int k = statesPerDirection();
        if (n != 1 && n != 1 + 2 * k) {
            throw new LayerShapeException("Layer '" + name() + "' (Bidirectional) takes [x] or [x, "
                    + (k == 2 ? "forward h, forward c, backward h, backward c" : "forward h, backward h")
                    + "] (initial_state) but is called on " + n + " inputs: "
                    + org.rnn4j.tensor.Shapes.listToString(inputShapes));
        }
        List<int[]> fw = forwardLayer.computeOutputShapes(directionInputs(inputShapes, 0));
        List<int[]> bw = backwardLayer.computeOutputShapes(directionInputs(inputShapes, 1));
        List<int[]> out = new ArrayList<>();
        out.add(computeOutputShape(inputShapes.get(0)));
        out.addAll(fw.subList(1, fw.size()));
        out.addAll(bw.subList(1, bw.size()));
        return out;
    }

    /** {@code [x]} or {@code [x, states of direction d]} out of the wrapper's inputs. */
    private <T> List<T> directionInputs(List<T> inputs, int d) {
        if (inputs.size() == 1) {
            return inputs;
        }
        int k = statesPerDirection();
        List<T> l = new ArrayList<>(1 + k);
        l.add(inputs.get(0));
        l.addAll(inputs.subList(1 + d * k, 1 + (d + 1) * k));
        return l;
    }

    @Override
    protected void createWeights(int[] in, Rng rng) {
        forwardLayer.build(in, rng);
        backwardLayer.build(in, rng);
    }

    @Override
    public List<Variable> weights() {
        List<Variable> all = new ArrayList<>(forwardLayer.weights());
        all.addAll(backwardLayer.weights());
        return Collections.unmodifiableList(all);
    }

    @Override
    public Mask computeMask(Tensor input, Mask mask) {
        return returnSequences() ? mask : null;
    }

    @Override
    public List<Mask> computeMasks(List<Tensor> inputs, List<Mask> masks) {
        List<Mask> out = new ArrayList<>();
        out.add(computeMask(inputs.get(0), masks == null || masks.isEmpty() ? null : masks.get(0)));
        if (returnState()) {
            for (int i = 0; i < 2 * statesPerDirection(); i++) {
                out.add(null);
            }
        }
        return out;
    }

    /**
     * What backward needs from one forward call: both directions' outputs, the backward
     * direction's as it produced it (in processing order, i.e. reversed in time with
     * return_sequences; merge and split read it reversed by index instead of flipping it).
     */
    private static final class Run {
        Tensor forwardOut;
        Tensor backwardOut;
        /** Each copy's outputs (y and its states), kept in training when the copy has an activity regularizer. */
        List<List<Tensor>> copyOutputs;
        int inputCount;
        boolean recorded;
    }

    /**
     * Whether the two directions run as two pool tasks ({@code -Drnn4j.parallelDirections=true}).
     * Off by default: measured on W4 (2 cores), directions one after the other, each split into
     * row blocks on both cores, train in 20 ms/step and infer 13,700 samples/s, against 30 ms and
     * 6,600/s as two tasks. Results are the same bits either way.
     */
    boolean parallelDirections = PARALLEL_DIRECTIONS;

    private static final boolean PARALLEL_DIRECTIONS =
            Boolean.parseBoolean(System.getProperty("rnn4j.parallelDirections", "false"));

    /**
     * Runs {@code direction.accept(0)} (forward copy) and {@code direction.accept(1)} (backward
     * copy), on two kernel threads when there are two: the copies share nothing but the read-only
     * input, and each keeps its gemms on its own thread, so the results are those of running them
     * one after the other.
     */
    private void bothDirections(java.util.function.IntConsumer direction) {
        if (parallelDirections) {
            Kernels.runTasks(2, direction);
        } else {
            direction.accept(0);
            direction.accept(1);
        }
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        return forwardAll(List.of(x), java.util.Collections.singletonList(mask), training, ctx).get(0);
    }

    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        requireBuilt();
        int n = inputs.size();
        int k = statesPerDirection();
        if (n != 1 && n != 1 + 2 * k) {
            throw new IllegalArgumentException("Layer '" + name() + "' (Bidirectional) takes [x] or [x] + " + 2 * k
                    + " initial states, but got " + n + " tensors");
        }
        Run run = ctx.state(Run::new);
        run.recorded = false;
        Mask mask = masks == null || masks.isEmpty() ? null : masks.get(0);
        List<Mask> m = java.util.Collections.singletonList(mask);
        // Everything a direction touches is made here, on the calling thread (contexts are not thread-safe).
        RecurrentLayer<?>[] layers = {forwardLayer, backwardLayer};
        LayerContext[] contexts = {ctx.child(0), ctx.child(1)};
        List<List<Tensor>> ins = List.of(directionInputs(inputs, 0), directionInputs(inputs, 1));
        @SuppressWarnings("unchecked")
        List<Tensor>[] outs = new List[2];
        bothDirections(d -> outs[d] = layers[d].forwardAll(ins.get(d), m, training, contexts[d]));
        List<Tensor> fw = outs[0];
        List<Tensor> bw = outs[1];
        addCopyActivityLosses(outs, run, training, ctx);
        Tensor y = fw.get(0);
        Tensor yRev = bw.get(0);
        run.forwardOut = training ? y : null;
        run.backwardOut = training ? yRev : null;
        run.inputCount = n;
        run.recorded = training;
        if (!returnState()) {
            return List.of(merge(y, yRev));
        }
        List<Tensor> out = new ArrayList<>(1 + 2 * k);
        out.add(merge(y, yRev));
        out.addAll(fw.subList(1, fw.size()));
        out.addAll(bw.subList(1, bw.size()));
        return out;
    }

    /**
     * Keras calls the two copies as layers, so a copy's activity_regularizer adds
     * {@code regularizer(output) / batch} for each of its outputs (y and, with return_state, its states).
     */
    private void addCopyActivityLosses(List<Tensor>[] outs, Run run, boolean training, LayerContext ctx) {
        RecurrentLayer<?>[] layers = {forwardLayer, backwardLayer};
        run.copyOutputs = null;
        for (int d = 0; d < 2; d++) {
            Regularizer r = layers[d].activityRegularizer();
            if (r == null) {
                continue;
            }
            for (Tensor t : outs[d]) {
                ctx.addLoss(ActivityLoss.of(r, t));
            }
            if (training) {
                if (run.copyOutputs == null) {
                    run.copyOutputs = new ArrayList<>(java.util.Arrays.asList(null, null));
                }
                run.copyOutputs.set(d, outs[d]);
            }
        }
    }

    /** The gradients of one copy's outputs plus its activity terms (unchanged without a regularizer). */
    private static List<Tensor> withCopyActivity(RecurrentLayer<?> layer, List<Tensor> outputs, List<Tensor> grads) {
        Regularizer r = layer.activityRegularizer();
        if (r == null || outputs == null) {
            return grads;
        }
        List<Tensor> g = new ArrayList<>(grads.size());
        for (int i = 0; i < grads.size(); i++) {
            g.add(ActivityLoss.withGradient(r, outputs.get(i), grads.get(i)));
        }
        return g;
    }

    /**
     * Row {@code r} of the backward output that lines up with row {@code r} of the forward
     * output: with return_sequences the backward copy's rows are in reversed time order, so
     * (sample b, time t) of the merged output reads its step {@code T-1-t}; else the same row.
     */
    private int backwardRow(int r, int steps) {
        if (steps <= 1) {
            return r;
        }
        int b = r / steps;
        int t = r % steps;
        return b * steps + (steps - 1 - t);
    }

    /** Time steps of a returned sequence (1 when the layer returns its last output only). */
    private int sequenceSteps(Tensor y) {
        return returnSequences() ? y.dim(1) : 1;
    }

    private Tensor merge(Tensor y, Tensor yRev) {
        float[] a = y.data();
        float[] b = yRev.data();
        int hf = y.dim(-1);
        int hb = yRev.dim(-1);
        int rows = y.size() / hf;
        int steps = sequenceSteps(y);
        if (mergeMode.equals("concat")) {
            int[] shape = y.shape();
            shape[shape.length - 1] = hf + hb;
            float[] out = new float[rows * (hf + hb)];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(a, r * hf, out, r * (hf + hb), hf);
                System.arraycopy(b, backwardRow(r, steps) * hb, out, r * (hf + hb) + hf, hb);
            }
            return Tensor.of(out, shape);
        }
        float[] out = new float[a.length];
        for (int r = 0; r < rows; r++) {
            int o = r * hf;
            int ob = backwardRow(r, steps) * hf;
            for (int j = 0; j < hf; j++) {
                float u = a[o + j];
                float v = b[ob + j];
                out[o + j] = switch (mergeMode) {
                    case "sum" -> u + v;
                    case "mul" -> u * v;
                    default -> (u + v) / 2f;
                };
            }
        }
        return Tensor.of(out, y.shape());
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        Run run = ctx.existingState();
        if (run == null || !run.recorded) {
            throw noForwardRecorded();
        }
        List<Tensor> grads = new ArrayList<>();
        grads.add(gradOutput);
        if (returnState()) {
            for (int i = 0; i < 2 * statesPerDirection(); i++) {
                grads.add(null);
            }
        }
        return backwardAll(grads, ctx).get(0);
    }

    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        Run run = ctx.existingState();
        if (run == null || !run.recorded) {
            throw noForwardRecorded();
        }
        int k = statesPerDirection();
        int outputs = returnState() ? 1 + 2 * k : 1;
        if (gradOutputs.size() != outputs) {
            throw new IllegalArgumentException("Layer '" + name() + "' (Bidirectional) has " + outputs
                    + " output(s) but got " + gradOutputs.size() + " gradients");
        }
        Tensor lastForward = run.forwardOut;
        Tensor lastBackward = run.backwardOut;
        Tensor gradOutput = gradOutputs.get(0);
        Tensor dfw = null;
        Tensor dRev = null;
        if (gradOutput != null) {
            float[] g = gradOutput.data();
            int hf = lastForward.dim(-1);
            int hb = lastBackward.dim(-1);
            float[] df = new float[lastForward.size()];
            float[] db = new float[lastBackward.size()];
            int rows = df.length / hf;
            int steps = sequenceSteps(lastForward);
            // The backward copy's gradient is written in its own (reversed) order by index.
            if (mergeMode.equals("concat")) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(g, r * (hf + hb), df, r * hf, hf);
                    System.arraycopy(g, r * (hf + hb) + hf, db, backwardRow(r, steps) * hb, hb);
                }
            } else {
                float[] a = lastForward.data();
                float[] b = lastBackward.data();
                for (int r = 0; r < rows; r++) {
                    int o = r * hf;
                    int ob = backwardRow(r, steps) * hf;
                    for (int j = 0; j < hf; j++) {
                        float gi = g[o + j];
                        switch (mergeMode) {
                            case "sum" -> { df[o + j] = gi; db[ob + j] = gi; }
                            case "mul" -> { df[o + j] = gi * b[ob + j]; db[ob + j] = gi * a[o + j]; }
                            default -> { df[o + j] = gi / 2f; db[ob + j] = gi / 2f; }
                        }
                    }
                }
            }
            dfw = Tensor.of(df, lastForward.shape());
            dRev = Tensor.of(db, lastBackward.shape());
        }
        List<Tensor> gf = new ArrayList<>(1 + k);
        List<Tensor> gb = new ArrayList<>(1 + k);
        gf.add(dfw);
        gb.add(dRev);
        if (returnState()) {
            gf.addAll(gradOutputs.subList(1, 1 + k));
            gb.addAll(gradOutputs.subList(1 + k, 1 + 2 * k));
        }
        RecurrentLayer<?>[] layers = {forwardLayer, backwardLayer};
        LayerContext[] contexts = {ctx.child(0), ctx.child(1)};
        if (run.copyOutputs != null) {
            gf = withCopyActivity(forwardLayer, run.copyOutputs.get(0), gf);
            gb = withCopyActivity(backwardLayer, run.copyOutputs.get(1), gb);
        }
        List<List<Tensor>> grads = List.of(gf, gb);
        @SuppressWarnings("unchecked")
        List<Tensor>[] results = new List[2];
        bothDirections(d -> results[d] = layers[d].backwardAll(grads.get(d), contexts[d]));
        List<Tensor> rf = results[0];
        List<Tensor> rb = results[1];
        Tensor dx = rf.get(0);
        Tensor dxb = rb.get(0);
        if (dx == null || dxb == null) {
            dx = null;
        } else {
            float[] d = dx.data();
            float[] e = dxb.data();
            for (int i = 0; i < d.length; i++) {
                d[i] += e[i];
            }
        }
        if (run.inputCount == 1) {
            return java.util.Collections.singletonList(dx);
        }
        List<Tensor> all = new ArrayList<>(run.inputCount);
        all.add(dx);
        all.addAll(rf.subList(1, rf.size()));
        all.addAll(rb.subList(1, rb.size()));
        return all;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("merge_mode", mergeMode);
        c.put("layer", nested(forwardLayer));
        c.put("backward_layer", nested(backwardLayer));
        return c;
    }

    private static Map<String, Object> nested(Layer l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", l.className());
        m.put("config", l.config());
        return m;
    }

    @Override
    public void inputGradientNeeded(boolean value) {
        super.inputGradientNeeded(value);
        forwardLayer.inputGradientNeeded(value);
        backwardLayer.inputGradientNeeded(value);
    }
}
