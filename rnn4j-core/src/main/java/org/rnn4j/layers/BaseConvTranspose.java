package org.rnn4j.layers;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.activations.Activations;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.Initializers;
import org.rnn4j.kernels.ConvTransposeKernel;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's BaseConvTranspose for {@link Conv1DTranspose} and {@link Conv2DTranspose}: kernel laid
 * out as Keras's {@code (*kernel_size, filters, in_channels)}, weights "kernel" then "bias", output
 * size and padding as Keras computes them (including {@code output_padding}). channels_first runs
 * as channels_last between two transposes.
 *
 * @param <T> the concrete layer, so fluent setters keep its type
 */
public abstract class BaseConvTranspose<T extends BaseConvTranspose<T>> extends Layer {
    private final int rank;
    private final int filters;
    private final int[] kernelSize;
    private int[] strides;
    private int[] dilationRate;
    private int[] outputPadding;
    private String padding = "valid";
    private boolean channelsFirst;
    private Activation activation = Activations.get("linear");
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.get("glorot_uniform");
    private Initializer biasInitializer = Initializers.get("zeros");
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Variable kernel;
    private Variable bias;

    /** What a training forward pass records for backward (channels_last tensors). */
    private static final class State {
        Tensor input;
        Tensor preActivation;
        Tensor output;
        ConvTransposeKernel.Geometry geometry;
    }

    protected BaseConvTranspose(int rank, int filters, int[] kernelSize) {
        this.rank = rank;
        if (filters <= 0) {
            throw new IllegalArgumentException(className() + ": filters must be positive, got " + filters);
        }
        this.filters = filters;
        this.kernelSize = check("kernelSize", kernelSize, 1);
        this.strides = filled(1);
        this.dilationRate = filled(1);
    }

    protected abstract T self();

    private int[] filled(int v) {
        int[] a = new int[rank];
        Arrays.fill(a, v);
        return a;
    }

    private int[] check(String what, int[] values, int min) {
        if (values.length != rank) {
            throw new IllegalArgumentException(className() + ": " + what + " needs " + rank + " value(s), got "
                    + values.length);
        }
        for (int v : values) {
            if (v < min) {
                throw new IllegalArgumentException(className() + ": " + what + " values must be >= " + min
                        + ", got " + Arrays.toString(values));
            }
        }
        return values.clone();
    }

    protected T setStrides(int... s) {
        checkNotBuilt();
        this.strides = check("strides", s, 1);
        return self();
    }

    protected T setDilationRate(int... d) {
        checkNotBuilt();
        this.dilationRate = check("dilationRate", d, 1);
        return self();
    }

