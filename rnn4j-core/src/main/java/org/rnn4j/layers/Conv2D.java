package org.rnn4j.layers;

import java.util.Map;

/**
 * Keras's Conv2D: input {@code (batch, rows, cols, channels)} (channels_last), kernel
 * {@code (kh, kw, channels, filters)}.
 */
public class Conv2D extends BaseConv<Conv2D> {
    public Conv2D(int filters, int kernelSize) {
        super(2, filters, new int[] {kernelSize, kernelSize});
    }

    public Conv2D(int filters, int kernelHeight, int kernelWidth) {
        super(2, filters, new int[] {kernelHeight, kernelWidth});
    }

    @Override
    protected Conv2D self() {
        return this;
    }

    public Conv2D strides(int s) {
        return setStrides(s, s);
    }

    public Conv2D strides(int sh, int sw) {
        return setStrides(sh, sw);
    }

    public Conv2D dilationRate(int d) {
        return setDilationRate(d, d);
    }

    public Conv2D dilationRate(int dh, int dw) {
        return setDilationRate(dh, dw);
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static Conv2D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("Conv2D", config);
        int[] k = c.sizes("kernel_size", 2, null);
        Conv2D l = new Conv2D(c.size("filters"), k[0], k[1]);
        int[] s = c.sizes("strides", 2, new int[] {1, 1});
        l.strides(s[0], s[1]);
        int[] d = c.sizes("dilation_rate", 2, new int[] {1, 1});
        l.dilationRate(d[0], d[1]);
        readCommon(c, l);
        return c.finish(l);
    }
}
