package org.rnn4j.kernels;

/**
 * One GRU time step's gate math (reset_after=True, recurrent sigmoid, tanh) fused into one pass
 * per batch row of {@code 3 * units} gates (Keras order z, r, h), after both recurrent matmuls.
 * Layouts as in {@link RecurrentCells}; {@code mask[mOff + r]} false marks a padded row (state
 * carried). Implementations never allocate (the layers call them inside their time loops).
 */
public interface GruStep {
    /**
     * {@code z, r = sigmoid(pre)}, {@code pre_h += r * recH} (written back into {@code pre}),
     * {@code hh = tanh(pre_h)}, all into {@code gates}; {@code h = z * hPrev + (1 - z) * hh}, or
     * {@code hPrev} for padded rows.
     */
    void forward(int rows, int units, float[] pre, float[] gates, int gOff, float[] recH, int rOff,
                 float[] h, int hPrevOff, int hOff, boolean[] mask, int mOff);

    /**
     * From {@code dh} ([rows, units]) writes the pre-activation gradients of z, r and h into
     * {@code dz}, the gradient of {@code recH} into {@code dRecH} (at {@code rOff}) and
     * {@code dhPrev = dh * z} (the caller adds the recurrent matmuls); padded rows get zero
     * gradients and {@code dhPrev = dh}.
     */
    void backward(int rows, int units, float[] gates, int gOff, float[] recH, int rOff, float[] h, int hPrevOff,
                  float[] dh, float[] dz, float[] dRecH, float[] dhPrev, boolean[] mask, int mOff);

    /**
     * Whether {@link #forward} may be given {@code pre} itself as {@code gates} for this width
     * (each element read before it is overwritten): the gates then replace the pre-activations in
     * place, and the step streams one buffer instead of two.
     */
    boolean activatesInPlace(int units);
}
