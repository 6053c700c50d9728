package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.activations.Activations;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.Initializers;
import org.rnn4j.kernels.ConvGeometry;
import org.rnn4j.kernels.ConvDirect;
import org.rnn4j.kernels.ConvKernels;
import org.rnn4j.kernels.ConvNd;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's BaseConv for {@link Conv1D} and {@link Conv2D}: channels_last, kernel laid out as
 * Keras's {@code (*kernel_size, in_channels, filters)}, weights "kernel" then "bias". A 1D
 * convolution runs as a 2D one of height 1 (same memory layout), through
 * {@link ConvDirect} for small windows (relu applied per sample in cache, fused into backward) or {@link ConvKernels}
 * (im2col + matmul) for larger ones.
 *
 * @param <T> the concrete layer, so fluent setters keep its type
 */
public abstract class BaseConv<T extends BaseConv<T>> extends Layer {
    private final int rank;
    private final int filters;
    private final int[] kernelSize;
    private int[] strides;
    private int[] dilationRate;
    private String padding = "valid";
    private Activation activation = Activations.get("linear");
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.get("glorot_uniform");
    private Initializer biasInitializer = Initializers.get("zeros");
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private String dataFormat = DataFormat.LAST;
    private int groups = 1;

    private Variable kernel;
    private Variable bias;

    /** What a training forward pass records for backward, and backward's reusable dz scratch. */
    private static final class State {
        Tensor input;
        Tensor preActivation;
        Tensor output;
        ConvGeometry geometry;
        ConvNd.Geometry nd;
        float[] dzBuffer;
    }

    protected BaseConv(int rank, int filters, int[] kernelSize) {
        this.rank = rank;
        if (filters <= 0) {
            throw new IllegalArgumentException(className() + ": filters must be positive, got " + filters);
        }
        this.filters = filters;
        this.kernelSize = positive("kernelSize", kernelSize);
        this.strides = ones(rank);
        this.dilationRate = ones(rank);
    }

    /** This layer as its concrete type. */
    protected abstract T self();

