package org.rnn4j.kernels;

import org.rnn4j.activations.Activation;

/**
 * Per-time-step gate math of the recurrent layers (LSTM, GRU, SimpleRNN), forward and backward,
 * as plain scalar loops over {@code rows} batch rows. Gate blocks are stored row by row, each row
 * holding {@code G * units} values in Keras's gate order; states hold {@code units} values per row.
 *
 * <p>{@code mask}/{@code mOff}: when {@code mask} is non-null, {@code mask[mOff + r]} false marks a
 * padded step of row {@code r}: its state (and output) is the previous one carried forward and it
 * contributes no gate gradient, exactly as Keras's backend {@code rnn} does. These methods never
 * allocate: the layers call them inside their time loops. With the default activations (tanh,
 * recurrent sigmoid) LSTM and GRU (reset_after) run the fused {@link LstmStep} / {@link GruStep}
 * instead; these routines stay the generic path (other activations) and the tests' reference.
 */
public final class RecurrentCells {
    private RecurrentCells() {
    }

    private static boolean real(boolean[] mask, int mOff, int r) {
        return mask == null || mask[mOff + r];
    }

    /**
     * Applies {@code a} (already resolved by the layer, e.g. with {@link Kernels#activation}) to columns {@code [col, col + cols)} of every row (stride {@code stride}). */
    public static void activate(Activation a, int rows, int stride, float[] pre, float[] out, int off, int col, int cols) {
        for (int r = 0; r < rows; r++) {
            a.forward(pre, out, off + r * stride + col, 1, cols);
        }
    }

