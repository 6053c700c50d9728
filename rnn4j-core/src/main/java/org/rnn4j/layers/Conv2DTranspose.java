package org.rnn4j.layers;

import java.util.Map;

/**
 * Keras's Conv2DTranspose: input {@code (batch, rows, cols, channels)} (or channels_first), kernel
 * {@code (kh, kw, filters, channels)}. Padding "valid" or "same", optional output_padding.
 */
public class Conv2DTranspose extends BaseConvTranspose<Conv2DTranspose> {
    public Conv2DTranspose(int filters, int kernelSize) {
        super(2, filters, new int[] {kernelSize, kernelSize});
    }

    public Conv2DTranspose(int filters, int kernelHeight, int kernelWidth) {
        super(2, filters, new int[] {kernelHeight, kernelWidth});
    }

    @Override
    protected Conv2DTranspose self() {
        return this;
    }

    public Conv2DTranspose strides(int s) {
        return setStrides(s, s);
    }

    public Conv2DTranspose strides(int sh, int sw) {
        return setStrides(sh, sw);
    }

    public Conv2DTranspose dilationRate(int d) {
        return setDilationRate(d, d);
    }

    public Conv2DTranspose dilationRate(int dh, int dw) {
        return setDilationRate(dh, dw);
    }

    public Conv2DTranspose outputPadding(int ph, int pw) {
        return setOutputPadding(ph, pw);
    }

    /** Rebuilds the layer from its Keras config; weights are set separately. */
    public static Conv2DTranspose fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("Conv2DTranspose", config);
        int[] k = c.sizes("kernel_size", 2, null);
        Conv2DTranspose l = new Conv2DTranspose(c.size("filters"), k[0], k[1]);
        int[] s = c.sizes("strides", 2, new int[] {1, 1});
        l.strides(s[0], s[1]);
        int[] d = c.sizes("dilation_rate", 2, new int[] {1, 1});
        l.dilationRate(d[0], d[1]);
        readCommon(c, l, 2);
        return c.finish(l);
    }
}
