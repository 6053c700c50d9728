package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's GlobalAveragePooling1D: the mean over steps of {@code (batch, steps, channels)}. With a
 * mask, the mean of the unmasked steps only (a fully masked row gives NaN, as in Keras). The
 * output carries no mask.
 */
public class GlobalAveragePooling1D extends Layer {
    private boolean keepdims;
    private String dataFormat = DataFormat.LAST;

    /** What a training forward pass records for backward. */
    private static final class State {
        int[] inputShape;
        Mask mask;
        float[] counts;
    }

    public GlobalAveragePooling1D keepdims(boolean value) {
        checkNotBuilt();
        this.keepdims = value;
        return this;
    }

    public boolean keepdims() {
        return keepdims;
    }

    /**
     * {@code "channels_last"} (default) or {@code "channels_first"}: input {@code (batch, channels, steps)},
     * pooled over the last axis (a mask then masks that axis, as Keras).
     */
    public GlobalAveragePooling1D dataFormat(String format) {
        checkNotBuilt();
        this.dataFormat = DataFormat.of(className() + " '" + name() + "'", format);
        return this;
    }

    public String dataFormat() {
        return dataFormat;
    }

    private boolean channelsFirst() {
        return dataFormat.equals(DataFormat.FIRST);
    }

    @Override
    public GlobalAveragePooling1D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public GlobalAveragePooling1D name(String n) {
        super.name(n);
        return this;
    }

    @Override
    protected boolean supportsMasking() {
        return true;
    }

    @Override
    public Mask computeMask(Tensor input, Mask mask) {
        return null;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length != 2) {
            throw shapeError("(None, steps, channels)", in);
        }
        int channels = channelsFirst() ? in[0] : in[1];
        if (!keepdims) {
            return new int[] {channels};
        }
        return channelsFirst() ? new int[] {channels, 1} : new int[] {1, channels};
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        requireBuilt();
        if (channelsFirst() && x.rank() == 3) {
            x = DataFormat.toLast(x);
        }
        if (x.rank() != 3) {
            throw shapeError(Shapes.withBatch(inputShape()), Shapes.dropFirst(x.shape()));
        }
        int batch = x.dim(0);
        int steps = x.dim(1);
        int channels = x.dim(2);
        if (mask != null && (mask.batch() != batch || mask.time() != steps)) {
            throw new LayerShapeException("Layer '" + name() + "' (GlobalAveragePooling1D): mask of shape ("
                    + mask.batch() + ", " + mask.time() + ") does not match input " + Shapes.toString(x.shape()));
        }
        float[] xd = x.data();
        float[] out = new float[batch * channels];
        float[] counts = new float[batch];
        for (int b = 0; b < batch; b++) {
            int n = 0;
            for (int t = 0; t < steps; t++) {
                if (mask != null && !mask.get(b, t)) {
                    continue;
                }
                n++;
                int o = (b * steps + t) * channels;
                for (int c = 0; c < channels; c++) {
                    out[b * channels + c] += xd[o + c];
                }
            }
            counts[b] = n;
            for (int c = 0; c < channels; c++) {
                out[b * channels + c] /= n;
            }
        }
        if (training) {
            State s = ctx.state(State::new);
            s.inputShape = x.shape();
            s.mask = mask;
            s.counts = counts;
        }
        if (!keepdims) {
            return Tensor.of(out, batch, channels);
        }
        return channelsFirst() ? Tensor.of(out, batch, channels, 1) : Tensor.of(out, batch, 1, channels);
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.inputShape == null) {
            throw noForwardRecorded();
        }
        int[] lastInputShape = s.inputShape;
        Mask lastMask = s.mask;
        float[] lastCounts = s.counts;
        int batch = lastInputShape[0];
        int steps = lastInputShape[1];
        int channels = lastInputShape[2];
        float[] dy = gradOutput.data();
        Tensor dx = Tensor.zeros(lastInputShape);
        float[] d = dx.data();
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                if (lastMask != null && !lastMask.get(b, t)) {
                    continue;
                }
                int o = (b * steps + t) * channels;
                for (int c = 0; c < channels; c++) {
                    d[o + c] = dy[b * channels + c] / lastCounts[b];
                }
            }
        }
        return channelsFirst() ? DataFormat.toFirst(dx) : dx;
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static GlobalAveragePooling1D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("GlobalAveragePooling1D", config);
        return c.finish(new GlobalAveragePooling1D().dataFormat(c.string("data_format", DataFormat.LAST)).keepdims(c.bool("keepdims", false)));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("data_format", dataFormat);
        c.put("keepdims", keepdims);
        return c;
    }
}
