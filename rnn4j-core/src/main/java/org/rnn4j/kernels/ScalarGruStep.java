package org.rnn4j.kernels;

import org.rnn4j.activations.Activations;

/**
 * Scalar reference of {@link GruStep}: the formulas, in the same order, of the unfused
 * {@link RecurrentCells} path with the scalar sigmoid/tanh (equal results, up to the sign of zeros).
 */
public final class ScalarGruStep implements GruStep {
    public static final ScalarGruStep INSTANCE = new ScalarGruStep();

    private ScalarGruStep() {
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
            for (int j = 0; j < units; j++) {
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

    /** Each column's three pre-activations are read before its gates are written. */
    @Override
    public boolean activatesInPlace(int units) {
        return true;
    }

    @Override
    public void backward(int rows, int units, float[] gates, int gOff, float[] recH, int rOff, float[] h,
                         int hPrevOff, float[] dh, float[] dz, float[] dRecH, float[] dhPrev, boolean[] mask, int mOff) {
        int stride = 3 * units;
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
            for (int j = 0; j < units; j++) {
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