    /** Keras's {@code output_padding}; null (the default) lets Keras's rule infer it. */
    protected T setOutputPadding(int... p) {
        checkNotBuilt();
        this.outputPadding = p == null ? null : check("outputPadding", p, 0);
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

    /** {@code "channels_last"} (default) or {@code "channels_first"}. */
    public T dataFormat(String format) {
        checkNotBuilt();
        this.channelsFirst = DataFormats.channelsFirst(className(), format);
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

    public int[] outputPadding() {
        return outputPadding == null ? null : outputPadding.clone();
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

    private void validate() {
        boolean strided = false;
        boolean dilated = false;
        for (int i = 0; i < rank; i++) {
            strided |= strides[i] > 1;
            dilated |= dilationRate[i] > 1;
            if (outputPadding != null && outputPadding[i] >= strides[i]) {
                throw new IllegalArgumentException("Layer '" + name() + "' (" + className() + "): outputPadding "
                        + Arrays.toString(outputPadding) + " must be strictly less than strides "
                        + Arrays.toString(strides) + " on every axis (as in Keras)");
            }
        }
        if (strided && dilated) {
            throw new IllegalArgumentException("Layer '" + name() + "' (" + className() + "): strides > 1 are not"
                    + " supported together with dilationRate > 1 (as in Keras); got strides "
                    + Arrays.toString(strides) + " and dilationRate " + Arrays.toString(dilationRate));
        }
    }

    private int outLength(int in, int axis) {
        int[] pad = ConvTransposeKernel.padding(kernelSize[axis], strides[axis], dilationRate[axis], padding,
                outputPadding == null ? null : outputPadding[axis]);
        int k = (kernelSize[axis] - 1) * dilationRate[axis] + 1;
        return (in - 1) * strides[axis] + 1 + pad[0] + pad[1] - k + 1;
    }

    private int crop(int axis) {
        int[] pad = ConvTransposeKernel.padding(kernelSize[axis], strides[axis], dilationRate[axis], padding,
                outputPadding == null ? null : outputPadding[axis]);
        int k = (kernelSize[axis] - 1) * dilationRate[axis] + 1;
        return k - 1 - pad[0];
    }

    private String expectedShape() {
        String sp = rank == 1 ? "steps" : "rows, cols";
        return channelsFirst ? "(None, channels, " + sp + ")" : "(None, " + sp + ", channels)";
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        validate();
        int ch = channelsFirst ? 0 : rank;
        if (in.length != rank + 1 || in[ch] <= 0) {
            throw shapeError(expectedShape() + " with a known channel count", in);
        }
        int[] out = new int[rank + 1];
        int first = channelsFirst ? 1 : 0;
        for (int i = 0; i < rank; i++) {
            out[first + i] = in[first + i] < 0 ? -1 : outLength(in[first + i], i);
            if (in[first + i] >= 0 && out[first + i] <= 0) {
                throw new LayerShapeException("Layer '" + name() + "' (" + className() + "): input "
                        + Shapes.withBatch(in) + " gives an empty output; use a larger input or padding 'valid'");
            }
        }
        out[channelsFirst ? 0 : rank] = filters;
        return out;
    }

    @Override
    protected void createWeights(int[] in, Rng rng) {
        int[] kshape = new int[rank + 2];
        System.arraycopy(kernelSize, 0, kshape, 0, rank);
        kshape[rank] = filters;
        kshape[rank + 1] = in[channelsFirst ? 0 : rank];
        kernel = addWeight("kernel", kshape, kernelInitializer, kernelRegularizer, rng);
        if (useBias) {
            bias = addWeight("bias", new int[] {filters}, biasInitializer, biasRegularizer, rng);
        }
    }

    /** Axis order turning channels_first into channels_last (with batch), and its inverse. */
    private int[] toLast() {
        return rank == 1 ? new int[] {0, 2, 1} : new int[] {0, 2, 3, 1};
    }

    private int[] toFirst() {
        return rank == 1 ? new int[] {0, 2, 1} : new int[] {0, 3, 1, 2};
    }

    private ConvTransposeKernel.Geometry geometry(Tensor xLast) {
        int[] built = inputShape();
        int[] actual = Shapes.dropFirst(xLast.shape());
        int builtCh = built[channelsFirst ? 0 : rank];
        boolean ok = actual.length == rank + 1 && actual[rank] == builtCh;
        int first = channelsFirst ? 1 : 0;
        for (int i = 0; ok && i < rank; i++) {
            ok = built[first + i] < 0 || built[first + i] == actual[i];
        }
        if (!ok) {
            throw shapeError(Shapes.withBatch(built), Shapes.dropFirst(channelsFirst
                    ? Permute.transpose(xLast, toFirst()).shape() : xLast.shape()));
        }
        int inH = rank == 1 ? 1 : actual[0];
        int inW = actual[rank - 1];
        int outH = rank == 1 ? 1 : outLength(inH, 0);
        int outW = outLength(inW, rank - 1);
        int w = rank - 1;
        return new ConvTransposeKernel.Geometry(inH, inW, actual[rank], outH, outW, filters,
                rank == 1 ? 1 : kernelSize[0], kernelSize[w], rank == 1 ? 1 : strides[0], strides[w],
                rank == 1 ? 1 : dilationRate[0], dilationRate[w], rank == 1 ? 0 : crop(0), crop(w));
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        requireBuilt();
        if (x.rank() != rank + 2) {
            throw shapeError(expectedShape(), Shapes.dropFirst(x.shape()));
        }
        Tensor xl = channelsFirst ? Permute.transpose(x, toLast()) : x;
        ConvTransposeKernel.Geometry g = geometry(xl);
        int batch = x.dim(0);
        int[] outShape = rank == 1 ? new int[] {batch, g.outW, filters} : new int[] {batch, g.outH, g.outW, filters};
        Tensor z = Tensor.zeros(outShape);
        ConvTransposeKernel.forward(xl.data(), batch, g, kernel.value().data(), useBias ? bias.value().data() : null,
                z.data());
        Activation act = Kernels.activation(activation);
        int rows = batch * g.outH * g.outW;
        boolean linear = activation.name().equals("linear");
        boolean inPlace = !training || activation.derivativeFromOutput();
        Tensor y = z;
        if (!linear) {
            if (inPlace) {
                act.forward(z.data(), z.data(), 0, rows, filters);
            } else {
                y = Tensor.zeros(outShape);
                act.forward(z.data(), y.data(), 0, rows, filters);
            }
        }
        if (training) {
            State s = ctx.state(State::new);
            s.input = xl;
            s.preActivation = y == z ? null : z;
            s.output = y;
            s.geometry = g;
        }
        return channelsFirst ? Permute.transpose(y, toFirst()) : y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.input == null) {
            throw noForwardRecorded();
        }
        Tensor gl = channelsFirst ? Permute.transpose(gradOutput, toLast()) : gradOutput;
        ConvTransposeKernel.Geometry g = s.geometry;
        int batch = s.input.dim(0);
        int rows = batch * g.outH * g.outW;
        float[] dz = gl.data();
        if (!activation.name().equals("linear")) {
            dz = new float[gl.size()];
            Kernels.activation(activation).backward(s.preActivation == null ? null : s.preActivation.data(),
                    s.output.data(), gl.data(), dz, 0, rows, filters);
        }
        Tensor dx = ctx.inputGradientNeeded() ? Tensor.zeros(s.input.shape()) : null;
        ConvTransposeKernel.backward(s.input.data(), batch, g, kernel.value().data(), dz, kernel.grad().data(),
                useBias ? bias.grad().data() : null, dx == null ? null : dx.data());
        if (dx == null) {
            return null;
        }
        return channelsFirst ? Permute.transpose(dx, toFirst()) : dx;
    }

    /** Reads the options both transposes share; the concrete class reads the sizes. */
    static void readCommon(ConfigReader c, BaseConvTranspose<?> l, int rank) {
        l.dataFormat(c.string("data_format", "channels_last"));
        l.padding(c.string("padding", "valid"));
        l.activation(c.activation("activation", "linear"));
        l.useBias(c.bool("use_bias", true));
        Object op = c.get("output_padding");
        if (op != null) {
            l.setOutputPadding(DataFormats.nonNegative(c, "output_padding", op, rank));
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("filters", filters);
        c.put("kernel_size", BaseConv.tuple(kernelSize));
        c.put("strides", BaseConv.tuple(strides));
        c.put("padding", padding);
        c.put("output_padding", outputPadding == null ? null : BaseConv.tuple(outputPadding));
        c.put("data_format", channelsFirst ? "channels_first" : "channels_last");
        c.put("dilation_rate", BaseConv.tuple(dilationRate));
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
