package org.rnn4j.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorMath#tanhRows}, in its two passes, gives bit for bit what {@link VectorMath#tanh}
 * gives each vector (Math.tanh on scalar tails): into another array, in place, and with an
 * overlapping last vector, on values around the 0.625 switch, the clamps and the special floats.
 */
class VectorMathRowsTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private static float[] inputs(int n) {
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.625f, -0.625f,
            Math.nextDown(0.625f), Math.nextUp(0.625f), -Math.nextDown(0.625f), -Math.nextUp(0.625f),
            Float.MIN_VALUE, -Float.MIN_VALUE, 9.5f, -9.5f, 45f, -45f, 100f, -100f, Float.MAX_VALUE, 0.5546f, 1e-20f};
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i < special.length ? special[i] : -12f + 24f * (float) Math.sin(i * 0.731) * (i % 3 == 0 ? 0.05f : 1f);
        }
        return x;
    }

    /** Per row of {@code width} at column {@code col}: VectorMath.tanh on each vector the rows loop would take. */
    private static float[] expected(float[] x, int rows, int stride, int col, int width, boolean overlapTail) {
        float[] y = x.clone();
        int body = overlapTail && width >= L ? width : width - width % L;
        float[] lane = new float[L];
        for (int r = 0; r < rows; r++) {
            int o = r * stride + col;
            for (int j0 = 0; j0 < body; j0 += L) {
                int j = Math.min(j0, body - L);
                VectorMath.tanh(FloatVector.fromArray(S, x, o + j)).intoArray(lane, 0);
                System.arraycopy(lane, 0, y, o + j, L);
            }
            for (int j = body; j < width; j++) {
                y[o + j] = (float) Math.tanh(x[o + j]);
            }
        }
        return y;
    }

    private static void assertSameBits(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), what + " at " + i);
        }
    }

    @Test
    void bothPassesGiveTheBitsOfVectorTanh() {
        int rows = 5;
        for (int width : new int[] {L, 3 * L, 3 * L + 3, L - 1, 1}) {
            int col = 2;
            int stride = width + 7;
            float[] x = inputs(rows * stride + col);
            for (boolean overlap : new boolean[] {false, true}) {
                float[] want = expected(x, rows, stride, col, width, overlap);
                float[] out = x.clone();
                VectorMath.tanhRows(rows, stride, x, out, 0, col, width, overlap);
                assertSameBits(want, out, "apart, width " + width + " overlap " + overlap);
                boolean overlaps = overlap && width >= L && width % L != 0;
                if (!overlaps) {
                    float[] inPlace = x.clone();
                    VectorMath.tanhRows(rows, stride, inPlace, inPlace, 0, col, width, overlap);
                    assertSameBits(want, inPlace, "in place, width " + width + " overlap " + overlap);
                }
            }
        }
    }
}
