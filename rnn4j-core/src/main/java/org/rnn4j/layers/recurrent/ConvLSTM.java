package org.rnn4j.layers.recurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.activations.Activations;
import org.rnn4j.kernels.ConvGeometry;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Names;
import org.rnn4j.util.Rng;

/**
 * Keras's ConvLSTM1D and ConvLSTM2D (channels_last): an RNN of {@link ConvLSTMCell} over
 * {@code (batch, time, [rows,] cols, channels)} input; weights {@code kernel (kernel_size..., C, 4F)},
 * {@code recurrent_kernel (kernel_size..., F, 4F)}, {@code bias (4F,)}. The step-by-step RNN loop
 * runs on inputs and states flattened per sample; this layer reshapes at its edges. Initial
 * states as inputs are not supported yet (an error says so); dropout must be 0.
 */
public class ConvLSTM extends RNN {
    private final int rank;

    ConvLSTM(int rank, int filters, int kH, int kW) {
        super(new ConvLSTMCell(rank, filters, kH, kW, Names.next("conv_lstm_cell")));
        if (filters <= 0 || kH <= 0 || kW <= 0) {
            throw new IllegalArgumentException("ConvLSTM" + rank + "D: filters and kernel_size must be positive, got "
                    + filters + " and " + (rank == 1 ? kW : kH + "x" + kW));
        }
        this.rank = rank;
    }

    /** Keras's {@code ConvLSTM1D(filters, kernel_size)}. */
    public static ConvLSTM conv1d(int filters, int kernelSize) {
        return new ConvLSTM(1, filters, 1, kernelSize);
    }

    /** Keras's {@code ConvLSTM2D(filters, (kh, kw))}. */
    public static ConvLSTM conv2d(int filters, int kh, int kw) {
        return new ConvLSTM(2, filters, kh, kw);
    }

    @Override
    public String className() {
        return rank == 1 ? "ConvLSTM1D" : "ConvLSTM2D";
    }

    private ConvLSTMCell c() {
        return (ConvLSTMCell) cell();
    }

    // ------------------------------------------------------------------ options

    public ConvLSTM strides(int... s) {
        checkNotBuilt();
        c().strideH = rank == 1 ? 1 : s[0];
        c().strideW = s[s.length - 1];
        return this;
    }

