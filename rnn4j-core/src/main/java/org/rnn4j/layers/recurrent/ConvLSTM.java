package org.rnn4j.layers.recurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.activations.Activations;
import org.rnn4j.constraints.Constraint;
import org.rnn4j.constraints.Constraints;
import org.rnn4j.kernels.ConvGeometry;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.config.ConfigValues;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.saving.ConfigException;
import org.rnn4j.saving.LayerConfig;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Names;
import org.rnn4j.util.Rng;

/**
 * Keras's ConvLSTM1D, ConvLSTM2D and ConvLSTM3D (channels_last): an RNN of {@link ConvLSTMCell} over
 * {@code (batch, time, [[depth,] rows,] cols, channels)} input; weights {@code kernel (kernel_size..., C, 4F)},
 * {@code recurrent_kernel (kernel_size..., F, 4F)}, {@code bias (4F,)}. The step-by-step RNN loop
 * runs on inputs and states flattened per sample; this layer reshapes at its edges. Inputs are
 * {@code [x]} or {@code [x, h0, c0]} (Keras's {@code initial_state}, each of the state's shape
 * {@code (batch, [[depth,] rows,] cols, filters)}); their gradients flow back. Weight regularizers and
 * constraints are the cell's variables' (the trainer adds the penalties, the optimizer projects);
 * dropout is Keras's, per gate ({@link ConvLSTMDropout}).
 */
public class ConvLSTM extends RNN {
    private final int rank;

    ConvLSTM(int rank, int filters, int kH, int kW) {
        this(rank, filters, 1, kH, kW);
    }

    ConvLSTM(int rank, int filters, int kD, int kH, int kW) {
        super(new ConvLSTMCell(rank, filters, kD, kH, kW, Names.next("conv_lstm_cell")));
        if (filters <= 0 || kD <= 0 || kH <= 0 || kW <= 0) {
            throw new IllegalArgumentException("ConvLSTM" + rank + "D: filters and kernel_size must be positive, got "
                    + filters + " and " + (rank == 1 ? "" + kW : rank == 2 ? kH + "x" + kW : kD + "x" + kH + "x" + kW));
        }
        this.rank = rank;
        // Layer names itself before the rank is known; Keras's default is conv_lstm1d/2d/3d_N
        name(Names.next(Names.snakeCase(className())));
    }

    /** Keras's {@code ConvLSTM1D(filters, kernel_size)}. */
    public static ConvLSTM conv1d(int filters, int kernelSize) {
        return new ConvLSTM(1, filters, 1, kernelSize);
    }

    /** Keras's {@code ConvLSTM2D(filters, (kh, kw))}. */
    public static ConvLSTM conv2d(int filters, int kh, int kw) {
        return new ConvLSTM(2, filters, kh, kw);
    }

    /** Keras's {@code ConvLSTM3D(filters, (kd, kh, kw))}. */
    public static ConvLSTM conv3d(int filters, int kd, int kh, int kw) {
        return new ConvLSTM(3, filters, kd, kh, kw);
    }

    @Override
    public String className() {
        return "ConvLSTM" + rank + "D";
    }

    /**
     * One value per axis {@code (D, H, W)} from a Keras-style option: {@code rank} values, or one
     * for every axis; the axes the rank lacks are 1.
     */
    private int[] perAxis(String option, int[] v) {
        if (v.length != 1 && v.length != rank) {
            throw new IllegalArgumentException(className() + " '" + name() + "': " + option + " needs 1 or " + rank
                    + " values, got " + java.util.Arrays.toString(v));
        }
        int[] out = {1, 1, 1};
        for (int a = 3 - rank; a < 3; a++) {
            out[a] = v.length == 1 ? v[0] : v[a - (3 - rank)];
        }
        return out;
    }

    private ConvLSTMCell c() {
        return (ConvLSTMCell) cell();
    }

    // ------------------------------------------------------------------ options

    public ConvLSTM strides(int... s) {
        checkNotBuilt();
        int[] v = perAxis("strides", s);
        c().strideD = v[0];
        c().strideH = v[1];
        c().strideW = v[2];
        return this;
    }

    public ConvLSTM dilationRate(int... d) {
        checkNotBuilt();
        int[] v = perAxis("dilation_rate", d);
        c().dilationD = v[0];
        c().dilationH = v[1];
        c().dilationW = v[2];
        return this;
    }

