package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's GlobalMaxPooling1D: the maximum over steps of {@code (batch, steps, channels)}. Like
 * Keras it ignores (and drops) any mask. Backward routes the gradient to the argmax step.
 */
public class GlobalMaxPooling1D extends Layer {
    private boolean keepdims;
    private String dataFormat = DataFormat.LAST;

    /** What a training forward pass records for backward: the input's shape and each output's flat argmax. */
    private static final class State {
        int[] inputShape;
        int[] argmax;
    }

    public GlobalMaxPooling1D keepdims(boolean value) {
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
    public GlobalMaxPooling1D dataFormat(String format) {
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
    public GlobalMaxPooling1D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public GlobalMaxPooling1D name(String n) {
        super.name(n);
        return this;
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
        if (x.rank() != 3 || x.dim(1) < 1) {
            throw shapeError(Shapes.withBatch(inputShape()), Shapes.dropFirst(x.shape()));
        }
        int batch = x.dim(0);
        int steps = x.dim(1);
        int channels = x.dim(2);
        float[] xd = x.data();
        float[] out = new float[batch * channels];
        int[] argmax = new int[batch * channels];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                int best = b * steps * channels + c;
                for (int t = 1; t < steps; t++) {
                    int i = (b * steps + t) * channels + c;
                    if (xd[i] > xd[best]) {
                        best = i;
                    }
                }
                out[b * channels + c] = xd[best];
                argmax[b * channels + c] = best;
            }
        }
        if (training) {
            State s = ctx.state(State::new);
            s.inputShape = x.shape();
            s.argmax = argmax;
        }
        if (!keepdims) {
            return Tensor.of(out, batch, channels);
        }
        return channelsFirst() ? Tensor.of(out, batch, channels, 1) : Tensor.of(out, batch, 1, channels);
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.argmax == null) {
            throw noForwardRecorded();
        }
        int[] lastArgmax = s.argmax;
        Tensor dx = Tensor.zeros(s.inputShape);
        float[] dy = gradOutput.data();
        for (int i = 0; i < lastArgmax.length; i++) {
            dx.data()[lastArgmax[i]] += dy[i];
        }
        return channelsFirst() ? DataFormat.toFirst(dx) : dx;
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static GlobalMaxPooling1D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("GlobalMaxPooling1D", config);
        return c.finish(new GlobalMaxPooling1D().dataFormat(c.string("data_format", DataFormat.LAST)).keepdims(c.bool("keepdims", false)));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("data_format", dataFormat);
        c.put("keepdims", keepdims);
        return c;
    }
}