    private static int[] ones(int n) {
        int[] a = new int[n];
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

    /** {@code "valid"} (default) or {@code "same"}; {@link Conv1D} also takes {@code "causal"}. */
    public T padding(String p) {
        checkNotBuilt();
        String v = p.toLowerCase(Locale.ROOT);
        boolean ok = v.equals("valid") || v.equals("same") || (rank == 1 && v.equals("causal"));
        if (!ok) {
            throw new IllegalArgumentException(className() + " '" + name() + "': unknown padding '" + p
                    + "'; use 'valid' or 'same'" + (rank == 1 ? " or 'causal'" : ""));
        }
        this.padding = v;
        return self();
    }

    /** {@code "channels_last"} (default) or {@code "channels_first"} (input {@code (batch, channels, spatial...)}). */
    public T dataFormat(String format) {
        checkNotBuilt();
        this.dataFormat = DataFormat.of(className() + " '" + name() + "'", format);
        return self();
    }

    /**
     * Keras's {@code groups}: input channels and filters split into this many independent
     * convolutions; the kernel is {@code (*kernel_size, in_channels / groups, filters)}.
     */
    public T groups(int g) {
        checkNotBuilt();
        if (g <= 0 || filters % g != 0) {
            throw new IllegalArgumentException(className() + " '" + name() + "': groups must be a positive divisor of"
                    + " filters (" + filters + "), got " + g);
        }
        this.groups = g;
        return self();
    }

    public String dataFormat() {
        return dataFormat;
    }

    public int groups() {
        return groups;
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

    public T kernelInitializer(String name) {
        return kernelInitializer(Initializers.get(name));
    }

    public T kernelInitializer(Initializer init) {
        checkNotBuilt();
        this.kernelInitializer = init;
        return self();
    }

    public T biasInitializer(String name) {
        return biasInitializer(Initializers.get(name));
    }

    public T biasInitializer(Initializer init) {
        checkNotBuilt();
        this.biasInitializer = init;
        return self();
    }

    public T kernelRegularizer(Regularizer r) {
        checkNotBuilt();
        this.kernelRegularizer = r;
        return self();
    }

    public T biasRegularizer(Regularizer r) {
        checkNotBuilt();
        this.biasRegularizer = r;
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

    public int filters() {
        return filters;
    }

    public int[] kernelSize() {
        return kernelSize.clone();
    }

    public int[] strides() {
        return strides.clone();
    }

    public int[] dilationRate() {
        return dilationRate.clone();
    }

    public String padding() {
        return padding;
    }

    public Activation activation() {
        return activation;
    }

    public boolean useBias() {
        return useBias;
    }

    public Initializer kernelInitializer() {
        return kernelInitializer;
    }

    public Initializer biasInitializer() {
        return biasInitializer;
    }

    public Regularizer kernelRegularizer() {
        return kernelRegularizer;
    }

    public Regularizer biasRegularizer() {
        return biasRegularizer;
    }

    private String expectedShape() {
        String spatial = rank == 1 ? "steps" : rank == 2 ? "rows, cols" : "dim1, dim2, dim3";
        return channelsFirst() ? "(None, channels, " + spatial + ")" : "(None, " + spatial + ", channels)";
    }

    private boolean channelsFirst() {
        return dataFormat.equals(DataFormat.FIRST);
    }

    /** Ungrouped 1D/2D convolutions keep the tuned kernels; the rest take the general N-d path. */
    private boolean fastPath() {
        return rank <= 2 && groups == 1;
    }

    @Override
    public int[] computeOutputShape(int[] shape) {
        if (shape.length != rank + 1) {
            throw shapeError(expectedShape() + " with a known channel count", shape);
        }
        int[] out = outputShapeLast(channelsFirst() ? DataFormat.shapeToLast(shape) : shape);
        return channelsFirst() ? DataFormat.shapeToFirst(out) : out;
    }

    private int[] outputShapeLast(int[] in) {
        if (in.length != rank + 1 || in[rank] <= 0) {
            throw shapeError(expectedShape() + " with a known channel count", in);
        }
        boolean strided = false;
        boolean dilated = false;
        for (int i = 0; i < rank; i++) {
            strided |= strides[i] > 1;
            dilated |= dilationRate[i] > 1;
        }
        if (strided && dilated) {
            throw new IllegalArgumentException("Layer '" + name() + "' (" + className() + "): strides > 1 are not"
                    + " supported together with dilationRate > 1 (as in Keras); got strides "
                    + java.util.Arrays.toString(strides) + " and dilationRate " + java.util.Arrays.toString(dilationRate));
        }
        int[] out = new int[rank + 1];
        for (int i = 0; i < rank; i++) {
            out[i] = ConvGeometry.outputSize(in[i], kernelSize[i], strides[i], dilationRate[i], padding);
            if (out[i] == 0) {
                int span = (kernelSize[i] - 1) * dilationRate[i] + 1;
                throw new LayerShapeException("Layer '" + name() + "' (" + className() + ") with kernel size "
                        + Shapes.toString(kernelSize) + " and padding 'valid' needs input size >= " + span
                        + " on spatial axis " + (i + 1) + ", but got input " + Shapes.withBatch(in)
                        + "; use padding(\"same\") or a smaller kernel");
            }
        }
        out[rank] = filters;
        return out;
    }

    @Override
    protected void createWeights(int[] in, Rng rng) {
        int[] kshape = new int[rank + 2];
        System.arraycopy(kernelSize, 0, kshape, 0, rank);
        int channels = channelsFirst() ? in[0] : in[rank];
        if (channels % groups != 0) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + "): the input's " + channels
                    + " channels must be divisible by groups=" + groups + "; change groups or the input");
        }
        kshape[rank] = channels / groups;
        kshape[rank + 1] = filters;
        kernel = addWeight("kernel", kshape, kernelInitializer, kernelRegularizer, rng);
        if (useBias) {
            bias = addWeight("bias", new int[] {filters}, biasInitializer, biasRegularizer, rng);
        }
    }

    /** The geometry for a batch of this shape, checking it against the built input shape. */
    private ConvGeometry geometry(Tensor x) {
        int[] built = channelsFirst() ? DataFormat.shapeToLast(inputShape()) : inputShape();
        int[] actual = Shapes.dropFirst(x.shape());
        boolean ok = actual.length == rank + 1 && actual[rank] == built[rank];
        for (int i = 0; ok && i < rank; i++) {
            ok = built[i] < 0 || built[i] == actual[i];
        }
        if (!ok) {
            throw shapeError(Shapes.withBatch(inputShape()),
                    channelsFirst() ? DataFormat.shapeToFirst(actual) : actual);
        }
        int inH = rank == 1 ? 1 : actual[0];
        int inW = actual[rank - 1];
        int kH = rank == 1 ? 1 : kernelSize[0];
        int sH = rank == 1 ? 1 : strides[0];
        int dH = rank == 1 ? 1 : dilationRate[0];
        ConvGeometry g = ConvGeometry.of(inH, inW, actual[rank], kH, kernelSize[rank - 1], sH, strides[rank - 1],
                dH, dilationRate[rank - 1], padding);
        if (g.outH < 1 || g.outW < 1) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + "): input "
                    + Shapes.withBatch(actual) + " is smaller than the kernel " + Shapes.toString(kernelSize)
                    + " with padding 'valid'");
        }
        return g;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        requireBuilt();
        if (channelsFirst()) {
            if (x.rank() != rank + 2) {
                throw shapeError(Shapes.withBatch(inputShape()), Shapes.dropFirst(x.shape()));
            }
            x = DataFormat.toLast(x);
        }
        ConvGeometry g = geometry(x);
        int batch = x.dim(0);
        ConvNd.Geometry nd = fastPath() ? null : ndGeometry(x);
        int[] outShape = new int[rank + 2];
        outShape[0] = batch;
        outShape[rank + 1] = filters;
        if (nd != null) {
            System.arraycopy(nd.out, 0, outShape, 1, rank);
        } else if (rank == 1) {
            outShape[1] = g.outW;
        } else {
            outShape[1] = g.outH;
            outShape[2] = g.outW;
        }
        Tensor z = Tensor.zeros(outShape);
        Activation act = Kernels.activation(activation);
        int rows = batch * (nd != null ? nd.outPositions : g.outputPositions());
        // In place unless backward needs the pre-activation values.
        boolean inPlace = !training || activation.derivativeFromOutput();
        float[] b = useBias ? bias.value().data() : null;
        if (nd != null) {
            ConvNd.forward(x.data(), batch, nd, kernel.value().data(), b, groups, filters, z.data());
            if (inPlace) {
                act.forward(z.data(), z.data(), 0, rows, filters);
            }
        } else if (ConvDirect.suits(g)) {
            ConvDirect.forward(x.data(), batch, g, kernel.value().data(), b, filters, z.data(), inPlace ? act : null);
        } else {
            ConvKernels.forward(x.data(), batch, g, kernel.value().data(), b, filters, z.data());
            if (inPlace) {
                act.forward(z.data(), z.data(), 0, rows, filters);
            }
        }
        Tensor y = z;
        if (!inPlace) {
            y = Tensor.zeros(outShape);
            act.forward(z.data(), y.data(), 0, rows, filters);
        }
        if (training) {
            State s = ctx.state(State::new);
            s.input = x;
            s.preActivation = y == z ? null : z;
            s.output = y;
            s.geometry = g;
            s.nd = nd;
        }
        return channelsFirst() ? DataFormat.toFirst(y) : y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.input == null) {
            throw noForwardRecorded();
        }
        Tensor lastInput = s.input;
        Tensor lastOutput = s.output;
        ConvGeometry lastGeometry = s.geometry;
        if (channelsFirst()) {
            gradOutput = DataFormat.toLast(gradOutput);
        }
        int batch = lastInput.dim(0);
        int rows = s.nd != null ? batch * s.nd.outPositions : batch * lastGeometry.outputPositions();
        Tensor dx = ctx.inputGradientNeeded() ? Tensor.zeros(lastInput.shape()) : null;
        float[] dxData = dx == null ? null : dx.data();
        float[] dBias = useBias ? bias.grad().data() : null;
        if (s.nd == null && ConvDirect.suits(lastGeometry) && activation.name().equals("relu")) {
            // relu's backward fused into the kernel: no pass over the whole batch for dz.
            ConvDirect.backward(lastInput.data(), batch, lastGeometry, kernel.value().data(), filters,
                    gradOutput.data(), lastOutput.data(), kernel.grad().data(), dBias, dxData);
            return channelsFirst() && dx != null ? DataFormat.toFirst(dx) : dx;
        }
        float[] dz;
        if (activation.name().equals("linear")) {
            dz = gradOutput.data();
        } else {
            // Scratch reused across steps: dz never leaves this method.
            if (s.dzBuffer == null || s.dzBuffer.length < gradOutput.size()) {
                s.dzBuffer = new float[gradOutput.size()];
            }
            dz = s.dzBuffer;
            Kernels.activation(activation).backward(s.preActivation == null ? null : s.preActivation.data(),
                    lastOutput.data(), gradOutput.data(), dz, 0, rows, filters);
        }
        if (s.nd != null) {
            ConvNd.backward(lastInput.data(), batch, s.nd, kernel.value().data(), groups, filters, dz,
                    kernel.grad().data(), dBias, dxData);
        } else if (ConvDirect.suits(lastGeometry)) {
            ConvDirect.backward(lastInput.data(), batch, lastGeometry, kernel.value().data(), filters, dz,
                    kernel.grad().data(), dBias, dxData);
        } else {
            ConvKernels.backward(lastInput.data(), batch, lastGeometry, kernel.value().data(), filters, dz,
                    kernel.grad().data(), dBias, dxData);
        }
        return channelsFirst() && dx != null ? DataFormat.toFirst(dx) : dx;
    }

    /** The N-d geometry of a channels_last batch (already checked by {@link #geometry}). */
    private ConvNd.Geometry ndGeometry(Tensor x) {
        int[] spatial = java.util.Arrays.copyOfRange(x.shape(), 1, rank + 1);
        return ConvNd.Geometry.of(spatial, x.dim(rank + 1), kernelSize, strides, dilationRate, padding);
    }

    static List<Integer> tuple(int[] values) {
        List<Integer> l = new ArrayList<>();
        for (int v : values) {
            l.add(v);
        }
        return l;
    }

    /** Reads the options Conv1D/2D/3D share (padding, data_format, groups, activation, use_bias). */
    static void readCommon(ConfigReader c, BaseConv<?> l) {
        l.dataFormat(c.string("data_format", DataFormat.LAST));
        l.groups(c.integer("groups") == null ? 1 : c.size("groups"));
        l.padding(c.string("padding", "valid"));
        l.activation(c.activation("activation", "linear"));
        l.useBias(c.bool("use_bias", true));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("filters", filters);
        c.put("kernel_size", tuple(kernelSize));
        c.put("strides", tuple(strides));
        c.put("padding", padding);
        c.put("data_format", dataFormat);
        c.put("dilation_rate", tuple(dilationRate));
        c.put("groups", groups);
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
        c.put("kernel_initializer", kernelInitializer.name());
        c.put("bias_initializer", biasInitializer.name());
        c.put("kernel_regularizer", kernelRegularizer);
        c.put("bias_regularizer", biasRegularizer);
        c.put("activity_regularizer", org.rnn4j.layers.config.ConfigValues.regularizer(activityRegularizer()));
        c.put("kernel_constraint", null);
        c.put("bias_constraint", null);
        return c;
    }
}
