package org.rnn4j.layers;

import java.util.Map;

/**
 * Keras's Conv1D: input {@code (batch, steps, channels)}, kernel {@code (kernel_size, channels, filters)}.
 * Padding "valid", "same" or "causal".
 */
public class Conv1D extends BaseConv<Conv1D> {
    public Conv1D(int filters, int kernelSize) {
        super(1, filters, new int[] {kernelSize});
    }

    @Override
    protected Conv1D self() {
        return this;
    }

    public Conv1D strides(int s) {
        return setStrides(s);
    }

    public Conv1D dilationRate(int d) {
        return setDilationRate(d);
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static Conv1D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("Conv1D", config);
        Conv1D l = new Conv1D(c.size("filters"), c.sizes("kernel_size", 1, null)[0]);
        l.strides(c.sizes("strides", 1, new int[] {1})[0]);
        l.dilationRate(c.sizes("dilation_rate", 1, new int[] {1})[0]);
        readCommon(c, l);
        return c.finish(l);
    }
}
