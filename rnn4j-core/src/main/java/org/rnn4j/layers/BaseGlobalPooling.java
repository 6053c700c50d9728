package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's global max/average pooling over 2 or 3 spatial axes: {@code (batch, S..., C)} (or
 * channels_first {@code (batch, C, S...)}) to {@code (batch, C)}, or with {@code keepdims} the
 * spatial axes kept as size 1. Max pooling's backward routes the gradient to the first maximum.
 *
 * @param <T> the concrete layer, so fluent setters keep its type
 */
public abstract class BaseGlobalPooling<T extends BaseGlobalPooling<T>> extends Layer {
    private final int rank;
    private final boolean average;
    private boolean keepdims;
    private String dataFormat = DataFormat.LAST;

    /** What a training forward pass records for backward: the input's shape and (max) each output's flat argmax. */
    private static final class State {
        int[] inputShape;
        int[] argmax;
    }

    protected BaseGlobalPooling(int rank, boolean average) {
        this.rank = rank;
        this.average = average;
    }

    protected abstract T self();

    public T keepdims(boolean value) {
        checkNotBuilt();
        this.keepdims = value;
        return self();
    }

    public boolean keepdims() {
        return keepdims;
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

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length != rank + 1) {
            String spatial = rank == 2 ? "rows, cols" : "dim1, dim2, dim3";
            throw shapeError(channelsFirst() ? "(None, channels, " + spatial + ")"
                    : "(None, " + spatial + ", channels)", in);
        }
        int channels = channelsFirst() ? in[0] : in[rank];
        if (!keepdims) {
            return new int[] {channels};
        }
        int[] out = new int[rank + 1];
        java.util.Arrays.fill(out, 1);
        out[channelsFirst() ? 0 : rank] = channels;
        return out;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        requireBuilt();
        if (x.rank() != rank + 2) {
            throw shapeError(Shapes.withBatch(inputShape()), Shapes.dropFirst(x.shape()));
        }
        int batch = x.dim(0);
        int channels = channelsFirst() ? x.dim(1) : x.dim(rank + 1);
        int positions = x.size() / Math.max(1, batch * channels);
        // Channels_first reduces contiguous runs; channels_last strides over them.
        int posStride = channelsFirst() ? 1 : channels;
        int chStride = channelsFirst() ? positions : 1;
        float[] xd = x.data();
        float[] out = new float[batch * channels];
        int[] argmax = average ? null : new int[batch * channels];
        for (int b = 0; b < batch; b++) {
            int base = b * positions * channels;
            for (int c = 0; c < channels; c++) {
                int first = base + c * chStride;
                if (average) {
                    double s = 0;
                    for (int p = 0; p < positions; p++) {
                        s += xd[first + p * posStride];
                    }
                    out[b * channels + c] = (float) (s / positions);
                } else {
                    int best = first;
                    for (int p = 1; p < positions; p++) {
                        int i = first + p * posStride;
                        if (xd[i] > xd[best]) {
                            best = i;
                        }
                    }
                    out[b * channels + c] = xd[best];
                    argmax[b * channels + c] = best;
                }
            }
        }
        if (training) {
            State s = ctx.state(State::new);
            s.inputShape = x.shape();
            s.argmax = argmax;
        }
        int[] shape = new int[computeOutputShape(Shapes.dropFirst(x.shape())).length + 1];
        shape[0] = batch;
        System.arraycopy(computeOutputShape(Shapes.dropFirst(x.shape())), 0, shape, 1, shape.length - 1);
        return Tensor.of(out, shape);
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.inputShape == null) {
            throw noForwardRecorded();
        }
        Tensor dx = Tensor.zeros(s.inputShape);
        float[] d = dx.data();
        float[] dy = gradOutput.data();
        if (!average) {
            for (int i = 0; i < s.argmax.length; i++) {
                d[s.argmax[i]] += dy[i];
            }
            return dx;
        }
        int batch = s.inputShape[0];
        int channels = channelsFirst() ? s.inputShape[1] : s.inputShape[rank + 1];
        int positions = dx.size() / Math.max(1, batch * channels);
        int posStride = channelsFirst() ? 1 : channels;
        int chStride = channelsFirst() ? positions : 1;
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                float g = dy[b * channels + c] / positions;
                int first = b * positions * channels + c * chStride;
                for (int p = 0; p < positions; p++) {
                    d[first + p * posStride] = g;
                }
            }
        }
        return dx;
    }

    /** Reads data_format and keepdims into {@code layer}. */
    static <L extends BaseGlobalPooling<L>> L readConfig(ConfigReader c, L layer) {
        layer.dataFormat(c.string("data_format", DataFormat.LAST));
        layer.keepdims(c.bool("keepdims", false));
        return c.finish(layer);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("data_format", dataFormat);
        c.put("keepdims", keepdims);
        return c;
    }
}
