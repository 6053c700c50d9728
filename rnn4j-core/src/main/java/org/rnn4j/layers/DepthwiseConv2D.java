package org.rnn4j.layers;

import java.util.Map;

/**
 * Keras's DepthwiseConv2D: each input channel convolved with its own {@code depthMultiplier}
 * kernels; kernel {@code (kh, kw, channels, depth_multiplier)}, bias {@code (channels * dm)}.
 */
public class DepthwiseConv2D extends BaseDepthwiseConv<DepthwiseConv2D> {
    public DepthwiseConv2D(int kernelSize) {
        this(kernelSize, kernelSize);
    }

    public DepthwiseConv2D(int kh, int kw) {
        super(2, 0, new int[] {kh, kw});
    }

    @Override
    protected DepthwiseConv2D self() {
        return this;
    }

    public DepthwiseConv2D strides(int sh, int sw) {
        return setStrides(sh, sw);
    }

    public DepthwiseConv2D dilationRate(int dh, int dw) {
        return setDilationRate(dh, dw);
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static DepthwiseConv2D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("DepthwiseConv2D", config);
        int[] k = c.sizes("kernel_size", 2, null);
        return readCommon(c, new DepthwiseConv2D(k[0], k[1]));
    }
}
