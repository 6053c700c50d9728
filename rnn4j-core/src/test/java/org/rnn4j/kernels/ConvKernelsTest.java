package org.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.util.Rng;

/** im2col + matmul against the direct loops, forward and backward, on odd sizes and paddings. */
class ConvKernelsTest {
    private static float[] rand(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.normal();
        }
        return a;
    }

    private static float maxDiff(float[] a, float[] b) {
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void im2colMatchesDirectConvolution() {
        Rng rng = new Rng(42);
        int[][] cases = {
            // batch, inH, inW, C, kH, kW, sH, sW, dH, dW, filters
            {3, 7, 5, 2, 3, 2, 1, 1, 1, 1, 4},
            {2, 6, 9, 3, 2, 3, 2, 3, 1, 1, 5},
            {1, 5, 5, 1, 4, 4, 2, 2, 1, 1, 3},
            {2, 8, 7, 2, 3, 2, 1, 1, 2, 3, 2},
            {4, 1, 11, 3, 1, 4, 1, 2, 1, 1, 7},
            {2, 4, 4, 5, 1, 1, 1, 1, 1, 1, 3},
            {1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 1},
        };
        int checked = 0;
        for (int[] c : cases) {
            for (String padding : new String[] {"valid", "same"}) {
                ConvGeometry g = ConvGeometry.of(c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], padding);
                if (g.outH < 1 || g.outW < 1) {
                    continue;
                }
                int batch = c[0];
                int filters = c[10];
                float[] x = rand(rng, batch * g.inputSize());
                float[] k = rand(rng, g.patchSize() * filters);
                float[] bias = rand(rng, filters);
                int outLen = batch * g.outputPositions() * filters;
                float[] fast = new float[outLen];
                float[] ref = new float[outLen];
                ConvKernels.forward(x, batch, g, k, bias, filters, fast);
                ConvReference.forward(x, batch, g, k, bias, filters, ref);
                assertTrue(maxDiff(fast, ref) < 1e-4f, "forward " + padding + " case " + java.util.Arrays.toString(c));

                float[] dz = rand(rng, outLen);
                float[] dkFast = new float[k.length];
                float[] dkRef = new float[k.length];
                float[] dbFast = new float[filters];
                float[] dbRef = new float[filters];
                float[] dxFast = new float[x.length];
                float[] dxRef = new float[x.length];
                ConvKernels.backward(x, batch, g, k, filters, dz, dkFast, dbFast, dxFast);
                ConvReference.backward(x, batch, g, k, filters, dz, dkRef, dbRef, dxRef);
                String what = padding + " case " + java.util.Arrays.toString(c);
                assertTrue(maxDiff(dkFast, dkRef) < 1e-3f, "dKernel " + what);
                assertTrue(maxDiff(dbFast, dbRef) < 1e-4f, "dBias " + what);
                assertTrue(maxDiff(dxFast, dxRef) < 1e-4f, "dx " + what);
                checked++;
            }
        }
        assertEquals(14, checked);
    }

    @Test
    void samePaddingSplitsLikeKeras() {
        // Keras/TF: total = (out-1)*s + k - in, the smaller half first.
        ConvGeometry g = ConvGeometry.of(1, 6, 1, 1, 4, 1, 2, 1, 1, "same");
        assertEquals(3, g.outW);
        assertEquals(1, g.padLeft); // total = 2*2 + 4 - 6 = 2
        ConvGeometry h = ConvGeometry.of(7, 1, 1, 3, 1, 2, 1, 1, 1, "same");
        assertEquals(4, h.outH);
        assertEquals(1, h.padTop); // total = 3*2 + 3 - 7 = 2
        ConvGeometry odd = ConvGeometry.of(1, 5, 1, 1, 4, 1, 1, 1, 1, "same");
        assertEquals(1, odd.padLeft); // total 3: 1 before, 2 after
        assertEquals(2, ConvGeometry.padBefore(8, 3, 1, 1, "causal"));
        assertEquals(4, ConvGeometry.padBefore(8, 3, 1, 2, "causal"));
    }

    @Test
    void maxPoolingIgnoresPaddingAndRoutesToArgmax() {
        // 1 x 3 input, pool 2 stride 2 same: windows {0,1} and {2, pad}.
        ConvGeometry g = ConvGeometry.of(1, 3, 1, 1, 2, 1, 2, 1, 1, "same");
        float[] x = {-5f, -7f, -3f};
        float[] y = new float[2];
        int[] arg = new int[2];
        ConvPooling.maxForward(x, 1, g, y, arg);
        assertEquals(-5f, y[0]);
        assertEquals(-3f, y[1]); // the zero padding must not win
        float[] dx = new float[3];
        ConvPooling.maxBackward(new float[] {10f, 20f}, arg, dx);
        assertEquals(10f, dx[0]);
        assertEquals(0f, dx[1]);
        assertEquals(20f, dx[2]);
    }
}
