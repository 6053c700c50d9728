package org.rnn4j.layers;

import java.util.Map;

/**
 * Keras's DepthwiseConv1D: each input channel convolved with its own {@code depthMultiplier}
 * kernels; kernel {@code (kernel_size, channels, depth_multiplier)}, bias {@code (channels * dm)}.
 */
public class DepthwiseConv1D extends BaseDepthwiseConv<DepthwiseConv1D> {
    public DepthwiseConv1D(int kernelSize) {
        super(1, 0, new int[] {kernelSize});
    }

    @Override
    protected DepthwiseConv1D self() {
        return this;
    }

    public DepthwiseConv1D strides(int s) {
        return setStrides(s);
    }

    public DepthwiseConv1D dilationRate(int d) {
        return setDilationRate(d);
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static DepthwiseConv1D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("DepthwiseConv1D", config);
        return readCommon(c, new DepthwiseConv1D(c.sizes("kernel_size", 1, null)[0]));
    }
}