    /**
     * Back-propagates {@code a} in place over columns {@code [col, col + cols)}: {@code d *= a'(pre)}
     * (given the forward's {@code pre} and {@code out}).
     */
    public static void activateBackward(Activation a, int rows, int stride, float[] pre, float[] out, float[] d,
                                        int off, int col, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = off + r * stride + col;
            a.backward(pre, out, d, d, o, 1, cols);
        }
    }

    /** {@code h = candidate} for real rows, {@code h = hPrev} for padded rows (SimpleRNN). */
    public static void select(int rows, int units, float[] candidate, int cOff, float[] h, int hPrevOff, int hOff,
                              boolean[] mask, int mOff) {
        for (int r = 0; r < rows; r++) {
            int src = real(mask, mOff, r) ? cOff + r * units : hPrevOff + r * units;
            float[] from = real(mask, mOff, r) ? candidate : h;
            System.arraycopy(from, src, h, hOff + r * units, units);
        }
    }

    /**
     * SimpleRNN step backward before the activation: {@code dz = dh} and {@code dhPrev = 0} for
     * real rows; {@code dz = 0} and {@code dhPrev = dh} (carried) for padded rows.
     */
    public static void simpleBackward(int rows, int units, float[] dh, float[] dz, int zOff, float[] dhPrev,
                                      boolean[] mask, int mOff) {
        for (int r = 0; r < rows; r++) {
            int d = r * units;
            int z = zOff + r * units;
            boolean isReal = real(mask, mOff, r);
            for (int j = 0; j < units; j++) {
                dz[z + j] = isReal ? dh[d + j] : 0f;
                dhPrev[d + j] = isReal ? 0f : dh[d + j];
            }
        }
    }

    // ---------------------------------------------------------------- LSTM (gates i, f, c, o)

    /** {@code c = f * cPrev + i * g} per real row; padded rows carry {@code cPrev}. */
    public static void lstmCarry(int rows, int units, float[] gates, int gOff, float[] c, int cPrevOff, int cOff,
                                 boolean[] mask, int mOff) {
        int stride = 4 * units;
        for (int r = 0; r < rows; r++) {
            int cp = cPrevOff + r * units;
            int cn = cOff + r * units;
            if (!real(mask, mOff, r)) {
                System.arraycopy(c, cp, c, cn, units);
                continue;
            }
            int g = gOff + r * stride;
            for (int j = 0; j < units; j++) {
                c[cn + j] = gates[g + units + j] * c[cp + j] + gates[g + j] * gates[g + 2 * units + j];
            }
        }
    }

    /** {@code h = o * act(c)} per real row (given {@code actC}); padded rows carry {@code hPrev}. */
    public static void lstmOutput(int rows, int units, float[] gates, int gOff, float[] actC, int acOff,
                                  float[] h, int hPrevOff, int hOff, boolean[] mask, int mOff) {
        int stride = 4 * units;
        for (int r = 0; r < rows; r++) {
            int hn = hOff + r * units;
            if (!real(mask, mOff, r)) {
                System.arraycopy(h, hPrevOff + r * units, h, hn, units);
                continue;
            }
            int g = gOff + r * stride + 3 * units;
            int a = acOff + r * units;
            for (int j = 0; j < units; j++) {
                h[hn + j] = gates[g + j] * actC[a + j];
            }
        }
    }

    /**
     * First half of the LSTM step backward: with {@code dh} the gradient reaching {@code h}, writes
     * the output gate's (post-activation) gradient {@code dh * act(c)} into {@code dz} and
     * {@code dActC = dh * o} (aligned with {@code actC}). Padded rows get zeros.
     */
    public static void lstmBackwardOutput(int rows, int units, float[] gates, int gOff, float[] actC, int acOff,
                                          float[] dh, float[] dz, float[] dActC, boolean[] mask, int mOff) {
        int stride = 4 * units;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * stride + 3 * units;
            int a = acOff + r * units;
            int d = r * units;
            boolean isReal = real(mask, mOff, r);
            for (int j = 0; j < units; j++) {
                dz[g + j] = isReal ? dh[d + j] * actC[a + j] : 0f;
                dActC[a + j] = isReal ? dh[d + j] * gates[g + j] : 0f;
            }
        }
    }

    /**
     * Second half: {@code dcT = dc + dC} (dC = gradient through act(c), aligned with
     * {@code actC}); writes the post-activation gate gradients of i, f, g into {@code dz}, the
     * carried {@code dc} (for c at the previous step) in place, and {@code dhPrev}: {@code dh}
     * for padded rows (carried), 0 for real rows (the caller adds the recurrent matmul).
     */
    public static void lstmBackwardCell(int rows, int units, float[] gates, int gOff, float[] c, int cPrevOff,
                                        float[] dC, int dcOff, float[] dc, float[] dz, float[] dh, float[] dhPrev,
                                        boolean[] mask, int mOff) {
        int stride = 4 * units;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * stride;
            int d = r * units;
            if (!real(mask, mOff, r)) {
                for (int j = 0; j < 3 * units; j++) {
                    dz[g + j] = 0f;
                }
                System.arraycopy(dh, d, dhPrev, d, units);
                continue;
            }
            int cp = cPrevOff + r * units;
            int a = dcOff + r * units;
            for (int j = 0; j < units; j++) {
                float dcT = dc[d + j] + dC[a + j];
                dz[g + j] = dcT * gates[g + 2 * units + j];
                dz[g + units + j] = dcT * c[cp + j];
                dz[g + 2 * units + j] = dcT * gates[g + j];
                dc[d + j] = dcT * gates[g + units + j];
                dhPrev[d + j] = 0f;
            }
        }
    }

    // ---------------------------------------------------------------- GRU (gates z, r, h)

    /** reset_after=True: {@code pre_h += r * recH} where recH = h_prev . U_h + b_rec_h. */
    public static void gruResetAfter(int rows, int units, float[] pre, float[] gates, int gOff, float[] recH, int rOff) {
        int stride = 3 * units;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * stride;
            int rh = rOff + r * units;
            for (int j = 0; j < units; j++) {
                pre[g + 2 * units + j] += gates[g + units + j] * recH[rh + j];
            }
        }
    }

    /** reset_after=False: {@code rh = r * hPrev} (the input of the candidate's recurrent matmul). */
    public static void gruResetBefore(int rows, int units, float[] gates, int gOff, float[] hPrev, int hOff,
                                      float[] rh, int rhOff) {
        int stride = 3 * units;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * stride + units;
            int hp = hOff + r * units;
            int o = rhOff + r * units;
            for (int j = 0; j < units; j++) {
                rh[o + j] = gates[g + j] * hPrev[hp + j];
            }
        }
    }

    /** {@code h = z * hPrev + (1 - z) * hh} per real row; padded rows carry {@code hPrev}. */
    public static void gruOutput(int rows, int units, float[] gates, int gOff, float[] h, int hPrevOff, int hOff,
                                 boolean[] mask, int mOff) {
        int stride = 3 * units;
        for (int r = 0; r < rows; r++) {
            int hp = hPrevOff + r * units;
            int hn = hOff + r * units;
            if (!real(mask, mOff, r)) {
                System.arraycopy(h, hp, h, hn, units);
                continue;
            }
            int g = gOff + r * stride;
            for (int j = 0; j < units; j++) {
                float z = gates[g + j];
                h[hn + j] = z * h[hp + j] + (1f - z) * gates[g + 2 * units + j];
            }
        }
    }

    /**
     * GRU step backward, output part: writes the post-activation gradients of z and hh into
     * {@code dz} (r's is set by {@link #gruBackwardResetAfter} / {@link #gruBackwardResetBefore}),
     * and {@code dhPrev = dh * z} (real rows) or {@code dh} (padded rows, carried).
     */
    public static void gruBackwardOutput(int rows, int units, float[] gates, int gOff, float[] h, int hPrevOff,
                                         float[] dh, float[] dz, float[] dhPrev, boolean[] mask, int mOff) {
        int stride = 3 * units;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * stride;
            int d = r * units;
            if (!real(mask, mOff, r)) {
                for (int j = 0; j < stride; j++) {
                    dz[g + j] = 0f;
                }
                System.arraycopy(dh, d, dhPrev, d, units);
                continue;
            }
            int hp = hPrevOff + r * units;
            for (int j = 0; j < units; j++) {
                float z = gates[g + j];
                float hh = gates[g + 2 * units + j];
                dz[g + j] = dh[d + j] * (h[hp + j] - hh);
                dz[g + units + j] = 0f;
                dz[g + 2 * units + j] = dh[d + j] * (1f - z);
                dhPrev[d + j] = dh[d + j] * z;
            }
        }
    }

    /**
     * reset_after=True, after the candidate's activation backward: {@code dRecH = dhhPre * r}
     * (gradient of the recurrent candidate projection) and r's gradient {@code dhhPre * recH}.
     */
    public static void gruBackwardResetAfter(int rows, int units, float[] gates, int gOff, float[] recH, int rOff,
                                             float[] dz, float[] dRecH, int dOff) {
        int stride = 3 * units;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * stride;
            int rh = rOff + r * units;
            int d = dOff + r * units;
            for (int j = 0; j < units; j++) {
                float dhh = dz[g + 2 * units + j];
                dRecH[d + j] = dhh * gates[g + units + j];
                dz[g + units + j] = dhh * recH[rh + j];
            }
        }
    }

    /**
     * reset_after=False: given {@code dRh} (gradient of {@code r * hPrev}), sets r's gradient
     * {@code dRh * hPrev} and adds {@code dRh * r} into {@code dhPrev}.
     */
    public static void gruBackwardResetBefore(int rows, int units, float[] gates, int gOff, float[] hPrev, int hOff,
                                              float[] dRh, float[] dz, float[] dhPrev) {
        int stride = 3 * units;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * stride;
            int hp = hOff + r * units;
            int d = r * units;
            for (int j = 0; j < units; j++) {
                dz[g + units + j] = dRh[d + j] * hPrev[hp + j];
                dhPrev[d + j] += dRh[d + j] * gates[g + units + j];
            }
        }
    }
}
