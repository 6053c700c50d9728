package org.rnn4j.layers;

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
}
