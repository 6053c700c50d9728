package org.rnn4j.layers;

/**
 * Keras's Conv1D: input {@code (batch, steps, channels)}, kernel {@code (kernel_size, channels, filters)}.
 * Padding "valid", "same" or "causal".
 */
public class Conv1D extends BaseConv<Conv1D> {
    public Conv1D(int filters, int kernelSize) {
        super(1, filters, new int[] {kernelSize});
    }

    @Override
    protected Conv1D self() {
        return this;
    }

    public Conv1D strides(int s) {
        return setStrides(s);
    }

    public Conv1D dilationRate(int d) {
        return setDilationRate(d);
    }
}
