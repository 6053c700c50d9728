package org.rnn4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.rnn4j.kernels.LstmStep;
import org.rnn4j.kernels.RecurrentCells;
import org.rnn4j.kernels.ScalarLstmStep;

/**
 * Vector API {@link LstmStep}: the gate activations ({@link VectorMath} exp/tanh) and then the
 * carry, tanh(c) and h, in {@link GateLoops} over all the rows of the step. A row whose
 * {@code units} is not a multiple of the vector length finishes each span with one more full
 * vector ending at the span's end (overlapping; the forward is idempotent per element), so no
 * scalar transcendental runs when {@code units >= } the vector length; below that the unfused
 * path (vector activations over whole blocks) is faster and is used instead. The backward has no
 * transcendentals: vector body, scalar tail, same formulas as {@link ScalarLstmStep}.
 * {@code pre} and {@code gates} may be one array only when {@code units} is a multiple of the
 * vector length (the overlapping tail re-reads {@code pre}).
 */
public final class VectorLstmStep implements LstmStep {
    public static final VectorLstmStep INSTANCE = new VectorLstmStep();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorLstmStep() {
    }

    @Override
    public void forward(int rows, int units, float[] pre, float[] gates, int gOff,
                        float[] c, int cPrevOff, int cOff, float[] actC,
                        float[] h, int hPrevOff, int hOff, boolean[] mask, int mOff) {
        if (units < L) {
            unfused(rows, units, pre, gates, gOff, c, cPrevOff, cOff, actC, h, hPrevOff, hOff, mask, mOff);
            return;
        }
        // One loop per transcendental over all rows (see GateLoops for why not one pass per row).
        // In chunks of rows whose pre + gates fit L1 (W3's 128 x 2048 gates per step are 1 MB each).
        int stride = 4 * units;
        int chunk = GateLoops.chunkRows(stride);
        for (int r0 = 0; r0 < rows; r0 += chunk) {
            int n = Math.min(chunk, rows - r0);
            int g = gOff + r0 * stride;
            int so = r0 * units;
            VectorMath.sigmoidRows(n, stride, pre, gates, g, 0, 2 * units, true);
            VectorMath.tanhRows(n, stride, pre, gates, g, 2 * units, units, true);
            VectorMath.sigmoidRows(n, stride, pre, gates, g, 3 * units, units, true);
            GateLoops.lstmCarry(n, units, gates, g, c, cPrevOff + so, cOff + so, actC, h, hPrevOff + so, hOff + so,
                    mask, mOff + r0);
        }
    }

    @Override
    public boolean activatesInPlace(int units) {
        return units >= L && units % L == 0;
    }

    /** units < L: the layer's former staged path (activations vectorized across whole rows/blocks). */
    private static void unfused(int rows, int units, float[] pre, float[] gates, int gOff,
                                float[] c, int cPrevOff, int cOff, float[] actC,
                                float[] h, int hPrevOff, int hOff, boolean[] mask, int mOff) {
        int stride = 4 * units;
        RecurrentCells.activate(VectorActivations.SIGMOID, rows, stride, pre, gates, gOff, 0, 2 * units);
        RecurrentCells.activate(VectorActivations.TANH, rows, stride, pre, gates, gOff, 2 * units, units);
        RecurrentCells.activate(VectorActivations.SIGMOID, rows, stride, pre, gates, gOff, 3 * units, units);
        RecurrentCells.lstmCarry(rows, units, gates, gOff, c, cPrevOff, cOff, mask, mOff);
        // Per row, not one span of rows*units: the scalar tail must fall at the same columns for
        // any number of rows (a row's result must not depend on its batch).
        RecurrentCells.activate(VectorActivations.TANH, rows, units, c, actC, cOff, 0, units);
        RecurrentCells.lstmOutput(rows, units, gates, gOff, actC, cOff, h, hPrevOff, hOff, mask, mOff);
    }

    @Override
    public void backward(int rows, int units, float[] gates, int gOff, float[] c, int cPrevOff, int cOff,
                         float[] actC, float[] dh, float[] dc, float[] dz, float[] dhPrev, boolean[] mask, int mOff) {
        int stride = 4 * units;
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
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
            int j = 0;
            for (; j + L <= units; j += L) {
                FloatVector i = FloatVector.fromArray(S, gates, g + j);
                FloatVector f = FloatVector.fromArray(S, gates, g + units + j);
                FloatVector gg = FloatVector.fromArray(S, gates, g + 2 * units + j);
                FloatVector o = FloatVector.fromArray(S, gates, g + 3 * units + j);
                FloatVector ac = FloatVector.fromArray(S, actC, a + j);
                FloatVector dhj = FloatVector.fromArray(S, dh, d + j);
                FloatVector dA = dhj.mul(o).mul(one.sub(ac.mul(ac)));
                FloatVector dcT = FloatVector.fromArray(S, dc, d + j).add(dA);
                dcT.mul(gg).mul(i.mul(one.sub(i))).intoArray(dz, g + j);
                dcT.mul(FloatVector.fromArray(S, c, cp + j)).mul(f.mul(one.sub(f))).intoArray(dz, g + units + j);
                dcT.mul(i).mul(one.sub(gg.mul(gg))).intoArray(dz, g + 2 * units + j);
                dhj.mul(ac).mul(o.mul(one.sub(o))).intoArray(dz, g + 3 * units + j);
                dcT.mul(f).intoArray(dc, d + j);
                zero.intoArray(dhPrev, d + j);
            }
            for (; j < units; j++) {
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
