package org.rnn4j.layers;

import java.util.Map;

/**
 * Keras's Conv3D: input {@code (batch, d1, d2, d3, channels)} (or channels_first), kernel
 * {@code (k1, k2, k3, channels / groups, filters)}, padding "valid" or "same".
 */
public class Conv3D extends BaseConv<Conv3D> {
    public Conv3D(int filters, int kernelSize) {
        super(3, filters, new int[] {kernelSize, kernelSize, kernelSize});
    }

    public Conv3D(int filters, int k1, int k2, int k3) {
        super(3, filters, new int[] {k1, k2, k3});
    }

    @Override
    protected Conv3D self() {
        return this;
    }

    public Conv3D strides(int s) {
        return setStrides(s, s, s);
    }

    public Conv3D strides(int s1, int s2, int s3) {
        return setStrides(s1, s2, s3);
    }

    public Conv3D dilationRate(int d) {
        return setDilationRate(d, d, d);
    }

    public Conv3D dilationRate(int d1, int d2, int d3) {
        return setDilationRate(d1, d2, d3);
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static Conv3D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("Conv3D", config);
        int[] k = c.sizes("kernel_size", 3, null);
        Conv3D l = new Conv3D(c.size("filters"), k[0], k[1], k[2]);
        int[] s = c.sizes("strides", 3, new int[] {1, 1, 1});
        l.strides(s[0], s[1], s[2]);
        int[] d = c.sizes("dilation_rate", 3, new int[] {1, 1, 1});
        l.dilationRate(d[0], d[1], d[2]);
        readCommon(c, l);
        return c.finish(l);
    }
}
