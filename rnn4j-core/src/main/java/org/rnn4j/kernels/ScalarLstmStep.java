package org.rnn4j.kernels;

import org.rnn4j.activations.Activations;

/**
 * Scalar reference of {@link LstmStep}: the same formulas, in the same order, as the unfused
 * {@link RecurrentCells} path with the scalar sigmoid/tanh, so its results are bit-identical.
 */
public final class ScalarLstmStep implements LstmStep {
    public static final ScalarLstmStep INSTANCE = new ScalarLstmStep();

    private ScalarLstmStep() {
    }

    @Override
    public void forward(int rows, int units, float[] pre, float[] gates, int gOff,
                        float[] c, int cPrevOff, int cOff, float[] actC,
                        float[] h, int hPrevOff, int hOff, boolean[] mask, int mOff) {
        int stride = 4 * units;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * stride;
            int cp = cPrevOff + r * units;
            int cn = cOff + r * units;
            int hn = hOff + r * units;
            boolean isReal = mask == null || mask[mOff + r];
            for (int j = 0; j < units; j++) {
                float i = Activations.sigmoid(pre[g + j]);
                float f = Activations.sigmoid(pre[g + units + j]);
                float gg = (float) Math.tanh(pre[g + 2 * units + j]);
                float o = Activations.sigmoid(pre[g + 3 * units + j]);
                gates[g + j] = i;
                gates[g + units + j] = f;
                gates[g + 2 * units + j] = gg;
                gates[g + 3 * units + j] = o;
                float cv = isReal ? f * c[cp + j] + i * gg : c[cp + j];
                float a = (float) Math.tanh(cv);
                c[cn + j] = cv;
                actC[cn + j] = a;
                h[hn + j] = isReal ? o * a : h[hPrevOff + r * units + j];
            }
        }
    }

    /** Each column's four pre-activations are read before its four gates are written. */
    @Override
    public boolean activatesInPlace(int units) {
        return true;
    }

    @Override
    public void backward(int rows, int units, float[] gates, int gOff, float[] c, int cPrevOff, int cOff,
                         float[] actC, float[] dh, float[] dc, float[] dz, float[] dhPrev, boolean[] mask, int mOff) {
        int stride = 4 * units;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * stride;
            int d = r * units;
            if (mask != null && !mask[mOff + r]) {
                java.util.Arrays.fill(dz, g, g + stride, 0f);
                System.arraycopy(dh, d, dhPrev, d, units);
                continue;
            }
            int cp = cPrevOff + r * units;
            int a = cOff + r * units;
            for (int j = 0; j < units; j++) {
                float i = gates[g + j];
                float f = gates[g + units + j];
                float gg = gates[g + 2 * units + j];
                float o = gates[g + 3 * units + j];
                float ac = actC[a + j];
                float dhj = dh[d + j];
                float dA = dhj * o * (1f - ac * ac);
                float dcT = dc[d + j] + dA;
                dz[g + j] = dcT * gg * (i * (1f - i));
                dz[g + units + j] = dcT * c[cp + j] * (f * (1f - f));
                dz[g + 2 * units + j] = dcT * i * (1f - gg * gg);
                dz[g + 3 * units + j] = dhj * ac * (o * (1f - o));
                dc[d + j] = dcT * f;
                dhPrev[d + j] = 0f;
            }
        }
    }
}
