package org.rnn4j.layers;

import java.util.Map;

/**
 * Keras's Conv1DTranspose: input {@code (batch, steps, channels)}, kernel
 * {@code (kernel_size, filters, channels)}. Padding "valid" or "same", optional output_padding.
 */
public class Conv1DTranspose extends BaseConvTranspose<Conv1DTranspose> {
    public Conv1DTranspose(int filters, int kernelSize) {
        super(1, filters, new int[] {kernelSize});
    }

    @Override
    protected Conv1DTranspose self() {
        return this;
    }

    public Conv1DTranspose strides(int s) {
        return setStrides(s);
    }

    public Conv1DTranspose dilationRate(int d) {
        return setDilationRate(d);
    }

    public Conv1DTranspose outputPadding(int p) {
        return setOutputPadding(p);
    }

    /** Rebuilds the layer from its Keras config; weights are set separately. */
    public static Conv1DTranspose fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("Conv1DTranspose", config);
        Conv1DTranspose l = new Conv1DTranspose(c.size("filters"), c.sizes("kernel_size", 1, null)[0]);
        l.strides(c.sizes("strides", 1, new int[] {1})[0]);
        l.dilationRate(c.sizes("dilation_rate", 1, new int[] {1})[0]);
        readCommon(c, l, 1);
        return c.finish(l);
    }
}