    public ConvLSTM padding(String p) {
        checkNotBuilt();
        if (!p.equals("valid") && !p.equals("same")) {
            throw new IllegalArgumentException(className() + " '" + name() + "': padding must be \"valid\" or \"same\","
                    + " got \"" + p + "\"");
        }
        c().padding = p;
        return this;
    }

    public ConvLSTM activation(String a) {
        checkNotBuilt();
        c().activation = Activations.get(a);
        return this;
    }

    public ConvLSTM recurrentActivation(String a) {
        checkNotBuilt();
        c().recurrentActivation = Activations.get(a);
        return this;
    }

    public ConvLSTM useBias(boolean v) {
        checkNotBuilt();
        c().useBias = v;
        return this;
    }

    public ConvLSTM unitForgetBias(boolean v) {
        checkNotBuilt();
        c().unitForgetBias = v;
        return this;
    }

    /** Keras's {@code kernel_regularizer}: its penalty joins the training loss, as every layer's weight losses. */
    public ConvLSTM kernelRegularizer(Regularizer r) {
        checkNotBuilt();
        c().kernelRegularizer = r;
        return this;
    }

    public ConvLSTM recurrentRegularizer(Regularizer r) {
        checkNotBuilt();
        c().recurrentRegularizer = r;
        return this;
    }

    public ConvLSTM biasRegularizer(Regularizer r) {
        checkNotBuilt();
        c().biasRegularizer = r;
        return this;
    }

    /** Keras's {@code kernel_constraint}: the optimizer projects the kernel after each step. */
    public ConvLSTM kernelConstraint(Constraint k) {
        constraint("kernel", k);
        return this;
    }

    public ConvLSTM recurrentConstraint(Constraint k) {
        constraint("recurrent_kernel", k);
        return this;
    }

    public ConvLSTM biasConstraint(Constraint k) {
        constraint("bias", k);
        return this;
    }

    /**
     * Keras's {@code dropout}: in training, each gate convolves its own dropped copy of the step
     * input (four masks, drawn once per call and shared by every step); inference is unchanged.
     */
    public ConvLSTM dropout(double rate) {
        checkNotBuilt();
        c().dropout = Math.min(1.0, Math.max(0.0, rate));
        return this;
    }

    /** Keras's {@code recurrent_dropout}: the same for the previous h of each gate's recurrent convolution. */
    public ConvLSTM recurrentDropout(double rate) {
        checkNotBuilt();
        c().recurrentDropout = Math.min(1.0, Math.max(0.0, rate));
        return this;
    }

    /** Keras's {@code seed} for the dropout masks (null: drawn from the build's Rng). */
    public ConvLSTM seed(Long s) {
        checkNotBuilt();
        c().seed = s;
        return this;
    }

    public double dropout() {
        return c().dropout;
    }

    public double recurrentDropout() {
        return c().recurrentDropout;
    }

    /**
     * Test hook: the training calls use these masks ({@value ConvLSTMDropout#GATES} per side, one
     * step's input or state each, batch included) instead of drawing them; null draws again.
     */
    void fixDropoutMasks(float[][] input, float[][] recurrent) {
        c().fixedInputMasks = input;
        c().fixedRecurrentMasks = recurrent;
    }

    public Regularizer kernelRegularizer() {
        return c().kernelRegularizer;
    }

    public Regularizer recurrentRegularizer() {
        return c().recurrentRegularizer;
    }

    public Regularizer biasRegularizer() {
        return c().biasRegularizer;
    }

    @Override
    public ConvLSTM returnSequences(boolean v) {
        super.returnSequences(v);
        return this;
    }

    @Override
    public ConvLSTM returnState(boolean v) {
        super.returnState(v);
        return this;
    }

    @Override
    public ConvLSTM goBackwards(boolean v) {
        super.goBackwards(v);
        return this;
    }

    @Override
    public ConvLSTM stateful(boolean v) {
        super.stateful(v);
        return this;
    }

    @Override
    public ConvLSTM name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public ConvLSTM inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    // ------------------------------------------------------------------ shapes

