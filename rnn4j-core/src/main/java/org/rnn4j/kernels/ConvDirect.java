package org.rnn4j.kernels;

import java.util.Arrays;
import org.rnn4j.activations.Activation;

/**
 * Direct channels_last convolution for small windows (e.g. a 2x2 kernel over one channel), where
 * im2col + gemm spends its time copying and the gemm has only a few columns of depth. Each output
 * row of {@code filters} values is updated once per window element, vectorised over the filters
 * ({@link ConvVector} when the Vector API is there, else scalar loops). Same contracts as
 * {@link ConvKernels}; tested against {@link ConvReference}.
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

    /** {@code y[yo..yo+n) += a * v[vo..vo+n)}: the loop the JIT turns into vector FMAs. */
    private static void axpy(float a, float[] v, int vo, float[] y, int yo, int n) {
        for (int f = 0; f < n; f++) {
            y[yo + f] += a * v[vo + f];
        }
    }

    /** {@link ConvKernels#backward} with the same contract; {@code dx} may be null (not wanted). */
    public static void backward(float[] x, int batch, ConvGeometry g, float[] kernel, int filters, float[] dz,
                                float[] dKernel, float[] dBias, float[] dx) {
        backward(x, batch, g, kernel, filters, dz, null, dKernel, dBias, dx);
    }

    /**
     * As {@link #backward(float[], int, ConvGeometry, float[], int, float[], float[], float[], float[])}
     * but, when {@code reluY} (the forward's relu output) is given, {@code dy} is the gradient of that
     * output and relu's backward ({@code y > 0 ? dy : 0}) is applied on the fly, one output row at a
     * time, instead of in a separate pass over the whole batch.
     */
    public static void backward(float[] x, int batch, ConvGeometry g, float[] kernel, int filters, float[] dy,
                                float[] reluY, float[] dKernel, float[] dBias, float[] dx) {
        backward(x, batch, g, kernel, filters, dy, reluY, dKernel, dBias, dx, VECTOR);
    }

    /** {@code vector}: use the Vector API bodies (tests run both). */
    static void backward(float[] x, int batch, ConvGeometry g, float[] kernel, int filters, float[] dy,
                         float[] reluY, float[] dKernel, float[] dBias, float[] dx, boolean vector) {
        if (dx != null) {
            Arrays.fill(dx, 0, batch * g.inputSize(), 0f);
        }
        float[] row = reluY == null ? null : new float[filters];
        int rowLen = g.outputPositions() * filters;
        float[] sampleDz = reluY != null && !vector ? new float[rowLen] : null;
        for (int b = 0; b < batch; b++) {
            if (vector) {
                ConvVector.backwardSample(x, b, g, kernel, filters, dy, reluY, row, dKernel, dBias, dx);
            } else if (reluY == null) {
                backwardSampleScalar(x, b, g, kernel, filters, dy, dKernel, dBias, dx);
            } else {
                // Scalar path: relu's backward for one sample into a sample-sized buffer at offset b's rows.
                int off = b * rowLen;
                for (int i = 0; i < rowLen; i++) {
                    sampleDz[i] = reluY[off + i] > 0f ? dy[off + i] : 0f;
                }
                backwardSampleScalar(x, b, g, kernel, filters, sampleDz, -off, dKernel, dBias, dx);
            }
        }
    }

    static void backwardSampleScalar(float[] x, int b, ConvGeometry g, float[] kernel, int filters, float[] dz,
                                     float[] dKernel, float[] dBias, float[] dx) {
        backwardSampleScalar(x, b, g, kernel, filters, dz, 0, dKernel, dBias, dx);
    }

    /** {@code dzShift} is added to every index into {@code dz} (a per-sample buffer). */
    static void backwardSampleScalar(float[] x, int b, ConvGeometry g, float[] kernel, int filters, float[] dz,
                                     int dzShift, float[] dKernel, float[] dBias, float[] dx) {
        int c = g.channels;
        int pos = g.outputPositions();
        int xb = b * g.inputSize();
        int ob = b * pos * filters;
        for (int oh = 0; oh < g.outH; oh++) {
            for (int ow = 0; ow < g.outW; ow++) {
                int o = ob + (oh * g.outW + ow) * filters + dzShift;
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
