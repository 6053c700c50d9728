package org.rnn4j.layers;

import java.util.Locale;
import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.activations.Activations;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.Initializers;
import org.rnn4j.kernels.ConvGeometry;
import org.rnn4j.kernels.ConvNd;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's depthwise ({@code filters == 0}: DepthwiseConv1D/2D, weights "kernel" {@code (*k, in,
 * depth_multiplier)} then "bias" {@code (in * depth_multiplier)}) and separable convolutions
 * (SeparableConv1D/2D: "depthwise_kernel", "pointwise_kernel" {@code (1.., in * dm, filters)},
 * "bias" {@code (filters)}). A depthwise kernel's memory layout equals a grouped kernel
 * {@code (*k, 1, in * dm)} with {@code groups = in}, so both run on {@link ConvNd}'s grouped
 * convolution; the pointwise step is a 1x1 convolution.
 *
 * @param <T> the concrete layer, so fluent setters keep its type
 */
public abstract class BaseDepthwiseConv<T extends BaseDepthwiseConv<T>> extends Layer {
    private final int rank;
    private final int filters;
    private final int[] kernelSize;
    private int[] strides;
    private int[] dilationRate;
    private int depthMultiplier = 1;
    private String padding = "valid";
    private String dataFormat = DataFormat.LAST;
    private Activation activation = Activations.get("linear");
    private boolean useBias = true;
    private Initializer depthwiseInitializer = Initializers.get("glorot_uniform");
    private Initializer pointwiseInitializer = Initializers.get("glorot_uniform");
    private Initializer biasInitializer = Initializers.get("zeros");
    private Regularizer depthwiseRegularizer;
    private Regularizer pointwiseRegularizer;
    private Regularizer biasRegularizer;

    private Variable depthwise;
    private Variable pointwise;
    private Variable bias;

    /** What a training forward pass records for backward (all channels_last). */
    private static final class State {
        Tensor input;
        Tensor mid;
        Tensor pre;
        Tensor output;
        ConvNd.Geometry dw;
        ConvNd.Geometry pw;
    }

    /** {@code filters == 0} makes a depthwise convolution, otherwise a separable one. */
    protected BaseDepthwiseConv(int rank, int filters, int[] kernelSize) {
        this.rank = rank;
        if (filters < 0 || (filters == 0 && !className().startsWith("Depthwise"))) {
            throw new IllegalArgumentException(className() + ": filters must be positive, got " + filters);
        }
        this.filters = filters;
        this.kernelSize = positive("kernelSize", kernelSize);
        this.strides = ones();
        this.dilationRate = ones();
    }

    protected abstract T self();

    private boolean separable() {
        return filters > 0;
    }

