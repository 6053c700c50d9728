package org.rnn4j.kernels;

import java.util.Arrays;
import org.rnn4j.activations.Activation;

/**
 * Direct channels_last convolution for small windows (e.g. a 2x2 kernel over one channel), where
 * im2col + gemm spends its time copying and the gemm has only a few columns of depth. Each output
 * row of {@code filters} values is updated once per window element with a loop over the filters
 * that the JIT vectorises. Same contracts as {@link ConvKernels}; tested against
 * {@link ConvReference}.
 */
public final class ConvDirect {
    /** Windows up to this many values (kh * kw * channels) go direct; larger ones gain from gemm. */
    public static final int MAX_PATCH = 16;

    /** Vector API bodies in use: the module is there and scalar kernels were not asked for. */
    static final boolean VECTOR = vectorAvailable();

    private ConvDirect() {
    }

    private static boolean vectorAvailable() {
        if (!Kernels.matmul().name().startsWith("vector")) {
            return false;
        }
        try {
            return ConvVector.probe();
        } catch (LinkageError e) {
            return false;
        }
    }

    /** True when the direct loops beat im2col + gemm for this geometry. */
    public static boolean suits(ConvGeometry g) {
        return g.patchSize() <= MAX_PATCH;
    }

    /**
     * {@link ConvKernels#forward}, then {@code activation} (may be null) applied in place to each
     * sample's outputs while they are still in cache.
     */
    public static void forward(float[] x, int batch, ConvGeometry g, float[] kernel, float[] bias, int filters,
                               float[] out, Activation activation) {
        int pos = g.outputPositions();
        for (int b = 0; b < batch; b++) {
            if (VECTOR) {
                ConvVector.forwardSample(x, b, g, kernel, bias, filters, out);
            } else {
                forwardSampleScalar(x, b, g, kernel, bias, filters, out);
            }
            if (activation != null) {
                activation.forward(out, out, b * pos * filters, pos, filters);
            }
        }
    }

    static void forwardSampleScalar(float[] x, int b, ConvGeometry g, float[] kernel, float[] bias, int filters,
                                    float[] out) {
        int c = g.channels;
        int pos = g.outputPositions();
        {
            int xb = b * g.inputSize();
            int ob = b * pos * filters;
            for (int oh = 0; oh < g.outH; oh++) {
                for (int ow = 0; ow < g.outW; ow++) {
                    int o = ob + (oh * g.outW + ow) * filters;
                    if (bias != null) {
                        System.arraycopy(bias, 0, out, o, filters);
                    } else {
                        Arrays.fill(out, o, o + filters, 0f);
                    }
                    for (int i = 0; i < g.kH; i++) {
                        int ih = oh * g.strideH - g.padTop + i * g.dilationH;
                        if (ih < 0 || ih >= g.inH) {
                            continue;
                        }
                        for (int j = 0; j < g.kW; j++) {
                            int iw = ow * g.strideW - g.padLeft + j * g.dilationW;
                            if (iw < 0 || iw >= g.inW) {
                                continue;
                            }
                            int xi = xb + (ih * g.inW + iw) * c;
                            int kb = (i * g.kW + j) * c * filters;
                            for (int ch = 0; ch < c; ch++) {
                                axpy(x[xi + ch], kernel, kb + ch * filters, out, o, filters);
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code y[yo..yo+n) += a * v[vo..vo+n)}: the loop the JIT turns into vector FMAs. */
    private static void axpy(float a, float[] v, int vo, float[] y, int yo, int n) {
        for (int f = 0; f < n; f++) {
            y[yo + f] += a * v[vo + f];
        }
    }

    /** {@link ConvKernels#backward} with the same contract; {@code dx} may be null (not wanted). */
    public static void backward(float[] x, int batch, ConvGeometry g, float[] kernel, int filters, float[] dz,
                                float[] dKernel, float[] dBias, float[] dx) {
        if (dx != null) {
            Arrays.fill(dx, 0, batch * g.inputSize(), 0f);
        }
        for (int b = 0; b < batch; b++) {
            if (VECTOR) {
                ConvVector.backwardSample(x, b, g, kernel, filters, dz, dKernel, dBias, dx);
            } else {
                backwardSampleScalar(x, b, g, kernel, filters, dz, dKernel, dBias, dx);
            }
        }
    }

    static void backwardSampleScalar(float[] x, int b, ConvGeometry g, float[] kernel, int filters, float[] dz,
                                     float[] dKernel, float[] dBias, float[] dx) {
        int c = g.channels;
        int pos = g.outputPositions();
        {
            int xb = b * g.inputSize();
            int ob = b * pos * filters;
            for (int oh = 0; oh < g.outH; oh++) {
                for (int ow = 0; ow < g.outW; ow++) {
                    int o = ob + (oh * g.outW + ow) * filters;
                    if (dBias != null) {
                        axpy(1f, dz, o, dBias, 0, filters);
                    }
                    for (int i = 0; i < g.kH; i++) {
                        int ih = oh * g.strideH - g.padTop + i * g.dilationH;
                        if (ih < 0 || ih >= g.inH) {
                            continue;
                        }
                        for (int j = 0; j < g.kW; j++) {
                            int iw = ow * g.strideW - g.padLeft + j * g.dilationW;
                            if (iw < 0 || iw >= g.inW) {
                                continue;
                            }
                            int xi = xb + (ih * g.inW + iw) * c;
                            int kb = (i * g.kW + j) * c * filters;
                            for (int ch = 0; ch < c; ch++) {
                                int k0 = kb + ch * filters;
                                axpy(x[xi + ch], dz, o, dKernel, k0, filters);
                                if (dx != null) {
                                    dx[xi + ch] += dot(kernel, k0, dz, o, filters);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static float dot(float[] a, int ao, float[] b, int bo, int n) {
        // Four partial sums: shorter dependency chains than one running sum.
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int f = 0;
        for (; f + 4 <= n; f += 4) {
            s0 += a[ao + f] * b[bo + f];
            s1 += a[ao + f + 1] * b[bo + f + 1];
            s2 += a[ao + f + 2] * b[bo + f + 2];
            s3 += a[ao + f + 3] * b[bo + f + 3];
        }
        for (; f < n; f++) {
            s0 += a[ao + f] * b[bo + f];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