    /** {@code [D, H, W, C]} of one step (D = 1 below rank 3, H = 1 for ConvLSTM1D). */
    private int[] stepShape(int[] in) {
        if (in.length != rank + 2) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + ") expects input of shape (None, time, "
                    + (rank == 3 ? "depth, " : "") + (rank >= 2 ? "rows, " : "") + "cols, channels) but got "
                    + Shapes.withBatch(in));
        }
        int d = rank == 3 ? in[1] : 1;
        int h = rank == 1 ? 1 : in[rank - 1];
        int w = in[rank];
        int ch = in[rank + 1];
        if (d <= 0 || h <= 0 || w <= 0 || ch <= 0) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + ") needs known spatial sizes and"
                    + " channels, got " + Shapes.withBatch(in));
        }
        return new int[] {d, h, w, ch};
    }

    /** Keras rejects strides and dilation both above 1 (its convolutions do not combine them). */
    private void checkStridesAndDilation() {
        ConvLSTMCell cl = c();
        if (Math.max(cl.strideD, Math.max(cl.strideH, cl.strideW)) > 1
                && Math.max(cl.dilationD, Math.max(cl.dilationH, cl.dilationW)) > 1) {
            throw new IllegalArgumentException(className() + " '" + name() + "': Specifying `strides > 1` is not compatible"
                    + " with `dilation_rate > 1`. Please provide `strides=1` or `dilation_rate=1`. Received: strides="
                    + lastAxes(cl.strideD, cl.strideH, cl.strideW) + " and dilation_rate="
                    + lastAxes(cl.dilationD, cl.dilationH, cl.dilationW));
        }
    }

    private int[] stateShape(int[] in) {
        checkStridesAndDilation();
        int[] s = stepShape(in);
        ConvLSTMCell cl = c();
        int[] k = {cl.kD, cl.kH, cl.kW};
        int[] st = {cl.strideD, cl.strideH, cl.strideW};
        int[] dl = {cl.dilationD, cl.dilationH, cl.dilationW};
        int[] out = new int[rank + 1];
        for (int a = 3 - rank; a < 3; a++) {
            int o = ConvGeometry.outputSize(s[a], k[a], st[a], dl[a], cl.padding);
            if (o < 1) {
                throw new LayerShapeException("Layer '" + name() + "' (" + className() + "): input " + Shapes.withBatch(in)
                        + " is too small for the kernel with padding \"" + cl.padding + "\"");
            }
            out[a - (3 - rank)] = o;
        }
        out[rank] = cl.filters;
        return out;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        int[] s = stateShape(in);
        if (!returnSequences()) {
            return s;
        }
        int[] o = new int[s.length + 1];
        o[0] = in[0];
        System.arraycopy(s, 0, o, 1, s.length);
        return o;
    }

    /**
     * Shapes for {@code [x]} or {@code [x, h0, c0]}: the output, then with returnState h and c.
     * Keras requires each initial state to have the state's shape (the output of one step).
     */
    @Override
    public List<int[]> computeOutputShapes(List<int[]> inputShapes) {
        int n = inputShapes.size();
        if (n != 1 && n != 3) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + ") takes [x] or [x, h, c]"
                    + " (initial_state) but is called on " + n + " inputs: " + Shapes.listToString(inputShapes));
        }
        int[] state = stateShape(inputShapes.get(0));
        for (int k = 1; k < n; k++) {
            if (!sameShape(state, inputShapes.get(k))) {
                throw new LayerShapeException(stateError(k, state, Shapes.withBatch(inputShapes.get(k))));
            }
        }
        List<int[]> out = new ArrayList<>();
        out.add(computeOutputShape(inputShapes.get(0)));
        if (returnState()) {
            out.add(state);
            out.add(state.clone());
        }
        return out;
    }

    /** Whether {@code got} (per sample) is {@code state}, an unknown size (-1) matching any. */
    private static boolean sameShape(int[] state, int[] got) {
        if (got.length != state.length) {
            return false;
        }
        for (int a = 0; a < state.length; a++) {
            if (got[a] != state[a] && got[a] != -1) {
                return false;
            }
        }
        return true;
    }

    private String stateError(int input, int[] state, String got) {
        return "Layer '" + name() + "' (" + className() + "): initial state " + (input == 1 ? "h" : "c") + " (input "
                + input + ") must have shape " + Shapes.withBatch(state) + " (the shape of one step's output) but got "
                + got + "; pass initial_state=[h0, c0] with h0 and c0 shaped like the layer's state";
    }

    @Override
    protected void createWeights(List<int[]> shapes, Rng rng) {
        int[] s = stepShape(shapes.get(0));
        c().spatial(s[0], s[1], s[2], s[3]);
        c().build(s[0] * s[1] * s[2] * s[3], rng);
    }

    @Override
    protected int stepInputSize() {
        int[] s = stepShape(inputShape());
        return s[0] * s[1] * s[2] * s[3];
    }

    // ------------------------------------------------------------------ running

    private static Tensor flat(Tensor x) {
        return Tensor.of(x.data(), x.dim(0), x.dim(1), x.size() / (x.dim(0) * x.dim(1)));
    }

    private Tensor unflat(Tensor y, boolean sequence) {
        int[] s = stateShape(inputShape());
        int[] shape = new int[s.length + (sequence ? 2 : 1)];
        shape[0] = y.dim(0);
        if (sequence) {
            shape[1] = y.dim(1);
        }
        System.arraycopy(s, 0, shape, sequence ? 2 : 1, s.length);
        return Tensor.of(y.data(), shape);
    }

    private Tensor flatGrad(Tensor g, boolean sequence) {
        if (g == null) {
            return null;
        }
        return sequence ? Tensor.of(g.data(), g.dim(0), g.dim(1), g.size() / (g.dim(0) * g.dim(1)))
                : Tensor.of(g.data(), g.dim(0), g.size() / g.dim(0));
    }

    private Tensor inputShaped(Tensor dx) {
        if (dx == null) {
            return null;
        }
        int[] in = inputShape();
        int[] shape = new int[in.length + 1];
        shape[0] = dx.dim(0);
        System.arraycopy(in, 0, shape, 1, in.length);
        shape[1] = dx.dim(1);
        return Tensor.of(dx.data(), shape);
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        return unflat(super.forward(flat(x), mask, training, ctx), returnSequences());
    }

    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        int n = inputs.size();
        if (n != 1 && n != 3) {
            throw new IllegalArgumentException("Layer '" + name() + "' (" + className() + ") takes [x] or [x, h, c]"
                    + " (initial_state) but got " + n + " tensors");
        }
        List<Tensor> flatIn = new ArrayList<>(n);
        flatIn.add(flat(inputs.get(0)));
        if (n == 3) {
            int[] state = stateShape(inputShape());
            int b = inputs.get(0).dim(0);
            for (int k = 1; k < n; k++) {
                Tensor s0 = inputs.get(k);
                if (s0.rank() != state.length + 1 || s0.dim(0) != b
                        || !java.util.Arrays.equals(Shapes.dropFirst(s0.shape()), state)) {
                    int[] expected = new int[state.length + 1];
                    expected[0] = b;
                    System.arraycopy(state, 0, expected, 1, state.length);
                    throw new LayerShapeException(stateError(k, state, Shapes.toString(s0.shape()))
                            + " (batch " + b + ": " + Shapes.toString(expected) + ")");
                }
                // the loop's states are flat per sample; the view shares the data (finite differences perturb it)
                flatIn.add(Tensor.of(s0.data(), b, s0.size() / Math.max(1, b)));
            }
        }
        List<Tensor> out = super.forwardAll(flatIn, masks, training, ctx);
        List<Tensor> shaped = new ArrayList<>();
        for (int k = 0; k < out.size(); k++) {
            shaped.add(unflat(out.get(k), k == 0 && returnSequences()));
        }
        return shaped;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        return inputShaped(super.backward(flatGrad(gradOutput, returnSequences()), ctx));
    }

    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        List<Tensor> g = new ArrayList<>();
        for (int k = 0; k < gradOutputs.size(); k++) {
            g.add(flatGrad(gradOutputs.get(k), k == 0 && returnSequences()));
        }
        List<Tensor> back = super.backwardAll(g, ctx);
        List<Tensor> shaped = new ArrayList<>(back.size());
        shaped.add(inputShaped(back.get(0)));
        for (int k = 1; k < back.size(); k++) {
            shaped.add(back.get(k) == null ? null : unflat(back.get(k), false));
        }
        return shaped;
    }

    // ------------------------------------------------------------------ config

    @Override
    public Map<String, Object> config() {
        Map<String, Object> base = super.config();
        base.remove("cell");
        ConvLSTMCell cl = c();
        base.put("filters", cl.filters);
        base.put("kernel_size", lastAxes(cl.kD, cl.kH, cl.kW));
        base.put("strides", lastAxes(cl.strideD, cl.strideH, cl.strideW));
        base.put("padding", cl.padding);
        base.put("data_format", "channels_last");
        base.put("dilation_rate", lastAxes(cl.dilationD, cl.dilationH, cl.dilationW));
        base.put("activation", cl.activation.name());
        base.put("recurrent_activation", cl.recurrentActivation.name());
        base.put("use_bias", cl.useBias);
        base.put("kernel_initializer", cl.kernelInitializer.name());
        base.put("recurrent_initializer", cl.recurrentInitializer.name());
        base.put("bias_initializer", cl.biasInitializer.name());
        base.put("unit_forget_bias", cl.unitForgetBias);
        base.put("kernel_regularizer", ConfigValues.regularizer(cl.kernelRegularizer));
        base.put("recurrent_regularizer", ConfigValues.regularizer(cl.recurrentRegularizer));
        base.put("bias_regularizer", ConfigValues.regularizer(cl.biasRegularizer));
        base.put("kernel_constraint", constraintConfig("kernel"));
        base.put("recurrent_constraint", constraintConfig("recurrent_kernel"));
        base.put("bias_constraint", constraintConfig("bias"));
        // Keras's ConvLSTM passes activity_regularizer to its base layer: the model applies it to every output
        base.put("activity_regularizer", ConfigValues.regularizer(activityRegularizer()));
        base.put("dropout", cl.dropout);
        base.put("recurrent_dropout", cl.recurrentDropout);
        base.put("seed", cl.seed);
        return base;
    }

    private static Regularizer regularizer(LayerConfig c, String key) throws ConfigException {
        try {
            return ConfigValues.getRegularizer(c.raw(), key);
        } catch (IllegalArgumentException e) {
            throw c.error("option " + key + ": " + e.getMessage());
        }
    }

    private static Constraint constraint(LayerConfig c, String key) throws ConfigException {
        try {
            return Constraints.get(c.get(key));
        } catch (IllegalArgumentException e) {
            throw c.error("option " + key + ": " + e.getMessage());
        }
    }

    /** The {@code rank} last of the (D, H, W) values, as Keras lists them. */
    private List<Integer> lastAxes(int d, int h, int w) {
        List<Integer> all = List.of(d, h, w);
        return all.subList(3 - rank, 3);
    }

    /** Keras's config of ConvLSTM1D, ConvLSTM2D or ConvLSTM3D (the rank from the kernel_size length). */
    public static ConvLSTM fromConfig(Map<String, Object> config) {
        Object n = config.get("name");
        try {
            Object ks = config.get("kernel_size");
            int rank = ks instanceof List ? ((List<?>) ks).size() : 0;
            String cls = rank >= 1 && rank <= 3 ? "ConvLSTM" + rank + "D" : "ConvLSTM";
            LayerConfig c = new LayerConfig("layer '" + n + "' (" + cls + ")", config);
            if (rank < 1 || rank > 3) {
                throw c.unsupported("kernel_size", ks, "a list of 1 (ConvLSTM1D), 2 (ConvLSTM2D) or 3 (ConvLSTM3D) sizes");
            }
            int[] k = c.sizes("kernel_size", rank, null);
            int filters = c.size("filters");
            ConvLSTM l = rank == 1 ? conv1d(filters, k[0]) : rank == 2 ? conv2d(filters, k[0], k[1])
                    : conv3d(filters, k[0], k[1], k[2]);
            int[] ones = new int[rank];
            java.util.Arrays.fill(ones, 1);
            l.strides(c.sizes("strides", rank, ones));
            l.dilationRate(c.sizes("dilation_rate", rank, ones));
            l.padding(c.string("padding", "valid"));
            c.require("data_format", "channels_last", "data_format=\"channels_last\"");
            l.activation(c.activation("activation", "tanh"));
            l.recurrentActivation(c.activation("recurrent_activation", "sigmoid"));
            l.useBias(c.bool("use_bias", true));
            l.unitForgetBias(c.bool("unit_forget_bias", true));
            l.kernelRegularizer(regularizer(c, "kernel_regularizer"));
            l.recurrentRegularizer(regularizer(c, "recurrent_regularizer"));
            l.biasRegularizer(regularizer(c, "bias_regularizer"));
            l.kernelConstraint(constraint(c, "kernel_constraint"));
            l.recurrentConstraint(constraint(c, "recurrent_constraint"));
            l.biasConstraint(constraint(c, "bias_constraint"));
            l.dropout(c.number("dropout", 0));
            l.recurrentDropout(c.number("recurrent_dropout", 0));
            Object seed = c.get("seed");
            if (seed instanceof Number) {
                l.seed(((Number) seed).longValue());
            }
            l.returnSequences(c.bool("return_sequences", false));
            l.returnState(c.bool("return_state", false));
            l.goBackwards(c.bool("go_backwards", false));
            l.stateful(c.bool("stateful", false));
            l.unroll(c.bool("unroll", false));
            l.zeroOutputForMask(c.bool("zero_output_for_mask", false));
            if (n instanceof String) {
                l.name((String) n);
            }
            l.trainable(c.bool("trainable", true));
            l.checkStridesAndDilation();
            c.finish();
            return l;
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

}
