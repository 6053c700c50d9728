package org.rnn4j.layers;

import java.util.Arrays;
import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.kernels.ConvTransposeKernel;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's BaseConvTranspose for {@link Conv1DTranspose}, {@link Conv2DTranspose} and
 * {@link Conv3DTranspose}: one kernel ({@link ConvTransposeKernel}, 3D with unit leading axes) for all; kernel laid
 * out as Keras's {@code (*kernel_size, filters, in_channels)}, weights "kernel" then "bias", output
 * size and padding as Keras computes them (including {@code output_padding}). channels_first runs
 * as channels_last between two transposes.
 *
 * @param <T> the concrete layer, so fluent setters keep its type
 */
public abstract class BaseConvTranspose<T extends BaseConvTranspose<T>> extends BaseKernelLayer<T> {
    private final int rank;
    private final int filters;
    private final int[] kernelSize;
    private int[] strides;
    private int[] dilationRate;
    private int[] outputPadding;
    private String padding = "valid";
    private boolean channelsFirst;
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
        this.strides = ConvOptions.filled(rank, 1);
        this.dilationRate = ConvOptions.filled(rank, 1);
    }

    private int[] check(String what, int[] values, int min) {
        return ConvOptions.atLeast(className(), what, rank, values, min);
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
        this.padding = ConvOptions.padding(className() + " '" + name() + "'", p, false);
        return self();
    }

    /** {@code "channels_last"} (default) or {@code "channels_first"}. */
    public T dataFormat(String format) {
        checkNotBuilt();
        this.channelsFirst = DataFormats.channelsFirst(className(), format);
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
        String sp = rank == 1 ? "steps" : rank == 2 ? "rows, cols" : "dim1, dim2, dim3";
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
        kernel = addKernel(kshape, rng);
        bias = addBias(new int[] {filters}, rng);
    }

    /** Axis order turning channels_first into channels_last (with batch), and its inverse. */
    private int[] toLast() {
        int[] p = new int[rank + 2];
        for (int i = 1; i <= rank; i++) {
            p[i] = i + 1;
        }
        p[rank + 1] = 1;
        return p;
    }

    private int[] toFirst() {
        int[] p = new int[rank + 2];
        p[1] = rank + 1;
        for (int i = 2; i <= rank + 1; i++) {
            p[i] = i - 1;
        }
        return p;
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
        // the kernel is 3D: a lower rank fills the leading axes with size 1 (stride/dilation 1, no crop)
        int[] in = {1, 1, 1};
        int[] out = {1, 1, 1};
        int[] k = {1, 1, 1};
        int[] st = {1, 1, 1};
        int[] dl = {1, 1, 1};
        int[] cr = {0, 0, 0};
        for (int i = 0; i < rank; i++) {
            int a = 3 - rank + i;
            in[a] = actual[i];
            out[a] = outLength(actual[i], i);
            k[a] = kernelSize[i];
            st[a] = strides[i];
            dl[a] = dilationRate[i];
            cr[a] = crop(i);
        }
        return new ConvTransposeKernel.Geometry(in, actual[rank], out, filters, k, st, dl, cr);
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
        int[] outShape = new int[rank + 2];
        outShape[0] = batch;
        int[] spatial = {g.outD, g.outH, g.outW};
        System.arraycopy(spatial, 3 - rank, outShape, 1, rank);
        outShape[rank + 1] = filters;
        Tensor z = Tensor.zeros(outShape);
        ConvTransposeKernel.forward(xl.data(), batch, g, kernel.value().data(), useBias() ? bias.value().data() : null,
                z.data());
        Activation act = Kernels.activation(activation());
        int rows = batch * g.outPixels();
        boolean linear = activation().name().equals("linear");
        boolean inPlace = !training || activation().derivativeFromOutput();
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
        int rows = batch * g.outPixels();
        float[] dz = gl.data();
        if (!activation().name().equals("linear")) {
            dz = new float[gl.size()];
            Kernels.activation(activation()).backward(s.preActivation == null ? null : s.preActivation.data(),
                    s.output.data(), gl.data(), dz, 0, rows, filters);
        }
        Tensor dx = ctx.inputGradientNeeded() ? Tensor.zeros(s.input.shape()) : null;
        ConvTransposeKernel.backward(s.input.data(), batch, g, kernel.value().data(), dz, kernel.grad().data(),
                useBias() ? bias.grad().data() : null, dx == null ? null : dx.data());
        if (dx == null) {
            return null;
        }
        return channelsFirst ? Permute.transpose(dx, toFirst()) : dx;
    }

    /** Reads the options both transposes share; the concrete class reads the sizes. */
    static void readCommon(ConfigReader c, BaseConvTranspose<?> l, int rank) {
        l.dataFormat(c.string("data_format", "channels_last"));
        l.padding(c.string("padding", "valid"));
        readActivationAndBias(c, l);
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
        putKernelOptions(c);
        return c;
    }
}