    private int[] ones() {
        int[] a = new int[rank];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    private int[] positive(String what, int[] values) {
        if (values.length != rank) {
            throw new IllegalArgumentException(className() + ": " + what + " needs " + rank + " value(s), got "
                    + values.length);
        }
        for (int v : values) {
            if (v <= 0) {
                throw new IllegalArgumentException(className() + ": " + what + " values must be positive, got "
                        + java.util.Arrays.toString(values));
            }
        }
        return values.clone();
    }

    protected T setStrides(int... s) {
        checkNotBuilt();
        this.strides = positive("strides", s);
        return self();
    }

    protected T setDilationRate(int... d) {
        checkNotBuilt();
        this.dilationRate = positive("dilationRate", d);
        return self();
    }

    public T depthMultiplier(int m) {
        checkNotBuilt();
        if (m <= 0) {
            throw new IllegalArgumentException(className() + " '" + name() + "': depthMultiplier must be positive, got "
                    + m);
        }
        this.depthMultiplier = m;
        return self();
    }

    /** {@code "valid"} (default) or {@code "same"}. */
    public T padding(String p) {
        checkNotBuilt();
        String v = p.toLowerCase(Locale.ROOT);
        if (!v.equals("valid") && !v.equals("same")) {
            throw new IllegalArgumentException(className() + " '" + name() + "': unknown padding '" + p
                    + "'; use 'valid' or 'same'");
        }
        this.padding = v;
        return self();
    }

    public T dataFormat(String format) {
        checkNotBuilt();
        this.dataFormat = DataFormat.of(className() + " '" + name() + "'", format);
        return self();
    }

    public T activation(String name) {
        return activation(Activations.get(name));
    }

    public T activation(Activation a) {
        checkNotBuilt();
        this.activation = a;
        return self();
    }

    public T useBias(boolean value) {
        checkNotBuilt();
        this.useBias = value;
        return self();
    }

    public T depthwiseInitializer(String name) {
        checkNotBuilt();
        this.depthwiseInitializer = Initializers.get(name);
        return self();
    }

    public T pointwiseInitializer(String name) {
        checkNotBuilt();
        this.pointwiseInitializer = Initializers.get(name);
        return self();
    }

    public T biasInitializer(String name) {
        checkNotBuilt();
        this.biasInitializer = Initializers.get(name);
        return self();
    }

    @Override
    public T inputShape(int... shape) {
        super.inputShape(shape);
        return self();
    }

    @Override
    public T name(String n) {
        super.name(n);
        return self();
    }

    public int depthMultiplier() {
        return depthMultiplier;
    }

    public String padding() {
        return padding;
    }

    public String dataFormat() {
        return dataFormat;
    }

    private boolean channelsFirst() {
        return dataFormat.equals(DataFormat.FIRST);
    }

    private int outChannels(int in) {
        return separable() ? filters : in * depthMultiplier;
    }

    @Override
    public int[] computeOutputShape(int[] shape) {
        if (shape.length != rank + 1) {
            String spatial = rank == 1 ? "steps" : "rows, cols";
            throw shapeError(channelsFirst() ? "(None, channels, " + spatial + ")" : "(None, " + spatial
                    + ", channels)", shape);
        }
        int[] in = channelsFirst() ? DataFormat.shapeToLast(shape) : shape;
        if (in[rank] <= 0) {
            throw shapeError("a known channel count", shape);
        }
        int[] out = new int[rank + 1];
        for (int i = 0; i < rank; i++) {
            out[i] = ConvGeometry.outputSize(in[i], kernelSize[i], strides[i], dilationRate[i], padding);
            if (out[i] == 0) {
                throw new LayerShapeException("Layer '" + name() + "' (" + className() + ") with kernel size "
                        + Shapes.toString(kernelSize) + " and padding 'valid' needs a larger input on spatial axis "
                        + (i + 1) + ", but got input " + Shapes.withBatch(shape) + "; use padding(\"same\")");
            }
        }
        out[rank] = outChannels(in[rank]);
        return channelsFirst() ? DataFormat.shapeToFirst(out) : out;
    }

    @Override
    protected void createWeights(int[] shape, Rng rng) {
        int in = channelsFirst() ? shape[0] : shape[rank];
        int[] dshape = new int[rank + 2];
        System.arraycopy(kernelSize, 0, dshape, 0, rank);
        dshape[rank] = in;
        dshape[rank + 1] = depthMultiplier;
        if (separable()) {
            depthwise = addWeight("depthwise_kernel", dshape, depthwiseInitializer, depthwiseRegularizer, rng);
            int[] pshape = new int[rank + 2];
            java.util.Arrays.fill(pshape, 1);
            pshape[rank] = in * depthMultiplier;
            pshape[rank + 1] = filters;
            pointwise = addWeight("pointwise_kernel", pshape, pointwiseInitializer, pointwiseRegularizer, rng);
        } else {
            depthwise = addWeight("kernel", dshape, depthwiseInitializer, depthwiseRegularizer, rng);
        }
        if (useBias) {
            bias = addWeight("bias", new int[] {outChannels(in)}, biasInitializer, biasRegularizer, rng);
        }
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        requireBuilt();
        int[] actual = Shapes.dropFirst(x.shape());
        int[] built = inputShape();
        boolean ok = actual.length == built.length;
        for (int i = 0; ok && i < built.length; i++) {
            ok = built[i] < 0 || built[i] == actual[i];
        }
        if (!ok) {
            throw shapeError(Shapes.withBatch(built), actual);
        }
        Tensor xl = channelsFirst() ? DataFormat.toLast(x) : x;
        int batch = xl.dim(0);
        int in = xl.dim(rank + 1);
        int mid = in * depthMultiplier;
        int[] spatial = java.util.Arrays.copyOfRange(xl.shape(), 1, rank + 1);
        ConvNd.Geometry dw = ConvNd.Geometry.of(spatial, in, kernelSize, strides, dilationRate, padding);
        int[] midShape = shapeOf(batch, dw.out, mid);
        Tensor m = Tensor.zeros(midShape);
        float[] b = useBias ? bias.value().data() : null;
        ConvNd.forward(xl.data(), batch, dw, depthwise.value().data(), separable() ? null : b, in, mid, m.data());
        Tensor z = m;
        ConvNd.Geometry pw = null;
        if (separable()) {
            pw = ConvNd.Geometry.of(dw.out, mid, ones(), ones(), ones(), "valid");
            z = Tensor.zeros(shapeOf(batch, dw.out, filters));
            ConvNd.forward(m.data(), batch, pw, pointwise.value().data(), b, 1, filters, z.data());
        }
        int width = outChannels(in);
        Tensor y = Tensor.zeros(z.shape());
        Kernels.activation(activation).forward(z.data(), y.data(), 0, batch * dw.outPositions, width);
        if (training) {
            State s = ctx.state(State::new);
            s.input = xl;
            s.mid = m;
            s.pre = z;
            s.output = y;
            s.dw = dw;
            s.pw = pw;
        }
        return channelsFirst() ? DataFormat.toFirst(y) : y;
    }

    private static int[] shapeOf(int batch, int[] spatial, int channels) {
        int[] s = new int[spatial.length + 2];
        s[0] = batch;
        System.arraycopy(spatial, 0, s, 1, spatial.length);
        s[spatial.length + 1] = channels;
        return s;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.input == null) {
            throw noForwardRecorded();
        }
        Tensor dy = channelsFirst() ? DataFormat.toLast(gradOutput) : gradOutput;
        int batch = s.input.dim(0);
        int in = s.input.dim(rank + 1);
        int mid = in * depthMultiplier;
        int width = s.pre.dim(rank + 1);
        float[] dz = new float[dy.size()];
        Kernels.activation(activation).backward(s.pre.data(), s.output.data(), dy.data(), dz, 0,
                batch * s.dw.outPositions, width);
        float[] dBias = useBias ? bias.grad().data() : null;
        float[] dMid = dz;
        if (separable()) {
            dMid = new float[s.mid.size()];
            ConvNd.backward(s.mid.data(), batch, s.pw, pointwise.value().data(), 1, filters, dz,
                    pointwise.grad().data(), dBias, dMid);
            dBias = null;
        }
        Tensor dx = ctx.inputGradientNeeded() ? Tensor.zeros(s.input.shape()) : null;
        ConvNd.backward(s.input.data(), batch, s.dw, depthwise.value().data(), in, mid, dMid,
                depthwise.grad().data(), dBias, dx == null ? null : dx.data());
        return channelsFirst() && dx != null ? DataFormat.toFirst(dx) : dx;
    }

