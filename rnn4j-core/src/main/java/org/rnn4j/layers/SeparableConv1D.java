package org.rnn4j.layers;

import java.util.Map;

/**
 * Keras's SeparableConv1D: a depthwise convolution (kernel {@code (k, channels, dm)}) followed by a
 * pointwise one (kernel {@code (1, channels * dm, filters)}) and the bias {@code (filters)}.
 */
public class SeparableConv1D extends BaseDepthwiseConv<SeparableConv1D> {
    public SeparableConv1D(int filters, int kernelSize) {
        super(1, filters, new int[] {kernelSize});
    }

    @Override
    protected SeparableConv1D self() {
        return this;
    }

    public SeparableConv1D strides(int s) {
        return setStrides(s);
    }

    public SeparableConv1D dilationRate(int d) {
        return setDilationRate(d);
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static SeparableConv1D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("SeparableConv1D", config);
        return readCommon(c, new SeparableConv1D(c.size("filters"), c.sizes("kernel_size", 1, null)[0]));
    }
}
