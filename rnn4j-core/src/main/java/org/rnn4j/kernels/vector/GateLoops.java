package org.rnn4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The gate loops of the fused recurrent step kernels, each over a block of batch rows: the
 * transcendentals only in {@link VectorMath#sigmoidRows} / {@link VectorMath#tanhRows}, the
 * carry and output arithmetic in loops of their own.
 *
 * <p>Why not one pass per row with all the gates (the former kernels): C2 inlines the Vector
 * API's deeply nested methods only up to a node budget per compiled method, and our helpers
 * ({@code VectorMath.tanh}, a sigmoid) only at call sites it thinks hot. A loop body with three
 * sigmoids and two tanh went over the budget, so the helpers stayed real calls taking and
 * returning boxed vectors, partly run in the Vector API's Java fallback ({@code blendTemplate},
 * {@code lanewiseTemplate} in the profiles; W1 predict spent 70% of its time in gate math). Here
 * no vector value crosses a call, whether or not C2 inlines a loop into its caller; a block's rows
 * stay in L1/L2 between the loops. Every element gets the same operations as before, so the
 * results are bit for bit those of the per-row kernels.
 */
final class GateLoops {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private GateLoops() {
    }

    /** Rows per chunk so that a chunk's pre-activations and gates (2 x rows x stride floats) stay in L1 (~16 KB). */
    static int chunkRows(int stride) {
        return Math.max(1, 2048 / stride);
    }

    /**
     * LSTM carry and output for {@code rows} rows whose gates (i, f, g, o, stride {@code 4*units})
     * are activated: {@code c = f*cPrev + i*g}, {@code actC = tanh(c)}, {@code h = o*actC}; padded
     * rows ({@code mask[mOff + r]} false) get {@code c = cPrev}, {@code actC = tanh(cPrev)},
     * {@code h = hPrev}. Needs {@code units >= L}; the last vector of a row overlaps (the new
     * state is written apart from the previous one, so recomputing a lane gives the same value).
     */
    static void lstmCarry(int rows, int units, float[] gates, int gOff, float[] c, int cPrevOff, int cOff,
                          float[] actC, float[] h, int hPrevOff, int hOff, boolean[] mask, int mOff) {
        int stride = 4 * units;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * stride;
            int cp = cPrevOff + r * units;
            int cn = cOff + r * units;
            if (mask == null || mask[mOff + r]) {
                for (int j0 = 0; j0 < units; j0 += L) {
                    int j = Math.min(j0, units - L);
                    FloatVector i = FloatVector.fromArray(S, gates, g + j);
                    FloatVector f = FloatVector.fromArray(S, gates, g + units + j);
                    FloatVector gg = FloatVector.fromArray(S, gates, g + 2 * units + j);
                    f.mul(FloatVector.fromArray(S, c, cp + j)).add(i.mul(gg)).intoArray(c, cn + j);
                }
            } else {
                System.arraycopy(c, cp, c, cn, units);
            }
        }
        // The rows of c are contiguous: one span of rows*units (>= L, so the tail overlaps).
        VectorMath.tanhRows(1, 0, c, actC, cOff, 0, rows * units, true);
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * stride + 3 * units;
            int a = cOff + r * units;
            int hn = hOff + r * units;
            if (mask == null || mask[mOff + r]) {
                for (int j0 = 0; j0 < units; j0 += L) {
                    int j = Math.min(j0, units - L);
                    FloatVector.fromArray(S, gates, g + j).mul(FloatVector.fromArray(S, actC, a + j))
                            .intoArray(h, hn + j);
                }
            } else {
                System.arraycopy(h, hPrevOff + r * units, h, hn, units);
            }
        }
    }

    /**
     * GRU (reset_after) candidate and output for rows whose z and r are activated (stride
     * {@code 3*units}): {@code pre_h += r * recH} (in place), {@code hh = tanh(pre_h)} into the
     * gates, {@code h = z*hPrev + (1-z)*hh}, or {@code hPrev} for padded rows. {@code pre} is
     * updated in place, so a width not a multiple of L has scalar tails (no overlapping vector).
     */
    static void gruCandidate(int rows, int units, float[] pre, float[] gates, int gOff, float[] recH, int rOff,
                             float[] h, int hPrevOff, int hOff, boolean[] mask, int mOff) {
        int stride = 3 * units;
        int body = units - units % L;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * stride;
            int rh = rOff + r * units;
            int j = 0;
            for (; j < body; j += L) {
                FloatVector.fromArray(S, pre, g + 2 * units + j)
                        .add(FloatVector.fromArray(S, gates, g + units + j).mul(FloatVector.fromArray(S, recH, rh + j)))
                        .intoArray(pre, g + 2 * units + j);
            }
            for (; j < units; j++) {
                pre[g + 2 * units + j] = pre[g + 2 * units + j] + gates[g + units + j] * recH[rh + j];
            }
        }
        VectorMath.tanhRows(rows, stride, pre, gates, gOff, 2 * units, units, false);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * stride;
            int hp = hPrevOff + r * units;
            int hn = hOff + r * units;
            if (mask != null && !mask[mOff + r]) {
                System.arraycopy(h, hp, h, hn, units);
                continue;
            }
            int j = 0;
            for (; j < body; j += L) {
                FloatVector z = FloatVector.fromArray(S, gates, g + j);
                FloatVector hh = FloatVector.fromArray(S, gates, g + 2 * units + j);
                z.mul(FloatVector.fromArray(S, h, hp + j)).add(one.sub(z).mul(hh)).intoArray(h, hn + j);
            }
            for (; j < units; j++) {
                float z = gates[g + j];
                h[hn + j] = z * h[hp + j] + (1f - z) * gates[g + 2 * units + j];
            }
        }
    }
}
