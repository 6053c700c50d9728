package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Tensor;

/** Keras's Flatten: {@code (batch, d1, d2, ...) -> (batch, d1*d2*...)}. */
public class Flatten extends Layer {

    /** What a training forward pass records for backward: the input's shape. */
    private static final class State {
        int[] inputShape;
    }

    @Override
    public Flatten inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Flatten name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        int n = 1;
        for (int d : in) {
            if (d < 0) {
                throw shapeError("a fully known per-sample shape", in);
            }
            n *= d;
        }
        return new int[] {n};
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        if (training) {
            ctx.state(State::new).inputShape = x.shape();
        }
        return x.reshape(x.dim(0), -1);
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.inputShape == null) {
            throw noForwardRecorded();
        }
        return gradOutput.reshape(s.inputShape);
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static Flatten fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("Flatten", config);
        c.channelsLast();
        return c.finish(new Flatten());
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("data_format", "channels_last");
        return c;
    }
}
