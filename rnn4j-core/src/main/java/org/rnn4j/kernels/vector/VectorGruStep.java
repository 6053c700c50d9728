package org.rnn4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.rnn4j.activations.Activations;
import org.rnn4j.kernels.GruStep;
import org.rnn4j.kernels.ScalarGruStep;

/**
 * Vector API {@link GruStep}: per batch row, one pass over the units (JDK vector exp/tanh, as
 * {@link VectorActivations}); a scalar tail for {@code units} not a multiple of the vector length
 * (the forward updates {@code pre} in place, so an overlapping last vector is not possible).
 * Same formulas as {@link ScalarGruStep}.
 */
public final class VectorGruStep implements GruStep {
    public static final VectorGruStep INSTANCE = new VectorGruStep();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorGruStep() {
    }

    private static FloatVector sigmoid(FloatVector v, FloatVector one) {
        // exp(-|x|) never overflows; sigmoid = 1/(1+e) for x >= 0, e/(1+e) below.
        FloatVector e = VectorMath.exp(v.abs().neg());
        return one.blend(e, v.compare(VectorOperators.LT, 0f)).div(one.add(e));
    }

    @Override
    public void forward(int rows, int units, float[] pre, float[] gates, int gOff, float[] recH, int rOff,
                        float[] h, int hPrevOff, int hOff, boolean[] mask, int mOff) {
        int stride = 3 * units;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * stride;
            int rh = rOff + r * units;
            int hp = hPrevOff + r * units;
            int hn = hOff + r * units;
            boolean isReal = mask == null || mask[mOff + r];
            int j = vectorBody(units, pre, gates, g, recH, rh, h, hp, hn, isReal);
            for (; j < units; j++) {
                float z = Activations.sigmoid(pre[g + j]);
                float rr = Activations.sigmoid(pre[g + units + j]);
                float ph = pre[g + 2 * units + j] + rr * recH[rh + j];
                float hh = (float) Math.tanh(ph);
                pre[g + 2 * units + j] = ph;
                gates[g + j] = z;
                gates[g + units + j] = rr;
                gates[g + 2 * units + j] = hh;
                h[hn + j] = isReal ? z * h[hp + j] + (1f - z) * hh : h[hp + j];
            }
        }
    }

    /** The whole vectors of one row; returns where the scalar tail starts. Vectors made here, not passed in (no boxing). */
    private static int vectorBody(int units, float[] pre, float[] gates, int g, float[] recH, int rh,
                                  float[] h, int hp, int hn, boolean isReal) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int j = 0;
        for (; j + L <= units; j += L) {
            FloatVector z = sigmoid(FloatVector.fromArray(S, pre, g + j), one);
            FloatVector rr = sigmoid(FloatVector.fromArray(S, pre, g + units + j), one);
            FloatVector ph = FloatVector.fromArray(S, pre, g + 2 * units + j)
                    .add(rr.mul(FloatVector.fromArray(S, recH, rh + j)));
            FloatVector hh = VectorMath.tanh(ph);
            ph.intoArray(pre, g + 2 * units + j);
            z.intoArray(gates, g + j);
            rr.intoArray(gates, g + units + j);
            hh.intoArray(gates, g + 2 * units + j);
            FloatVector hPrev = FloatVector.fromArray(S, h, hp + j);
            if (isReal) {
                z.mul(hPrev).add(one.sub(z).mul(hh)).intoArray(h, hn + j);
            } else {
                hPrev.intoArray(h, hn + j);
            }
        }
        return j;
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