    public ConvLSTM dilationRate(int... d) {
        checkNotBuilt();
        c().dilationH = rank == 1 ? 1 : d[0];
        c().dilationW = d[d.length - 1];
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

    /** {@code [H, W, C]} of one step (H = 1 for ConvLSTM1D). */
    private int[] stepShape(int[] in) {
        if (in.length != rank + 2) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + ") expects input of shape (None, time, "
                    + (rank == 2 ? "rows, " : "") + "cols, channels) but got " + Shapes.withBatch(in));
        }
        int h = rank == 1 ? 1 : in[1];
        int w = in[rank];
        int ch = in[rank + 1];
        if (h <= 0 || w <= 0 || ch <= 0) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + ") needs known spatial sizes and"
                    + " channels, got " + Shapes.withBatch(in));
        }
        return new int[] {h, w, ch};
    }

    private int[] stateShape(int[] in) {
        int[] s = stepShape(in);
        ConvLSTMCell cl = c();
        ConvGeometry g = ConvGeometry.of(s[0], s[1], s[2], cl.kH, cl.kW, cl.strideH, cl.strideW, cl.dilationH,
                cl.dilationW, cl.padding);
        if (g.outH < 1 || g.outW < 1) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + "): input " + Shapes.withBatch(in)
                    + " is too small for the kernel with padding \"" + cl.padding + "\"");
        }
        return rank == 1 ? new int[] {g.outW, cl.filters} : new int[] {g.outH, g.outW, cl.filters};
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

    @Override
    public List<int[]> computeOutputShapes(List<int[]> inputShapes) {
        if (inputShapes.size() != 1) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + ") takes one input; initial states"
                    + " as inputs are not supported yet for ConvLSTM");
        }
        List<int[]> out = new ArrayList<>();
        out.add(computeOutputShape(inputShapes.get(0)));
        if (returnState()) {
            out.add(stateShape(inputShapes.get(0)));
            out.add(stateShape(inputShapes.get(0)));
        }
        return out;
    }

    @Override
    protected void createWeights(List<int[]> shapes, Rng rng) {
        int[] s = stepShape(shapes.get(0));
        c().spatial(s[0], s[1], s[2]);
        c().build(s[0] * s[1] * s[2], rng);
    }

    @Override
    protected int stepInputSize() {
        int[] s = stepShape(inputShape());
        return s[0] * s[1] * s[2];
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
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("Layer '" + name() + "' (" + className() + "): initial states as inputs"
                    + " are not supported yet for ConvLSTM");
        }
        List<Tensor> out = super.forwardAll(List.of(flat(inputs.get(0))), masks, training, ctx);
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
        return java.util.Collections.singletonList(inputShaped(back.get(0)));
    }

    // ------------------------------------------------------------------ config

    @Override
    public Map<String, Object> config() {
        Map<String, Object> base = super.config();
        base.remove("cell");
        ConvLSTMCell cl = c();
        base.put("filters", cl.filters);
        base.put("kernel_size", rank == 1 ? List.of(cl.kW) : List.of(cl.kH, cl.kW));
        base.put("strides", rank == 1 ? List.of(cl.strideW) : List.of(cl.strideH, cl.strideW));
        base.put("padding", cl.padding);
        base.put("data_format", "channels_last");
        base.put("dilation_rate", rank == 1 ? List.of(cl.dilationW) : List.of(cl.dilationH, cl.dilationW));
        base.put("activation", cl.activation.name());
        base.put("recurrent_activation", cl.recurrentActivation.name());
        base.put("use_bias", cl.useBias);
        base.put("kernel_initializer", cl.kernelInitializer.name());
        base.put("recurrent_initializer", cl.recurrentInitializer.name());
        base.put("bias_initializer", cl.biasInitializer.name());
        base.put("unit_forget_bias", cl.unitForgetBias);
        for (String k : new String[] {"kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
            "kernel_constraint", "recurrent_constraint", "bias_constraint"}) {
            base.put(k, null);
        }
        // Keras's ConvLSTM passes activity_regularizer to its base layer: the model applies it to every output
        base.put("activity_regularizer", org.rnn4j.layers.config.ConfigValues.regularizer(activityRegularizer()));
        base.put("dropout", 0.0);
        base.put("recurrent_dropout", 0.0);
        base.put("seed", null);
        return base;
    }

    /** Keras's config of ConvLSTM1D or ConvLSTM2D (the rank from the kernel_size length). */
    public static ConvLSTM fromConfig(Map<String, Object> config) {
        Object n = config.get("name");
        try {
            Object ks = config.get("kernel_size");
            int rank = ks instanceof List ? ((List<?>) ks).size() : 0;
            String cls = rank == 1 ? "ConvLSTM1D" : "ConvLSTM2D";
            org.rnn4j.saving.LayerConfig c = new org.rnn4j.saving.LayerConfig("layer '" + n + "' (" + cls + ")", config);
            if (rank != 1 && rank != 2) {
                throw c.unsupported("kernel_size", ks, "a list of 1 (ConvLSTM1D) or 2 (ConvLSTM2D) sizes");
            }
            int[] k = c.sizes("kernel_size", rank, null);
            ConvLSTM l = rank == 1 ? conv1d(c.size("filters"), k[0]) : conv2d(c.size("filters"), k[0], k[1]);
            l.strides(c.sizes("strides", rank, rank == 1 ? new int[] {1} : new int[] {1, 1}));
            l.dilationRate(c.sizes("dilation_rate", rank, rank == 1 ? new int[] {1} : new int[] {1, 1}));
            l.padding(c.string("padding", "valid"));
            c.require("data_format", "channels_last", "data_format=\"channels_last\"");
            l.activation(c.activation("activation", "tanh"));
            l.recurrentActivation(c.activation("recurrent_activation", "sigmoid"));
            l.useBias(c.bool("use_bias", true));
            l.unitForgetBias(c.bool("unit_forget_bias", true));
            c.require("dropout", 0.0, "dropout=0 (ConvLSTM dropout is not supported yet)");
            c.require("recurrent_dropout", 0.0, "recurrent_dropout=0 (not supported yet for ConvLSTM)");
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
            c.finish();
            return l;
        } catch (org.rnn4j.saving.ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

}
