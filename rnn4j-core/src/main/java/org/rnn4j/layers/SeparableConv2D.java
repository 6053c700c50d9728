package org.rnn4j.layers;

import java.util.Map;

/**
 * Keras's SeparableConv2D: a depthwise convolution (kernel {@code (kh, kw, channels, dm)}) followed by
 * a pointwise one (kernel {@code (1, 1, channels * dm, filters)}) and the bias {@code (filters)}.
 */
public class SeparableConv2D extends BaseDepthwiseConv<SeparableConv2D> {
    public SeparableConv2D(int filters, int kernelSize) {
        this(filters, kernelSize, kernelSize);
    }

    public SeparableConv2D(int filters, int kh, int kw) {
        super(2, filters, new int[] {kh, kw});
    }

    @Override
    protected SeparableConv2D self() {
        return this;
    }

    public SeparableConv2D strides(int sh, int sw) {
        return setStrides(sh, sw);
    }

    public SeparableConv2D dilationRate(int dh, int dw) {
        return setDilationRate(dh, dw);
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static SeparableConv2D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("SeparableConv2D", config);
        int[] k = c.sizes("kernel_size", 2, null);
        return readCommon(c, new SeparableConv2D(c.size("filters"), k[0], k[1]));
    }
}
