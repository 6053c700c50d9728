package org.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.util.Rng;

/**
 * The direct small-window convolution (vector and scalar bodies) and the argmax-free max pooling
 * against the references: {@link ConvReference} and the argmax-recording pooling.
 */
class ConvDirectTest {
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

    // batch, inH, inW, C, kH, kW, sH, sW, dH, dW, filters; filter counts around the vector width
    private static final int[][] CONV_CASES = {
        {3, 12, 9, 1, 2, 2, 1, 1, 1, 1, 64},
        {2, 7, 5, 2, 3, 2, 1, 1, 1, 1, 17},
        {2, 6, 9, 3, 2, 2, 2, 3, 1, 1, 5},
        {2, 8, 7, 2, 2, 2, 1, 1, 2, 3, 33},
        {1, 1, 11, 3, 1, 4, 1, 2, 1, 1, 16},
        {1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 1},
        {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 7},
    };

    @Test
    void directConvolutionMatchesReference() {
        Rng rng = new Rng(7);
        int checked = 0;
        for (int[] c : CONV_CASES) {
            for (String padding : new String[] {"valid", "same"}) {
                ConvGeometry g = ConvGeometry.of(c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], padding);
                if (g.outH < 1 || g.outW < 1) {
                    continue;
                }
                assertTrue(ConvDirect.suits(g));
                int batch = c[0];
                int filters = c[10];
                String what = padding + " case " + java.util.Arrays.toString(c);
                float[] x = rand(rng, batch * g.inputSize());
                float[] k = rand(rng, g.patchSize() * filters);
                float[] bias = rand(rng, filters);
                int outLen = batch * g.outputPositions() * filters;
                float[] ref = new float[outLen];
                ConvReference.forward(x, batch, g, k, bias, filters, ref);
                float[] fast = new float[outLen];
                ConvDirect.forward(x, batch, g, k, bias, filters, fast, null);
                assertTrue(maxDiff(fast, ref) < 1e-4f, "forward " + what);
                float[] scalar = new float[outLen];
                for (int b = 0; b < batch; b++) {
                    ConvDirect.forwardSampleScalar(x, b, g, k, null, filters, scalar);
                }
                float[] refNoBias = new float[outLen];
                ConvReference.forward(x, batch, g, k, null, filters, refNoBias);
                assertTrue(maxDiff(scalar, refNoBias) < 1e-4f, "scalar forward without bias " + what);

                float[] dz = rand(rng, outLen);
                float[] dkRef = new float[k.length];
                float[] dbRef = new float[filters];
                float[] dxRef = new float[x.length];
                ConvReference.backward(x, batch, g, k, filters, dz, dkRef, dbRef, dxRef);
                float[] dk = new float[k.length];
                float[] db = new float[filters];
                float[] dx = rand(rng, x.length); // must be overwritten, not added to
                ConvDirect.backward(x, batch, g, k, filters, dz, dk, db, dx);
                assertTrue(maxDiff(dk, dkRef) < 1e-3f, "dKernel " + what);
                assertTrue(maxDiff(db, dbRef) < 1e-4f, "dBias " + what);
                assertTrue(maxDiff(dx, dxRef) < 1e-4f, "dx " + what);
                float[] dkOnly = new float[k.length];
                ConvDirect.backward(x, batch, g, k, filters, dz, dkOnly, null, null);
                assertTrue(maxDiff(dkOnly, dkRef) < 1e-3f, "dKernel without dx " + what);
                float[] dkS = new float[k.length];
                float[] dbS = new float[filters];
                float[] dxS = new float[x.length];
                for (int b = 0; b < batch; b++) {
                    ConvDirect.backwardSampleScalar(x, b, g, k, filters, dz, dkS, dbS, dxS);
                }
                assertTrue(maxDiff(dkS, dkRef) < 1e-3f, "scalar dKernel " + what);
                assertTrue(maxDiff(dbS, dbRef) < 1e-4f, "scalar dBias " + what);
                assertTrue(maxDiff(dxS, dxRef) < 1e-4f, "scalar dx " + what);
                // relu fused into backward: y as a relu output (about half zeros), dy its gradient.
                float[] reluY = rand(rng, outLen);
                float[] dzRelu = new float[outLen];
                for (int i = 0; i < outLen; i++) {
                    reluY[i] = Math.max(reluY[i], 0f);
                    dzRelu[i] = reluY[i] > 0f ? dz[i] : 0f;
                }
                float[] dkR = new float[k.length];
                float[] dbR = new float[filters];
                float[] dxR = new float[x.length];
                ConvReference.backward(x, batch, g, k, filters, dzRelu, dkR, dbR, dxR);
                for (boolean vector : new boolean[] {ConvDirect.VECTOR, false}) {
                    float[] dkF = new float[k.length];
                    float[] dbF = new float[filters];
                    float[] dxF = new float[x.length];
                    ConvDirect.backward(x, batch, g, k, filters, dz, reluY, dkF, dbF, dxF, vector);
                    String v = (vector ? "vector" : "scalar") + " relu-fused ";
                    assertTrue(maxDiff(dkF, dkR) < 1e-3f, v + "dKernel " + what);
                    assertTrue(maxDiff(dbF, dbR) < 1e-4f, v + "dBias " + what);
                    assertTrue(maxDiff(dxF, dxR) < 1e-4f, v + "dx " + what);
                }
                checked++;
            }
        }
        assertEquals(14, checked);
    }

    @Test
    void maxPoolingWithoutArgmaxMatchesArgmaxVersion() {
        Rng rng = new Rng(11);
        // inH, inW, C, pool, stride; channel counts around the vector width
        int[][] cases = {{11, 8, 64, 2, 2}, {5, 7, 17, 2, 2}, {6, 6, 3, 3, 2}, {4, 5, 1, 2, 1}, {9, 9, 33, 3, 3}};
        for (int[] c : cases) {
            for (String padding : new String[] {"valid", "same"}) {
                ConvGeometry g = ConvGeometry.of(c[0], c[1], c[2], c[3], c[3], c[4], c[4], 1, 1, padding);
                int batch = 3;
                String what = padding + " case " + java.util.Arrays.toString(c);
                float[] x = rand(rng, batch * g.inputSize());
                for (int i = 0; i < x.length; i++) {
                    x[i] = Math.round(x[i] * 2f) / 2f; // coarse values: many ties, first one must win
                }
                int outLen = batch * g.outputPositions() * g.channels;
                float[] yRef = new float[outLen];
                int[] arg = new int[outLen];
                ConvPooling.maxForward(x, batch, g, yRef, arg);
                float[] y = new float[outLen];
                ConvPooling.maxForward(x, batch, g, y, null);
                assertArrayEquals(yRef, y, 0f, "forward " + what);
                float[] yS = new float[outLen];
                for (int b = 0; b < batch; b++) {
                    ConvPooling.maxForwardScalar(x, b, g, yS);
                }
                assertArrayEquals(yRef, yS, 0f, "scalar forward " + what);

                float[] dy = rand(rng, outLen);
                float[] dxRef = new float[x.length];
                ConvPooling.maxBackward(dy, arg, dxRef);
                float[] dx = new float[x.length];
                ConvPooling.maxBackward(x, y, dy, batch, g, dx);
                assertArrayEquals(dxRef, dx, 0f, "backward " + what);
                float[] dxS = new float[x.length];
                for (int b = 0; b < batch; b++) {
                    for (int oh = 0; oh < g.outH; oh++) {
                        for (int ow = 0; ow < g.outW; ow++) {
                            ConvPooling.maxBackwardChannels(x, y, dy, b, oh, ow, 0, g.channels, g, dxS);
                        }
                    }
                }
                assertArrayEquals(dxRef, dxS, 0f, "scalar backward " + what);
            }
        }
    }
}
