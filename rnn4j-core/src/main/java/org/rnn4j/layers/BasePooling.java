package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.kernels.ConvGeometry;
import org.rnn4j.kernels.ConvNd;
import org.rnn4j.kernels.ConvPooling;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's max and average pooling over 1 or 2 spatial axes, channels_last. Strides default to
 * the pool size (Keras's {@code strides=None}). Max pooling's backward routes each output
 * gradient to its argmax; average pooling's spreads it over the window's real elements.
 *
 * @param <T> the concrete layer, so fluent setters keep its type
 */
public abstract class BasePooling<T extends BasePooling<T>> extends Layer {
    private final int rank;
    private final boolean average;
    private int[] poolSize;
    private int[] strides;
    private String padding = "valid";
    private String dataFormat = DataFormat.LAST;

    /** What a training forward pass records for backward (max pooling re-finds each window's max from x and y). */
    private static final class State {
        int[] inputShape;
        Tensor input;
        Tensor output;
        ConvGeometry geometry;
        ConvNd.Geometry nd;
    }

    protected BasePooling(int rank, int[] poolSize) {
        this(rank, poolSize, false);
    }

    /** {@code average}: mean instead of max (AveragePooling1D/2D). */
    protected BasePooling(int rank, int[] poolSize, boolean average) {
        this.rank = rank;
        this.average = average;
        this.poolSize = positive("poolSize", poolSize);
    }

    protected abstract T self();

    private int[] positive(String what, int[] values) {
        return ConvOptions.positive(className(), what, -1, values);
    }

    protected T setPoolSize(int... p) {
        checkNotBuilt();
        this.poolSize = positive("poolSize", p);
        return self();
    }

    protected T setStrides(int... s) {
        checkNotBuilt();
        this.strides = positive("strides", s);
        return self();
    }

    public T padding(String p) {
        checkNotBuilt();
        this.padding = ConvOptions.padding(className() + " '" + name() + "'", p, false);
        return self();
    }

    /** {@code "channels_last"} (default) or {@code "channels_first"}. */
    public T dataFormat(String format) {
        checkNotBuilt();
        this.dataFormat = DataFormat.of(className() + " '" + name() + "'", format);
        return self();
    }

    public String dataFormat() {
        return dataFormat;
    }

    private boolean channelsFirst() {
        return dataFormat.equals(DataFormat.FIRST);
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

    public int[] poolSize() {
        return poolSize.clone();
    }

    /** The effective strides (the pool size when none were set, as Keras). */
    public int[] strides() {
        return strides == null ? poolSize.clone() : strides.clone();
    }

    public String padding() {
        return padding;
    }

    private String expectedShape() {
        String spatial = rank == 1 ? "steps" : rank == 2 ? "rows, cols" : "dim1, dim2, dim3";
        return channelsFirst() ? "(None, channels, " + spatial + ")" : "(None, " + spatial + ", channels)";
    }

    @Override
    public int[] computeOutputShape(int[] shape) {
        if (shape.length != rank + 1) {
            throw shapeError(expectedShape(), shape);
        }
        int[] out = outputShapeLast(channelsFirst() ? DataFormat.shapeToLast(shape) : shape);
        return channelsFirst() ? DataFormat.shapeToFirst(out) : out;
    }

    private int[] outputShapeLast(int[] in) {
        int[] s = strides();
        int[] out = in.clone();
        for (int i = 0; i < rank; i++) {
            out[i] = ConvGeometry.outputSize(in[i], poolSize[i], s[i], 1, padding);
            if (out[i] == 0) {
                throw new LayerShapeException("Layer '" + name() + "' (" + className() + ") with pool size "
                        + Shapes.toString(poolSize) + " and padding 'valid' needs input size >= " + poolSize[i]
                        + " on spatial axis " + (i + 1) + ", but got input " + Shapes.withBatch(in)
                        + "; use padding(\"same\") or a smaller pool");
            }
        }
        return out;
    }

    private ConvGeometry geometry(Tensor x) {
        int[] actual = Shapes.dropFirst(x.shape());
        int[] built = channelsFirst() ? DataFormat.shapeToLast(inputShape()) : inputShape();
        boolean ok = actual.length == rank + 1;
        for (int i = 0; ok && i <= rank; i++) {
            ok = built[i] < 0 || built[i] == actual[i];
        }
        if (!ok) {
            throw shapeError(Shapes.withBatch(inputShape()),
                    channelsFirst() ? DataFormat.shapeToFirst(actual) : actual);
        }
        int[] s = strides();
        int inH = rank == 1 ? 1 : actual[0];
        int kH = rank == 1 ? 1 : poolSize[0];
        int sH = rank == 1 ? 1 : s[0];
        ConvGeometry g = ConvGeometry.of(inH, actual[rank - 1], actual[rank], kH, poolSize[rank - 1], sH,
                s[rank - 1], 1, 1, padding);
        if (g.outH < 1 || g.outW < 1) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + "): input "
                    + Shapes.withBatch(actual) + " is smaller than the pool " + Shapes.toString(poolSize));
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
        ConvNd.Geometry nd = null;
        int[] outShape;
        if (rank == 3) {
            nd = ConvNd.Geometry.of(java.util.Arrays.copyOfRange(x.shape(), 1, 4), x.dim(4), poolSize, strides(),
                    new int[] {1, 1, 1}, padding);
            outShape = new int[] {batch, nd.out[0], nd.out[1], nd.out[2], nd.channels};
        } else {
            outShape = rank == 1 ? new int[] {batch, g.outW, g.channels}
                    : new int[] {batch, g.outH, g.outW, g.channels};
        }
        Tensor y = Tensor.zeros(outShape);
        if (nd != null) {
            if (average) {
                ConvNd.avgForward(x.data(), batch, nd, y.data());
            } else {
                ConvNd.maxForward(x.data(), batch, nd, y.data());
            }
        } else if (average) {
            ConvPooling.avgForward(x.data(), batch, g, y.data());
        } else {
            // No argmax: backward finds each window's max again from x and y, which is cheaper
            // than recording an index per output.
            ConvPooling.maxForward(x.data(), batch, g, y.data(), null);
        }
        if (training) {
            State s = ctx.state(State::new);
            s.inputShape = x.shape();
            s.input = average ? null : x;
            s.output = average ? null : y;
            s.geometry = g;
            s.nd = nd;
        }
        return channelsFirst() ? DataFormat.toFirst(y) : y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.inputShape == null) {
            throw noForwardRecorded();
        }
        if (channelsFirst()) {
            gradOutput = DataFormat.toLast(gradOutput);
        }
        Tensor dx = Tensor.zeros(s.inputShape);
        if (s.nd != null) {
            if (average) {
                ConvNd.avgBackward(gradOutput.data(), s.inputShape[0], s.nd, dx.data());
            } else {
                ConvNd.maxBackward(s.input.data(), gradOutput.data(), s.inputShape[0], s.nd, dx.data());
            }
        } else if (average) {
            ConvPooling.avgBackward(gradOutput.data(), s.inputShape[0], s.geometry, dx.data());
        } else {
            ConvPooling.maxBackward(s.input.data(), s.output.data(), gradOutput.data(), s.inputShape[0],
                    s.geometry, dx.data());
        }
        return channelsFirst() ? DataFormat.toFirst(dx) : dx;
    }

    /**
     * Reads pool_size ({@code defaultPool} when absent; null makes it required), strides (the pool
     * size when absent, as Keras's None), padding and data_format into a layer made by {@code create}.
     */
    static <T extends BasePooling<T>> T readConfig(ConfigReader c, int rank, int[] defaultPool,
                                                   java.util.function.Function<int[], T> create) {
        int[] p = c.sizes("pool_size", rank, defaultPool);
        T l = create.apply(p);
        l.dataFormat(c.string("data_format", DataFormat.LAST));
        l.setStrides(c.sizes("strides", rank, p));
        l.padding(c.string("padding", "valid"));
        return c.finish(l);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("pool_size", BaseConv.tuple(poolSize));
        c.put("padding", padding);
        c.put("strides", BaseConv.tuple(strides()));
        c.put("data_format", dataFormat);
        return c;
    }
}
