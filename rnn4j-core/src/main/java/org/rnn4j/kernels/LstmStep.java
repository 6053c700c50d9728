package org.rnn4j.kernels;

/**
 * One LSTM time step's gate math for the default activations (recurrent sigmoid, tanh), fused
 * so that each batch row of {@code 4 * units} gates is read and written once while it is in L1
 * (instead of one pass per gate block over the [B, 4H] slice). Layouts are those of
 * {@link RecurrentCells}: gate rows of stride {@code 4 * units} in Keras order i, f, c, o; states
 * {@code units} per row; {@code mask[mOff + r]} false marks a padded row, whose state is carried.
 * Implementations never allocate (the layers call them inside their time loops).
 */
public interface LstmStep {
    /**
     * Activates the pre-activations of {@code rows} rows into {@code gates}, then
     * {@code c = f * cPrev + i * g}, {@code actC = tanh(c)}, {@code h = o * actC}; padded rows
     * carry {@code cPrev} and {@code hPrev} (their gates and {@code actC} are still written).
     */
    void forward(int rows, int units, float[] pre, float[] gates, int gOff,
                 float[] c, int cPrevOff, int cOff, float[] actC,
                 float[] h, int hPrevOff, int hOff, boolean[] mask, int mOff);

    /**
     * The step backward up to the recurrent matmul: from {@code dh} (gradient reaching h, [rows,
     * units]) and {@code dc} (carried cell gradient, updated in place for the previous step) writes
     * the pre-activation gradients of all four gates into {@code dz} and {@code dhPrev} (0 for real
     * rows, the caller adds the recurrent matmul; {@code dh} carried for padded rows, whose gate
     * gradients are 0 and whose {@code dc} is left as is). {@code actC} is aligned with
     * {@code c[cOff]}.
     */
    void backward(int rows, int units, float[] gates, int gOff, float[] c, int cPrevOff, int cOff,
                  float[] actC, float[] dh, float[] dc, float[] dz, float[] dhPrev, boolean[] mask, int mOff);

    /**
     * Whether {@link #forward} may be given {@code pre} itself as {@code gates} for this width
     * (each element read once before it is overwritten): the gates then replace the
     * pre-activations in place, and the step streams one buffer instead of two.
     */
    boolean activatesInPlace(int units);
}