    /** Reads the options depthwise and separable layers share into {@code l}. */
    static <L extends BaseDepthwiseConv<L>> L readCommon(ConfigReader c, L l) {
        BaseDepthwiseConv<L> base = l;
        int r = base.rank;
        l.setStrides(c.sizes("strides", r, base.ones()));
        l.setDilationRate(c.sizes("dilation_rate", r, base.ones()));
        l.depthMultiplier(c.integer("depth_multiplier") == null ? 1 : c.size("depth_multiplier"));
        l.padding(c.string("padding", "valid"));
        l.dataFormat(c.string("data_format", DataFormat.LAST));
        l.activation(c.activation("activation", "linear"));
        l.useBias(c.bool("use_bias", true));
        c.ignore("depthwise_regularizer", "pointwise_regularizer", "depthwise_constraint", "pointwise_constraint");
        return c.finish(l);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("depth_multiplier", depthMultiplier);
        if (separable()) {
            c.put("filters", filters);
        }
        c.put("kernel_size", BaseConv.tuple(kernelSize));
        c.put("strides", BaseConv.tuple(strides));
        c.put("padding", padding);
        c.put("data_format", dataFormat);
        c.put("dilation_rate", BaseConv.tuple(dilationRate));
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
        c.put("depthwise_initializer", depthwiseInitializer.name());
        if (separable()) {
            c.put("pointwise_initializer", pointwiseInitializer.name());
        }
        c.put("bias_initializer", biasInitializer.name());
        c.put("depthwise_regularizer", depthwiseRegularizer);
        if (separable()) {
            c.put("pointwise_regularizer", pointwiseRegularizer);
        }
        c.put("bias_regularizer", biasRegularizer);
        c.put("activity_regularizer", org.rnn4j.layers.config.ConfigValues.regularizer(activityRegularizer()));
        c.put("depthwise_constraint", null);
        if (separable()) {
            c.put("pointwise_constraint", null);
        }
        c.put("bias_constraint", null);
        return c;
    }
}
