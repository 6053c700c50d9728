package org.rnn4j.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorMath#exp} equals, bit for bit, a scalar transcription of its formula that takes the
 * exponent with a plain {@code (int)} conversion: the integer lane trick that replaced
 * {@code convert(F2I)} must not change one result, over the whole clamped range and past it.
 */
class VectorMathExpTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Test
    void expEqualsTheScalarFormulaOnEveryTestedFloat() {
        int n = 1 << 21;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -100f + 200f * i / n; // spans both clamps (-87.34, 88.38) and every exponent between
        }
        x[0] = Float.NEGATIVE_INFINITY;
        x[1] = Float.POSITIVE_INFINITY;
        x[2] = -0f;
        x[3] = Float.MIN_VALUE;
        x[4] = 88.37626f;
        x[5] = -87.33654f;
        float[] y = new float[n];
        for (int i = 0; i < n; i += S.length()) {
            VectorMath.exp(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(reference(x[i])), Float.floatToRawIntBits(y[i]), "exp(" + x[i] + ")");
        }
    }

    /** The Cephes expf steps of VectorMath, one lane at a time. */
    private static float reference(float x) {
        float v = Math.min(Math.max(x, -87.33654f), 88.37626f);
        float n = Math.fma(v, 1.44269504088896341f, 12582912f) - 12582912f;
        float r = Math.fma(n, -0.693359375f, v);
        r = Math.fma(n, 2.12194440e-4f, r);
        float p = Math.fma(r, 1.9875691500e-4f, 1.3981999507e-3f);
        p = Math.fma(p, r, 8.3334519073e-3f);
        p = Math.fma(p, r, 4.1665795894e-2f);
        p = Math.fma(p, r, 1.6666665459e-1f);
        p = Math.fma(p, r, 5.0000001201e-1f);
        float e = Math.fma(p, r * r, r + 1f);
        float scale = Float.intBitsToFloat(((int) n + 127) << 23);
        return e * scale;
    }
}
