package org.rnn4j.layers;

import java.util.Map;

/**
 * Keras's Conv3DTranspose: input {@code (batch, d1, d2, d3, channels)} (or channels_first),
 * kernel {@code (k1, k2, k3, filters, channels)}. Padding "valid" or "same", optional
 * output_padding; strides > 1 exclude dilation_rate > 1, as in Keras.
 */
public class Conv3DTranspose extends BaseConvTranspose<Conv3DTranspose> {
    public Conv3DTranspose(int filters, int kernelSize) {
        super(3, filters, new int[] {kernelSize, kernelSize, kernelSize});
    }

    public Conv3DTranspose(int filters, int k1, int k2, int k3) {
        super(3, filters, new int[] {k1, k2, k3});
    }

    @Override
    protected Conv3DTranspose self() {
        return this;
    }

    public Conv3DTranspose strides(int s) {
        return setStrides(s, s, s);
    }

    public Conv3DTranspose strides(int s1, int s2, int s3) {
        return setStrides(s1, s2, s3);
    }

    public Conv3DTranspose dilationRate(int d) {
        return setDilationRate(d, d, d);
    }

    public Conv3DTranspose dilationRate(int d1, int d2, int d3) {
        return setDilationRate(d1, d2, d3);
    }

    public Conv3DTranspose outputPadding(int p) {
        return setOutputPadding(p, p, p);
    }

    public Conv3DTranspose outputPadding(int p1, int p2, int p3) {
        return setOutputPadding(p1, p2, p3);
    }

    /** Rebuilds the layer from its Keras config; weights are set separately. */
    public static Conv3DTranspose fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("Conv3DTranspose", config);
        int[] k = c.sizes("kernel_size", 3, null);
        Conv3DTranspose l = new Conv3DTranspose(c.size("filters"), k[0], k[1], k[2]);
        int[] s = c.sizes("strides", 3, new int[] {1, 1, 1});
        l.strides(s[0], s[1], s[2]);
        int[] d = c.sizes("dilation_rate", 3, new int[] {1, 1, 1});
        l.dilationRate(d[0], d[1], d[2]);
        readCommon(c, l, 3);
        return c.finish(l);
    }
}
