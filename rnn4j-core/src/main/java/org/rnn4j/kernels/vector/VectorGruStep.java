package org.rnn4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.rnn4j.kernels.GruStep;
import org.rnn4j.kernels.ScalarGruStep;

/**
 * Vector API {@link GruStep}: the z and r activations, then the candidate and h, in
 * {@link GateLoops} over all the rows of the step ({@link VectorMath} exp/tanh); a scalar tail for
 * {@code units} not a multiple of the vector length (the forward updates {@code pre} in place, so
 * an overlapping last vector is not possible).
 * Same formulas as {@link ScalarGruStep}.
 */
public final class VectorGruStep implements GruStep {
    public static final VectorGruStep INSTANCE = new VectorGruStep();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorGruStep() {
    }

    @Override
    public void forward(int rows, int units, float[] pre, float[] gates, int gOff, float[] recH, int rOff,
                        float[] h, int hPrevOff, int hOff, boolean[] mask, int mOff) {
        // One loop per transcendental over all rows (see GateLoops for why not one pass per row);
        // z and r each get their own span so the scalar tails fall where they did per row.
        int stride = 3 * units;
        int chunk = GateLoops.chunkRows(stride);
        for (int r0 = 0; r0 < rows; r0 += chunk) {
            int n = Math.min(chunk, rows - r0);
            int g = gOff + r0 * stride;
            int so = r0 * units;
            VectorMath.sigmoidRows(n, stride, pre, gates, g, 0, units, false);
            VectorMath.sigmoidRows(n, stride, pre, gates, g, units, units, false);
            GateLoops.gruCandidate(n, units, pre, gates, g, recH, rOff + so, h, hPrevOff + so, hOff + so,
                    mask, mOff + r0);
        }
    }

    /**
     * Always: every span ends in a scalar tail (no overlapping vector), the candidate reads r from
     * the gates before tanh writes them, and tanhRows may run in place.
     */
    @Override
    public boolean activatesInPlace(int units) {
        return true;
    }

    @Override
    public void backward(int rows, int units, float[] gates, int gOff, float[] recH, int rOff, float[] h,
                         int hPrevOff, float[] dh, float[] dz, float[] dRecH, float[] dhPrev, boolean[] mask, int mOff) {
        int stride = 3 * units;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * stride;
            int rh = rOff + r * units;
            int d = r * units;
            if (mask != null && !mask[mOff + r]) {
                java.util.Arrays.fill(dz, g, g + stride, 0f);
                java.util.Arrays.fill(dRecH, rh, rh + units, 0f);
                System.arraycopy(dh, d, dhPrev, d, units);
                continue;
            }
            int hp = hPrevOff + r * units;
            int j = 0;
            for (; j + L <= units; j += L) {
                FloatVector z = FloatVector.fromArray(S, gates, g + j);
                FloatVector rr = FloatVector.fromArray(S, gates, g + units + j);
                FloatVector hh = FloatVector.fromArray(S, gates, g + 2 * units + j);
                FloatVector dhj = FloatVector.fromArray(S, dh, d + j);
                FloatVector dhh = dhj.mul(one.sub(z)).mul(one.sub(hh.mul(hh)));
                dhj.mul(FloatVector.fromArray(S, h, hp + j).sub(hh)).mul(z.mul(one.sub(z))).intoArray(dz, g + j);
                dhh.mul(FloatVector.fromArray(S, recH, rh + j)).mul(rr.mul(one.sub(rr))).intoArray(dz, g + units + j);
                dhh.intoArray(dz, g + 2 * units + j);
                dhh.mul(rr).intoArray(dRecH, rh + j);
                dhj.mul(z).intoArray(dhPrev, d + j);
            }
            for (; j < units; j++) {
                float z = gates[g + j];
                float rr = gates[g + units + j];
                float hh = gates[g + 2 * units + j];
                float dhj = dh[d + j];
                float dhh = dhj * (1f - z) * (1f - hh * hh);
                dz[g + j] = dhj * (h[hp + j] - hh) * (z * (1f - z));
                dz[g + units + j] = dhh * recH[rh + j] * (rr * (1f - rr));
                dz[g + 2 * units + j] = dhh;
                dRecH[rh + j] = dhh * rr;
                dhPrev[d + j] = dhj * z;
            }
        }
    }
}
