package org.rnn4j.kernels;

/**
 * Transposed 3D convolution (2D runs with depth 1, 1D with depth and height 1), channels_last,
 * kernel laid out as Keras's {@code (kd, kh, kw, filters, in_channels)}. It is the input gradient
 * of a convolution, written as a scatter: input voxel {@code (id, ih, iw)} adds
 * {@code K[kd, kh, kw] . x[id, ih, iw]} to output voxel
 * {@code (id*sD + kd*dD - cropD, ih*sH + kh*dH - cropH, iw*sW + kw*dW - cropW)}; positions
 * outside the output are dropped. Inner loops run over the contiguous channel axis; nothing is
 * allocated per voxel.
 */
public final class ConvTransposeKernel {
    private ConvTransposeKernel() {
    }

    /** Shapes and offsets of one transposed convolution; unused leading axes have size 1. */
    public static final class Geometry {
        public final int inD;
        public final int inH;
        public final int inW;
        public final int channels;
        public final int outD;
        public final int outH;
        public final int outW;
        public final int filters;
        public final int kD;
        public final int kH;
        public final int kW;
        public final int sD;
        public final int sH;
        public final int sW;
        public final int dD;
        public final int dH;
        public final int dW;
        public final int cropD;
        public final int cropH;
        public final int cropW;

        /**
         * Per axis (depth, height, width) arrays of length 3: input and output sizes, kernel size,
         * stride, dilation and the crop of the full scatter.
         */
        public Geometry(int[] in, int channels, int[] out, int filters, int[] k, int[] s, int[] d, int[] crop) {
            this.inD = in[0];
            this.inH = in[1];
            this.inW = in[2];
            this.channels = channels;
            this.outD = out[0];
            this.outH = out[1];
            this.outW = out[2];
            this.filters = filters;
            this.kD = k[0];
            this.kH = k[1];
            this.kW = k[2];
            this.sD = s[0];
            this.sH = s[1];
            this.sW = s[2];
            this.dD = d[0];
            this.dH = d[1];
            this.dW = d[2];
            this.cropD = crop[0];
            this.cropH = crop[1];
            this.cropW = crop[2];
        }

        /** Output voxels per sample. */
        public int outPixels() {
            return outD * outH * outW;
        }
    }

    /**
     * Keras's padding of the (lhs-dilated) input, as its JAX backend computes it
     * ({@code compute_conv_transpose_padding_args_for_jax}); returns {left, right}. The output
     * length is {@code (in-1)*stride + 1 + left + right - effectiveKernel + 1}.
     */
    public static int[] padding(int kernel, int stride, int dilation, String padding, Integer outputPadding) {
        int k = (kernel - 1) * dilation + 1;
        if (padding.equals("valid")) {
            int op = outputPadding == null ? Math.max(k, stride) - k : outputPadding;
            return new int[] {k - 1, k - 1 + op};
        }
        int padLen = outputPadding == null ? stride + k - 2 : k + k % 2 - 2 + outputPadding;
        int left = Math.min(padLen / 2 + padLen % 2, k - 1);
        return new int[] {left, padLen - left};
    }

    /** {@code y = convT(x) (+ bias)}; {@code y} is overwritten. */
    public static void forward(float[] x, int batch, Geometry g, float[] kernel, float[] bias, float[] y) {
        int f = g.filters;
        int outPix = g.outPixels();
        for (int b = 0; b < batch; b++) {
            int yBase = b * outPix * f;
            if (bias != null) {
                for (int p = 0; p < outPix; p++) {
                    System.arraycopy(bias, 0, y, yBase + p * f, f);
                }
            } else {
                java.util.Arrays.fill(y, yBase, yBase + outPix * f, 0f);
            }
            scatter(x, b, g, kernel, y, null, null, null);
        }
    }

    /**
     * Accumulates {@code dKernel} and {@code dBias} (either may be null) and writes {@code dx}
     * (null when not needed) from the output gradient {@code dy}.
     */
    public static void backward(float[] x, int batch, Geometry g, float[] kernel, float[] dy, float[] dKernel,
                                float[] dBias, float[] dx) {
        int f = g.filters;
        int outPix = g.outPixels();
        if (dBias != null) {
            for (int p = 0; p < batch * outPix; p++) {
                for (int fi = 0; fi < f; fi++) {
                    dBias[fi] += dy[p * f + fi];
                }
            }
        }
        if (dx != null) {
            java.util.Arrays.fill(dx, 0, batch * g.inD * g.inH * g.inW * g.channels, 0f);
        }
        for (int b = 0; b < batch; b++) {
            scatter(x, b, g, kernel, null, dy, dKernel, dx);
        }
    }

    /**
     * Walks every (input voxel, kernel tap) pair of sample {@code b} that lands inside the output.
     * With {@code y} non-null it is the forward pass; otherwise the backward one (from {@code dy}).
     * One walk for both keeps the index arithmetic in a single place.
     */
    private static void scatter(float[] x, int b, Geometry g, float[] kernel, float[] y, float[] dy, float[] dKernel,
                                float[] dx) {
        int c = g.channels;
        int f = g.filters;
        int yBase = b * g.outPixels() * f;
        for (int id = 0; id < g.inD; id++) {
            for (int ih = 0; ih < g.inH; ih++) {
                for (int iw = 0; iw < g.inW; iw++) {
                    int xOff = (((b * g.inD + id) * g.inH + ih) * g.inW + iw) * c;
                    for (int kd = 0; kd < g.kD; kd++) {
                        int od = id * g.sD + kd * g.dD - g.cropD;
                        if (od < 0 || od >= g.outD) {
                            continue;
                        }
                        for (int kh = 0; kh < g.kH; kh++) {
                            int oh = ih * g.sH + kh * g.dH - g.cropH;
                            if (oh < 0 || oh >= g.outH) {
                                continue;
                            }
                            for (int kw = 0; kw < g.kW; kw++) {
                                int ow = iw * g.sW + kw * g.dW - g.cropW;
                                if (ow < 0 || ow >= g.outW) {
                                    continue;
                                }
                                int yOff = yBase + ((od * g.outH + oh) * g.outW + ow) * f;
                                int kOff = ((kd * g.kH + kh) * g.kW + kw) * f * c;
                                if (y != null) {
                                    for (int fi = 0; fi < f; fi++) {
                                        y[yOff + fi] += dot(kernel, kOff + fi * c, x, xOff, c);
                                    }
                                } else {
                                    scatterGrad(x, xOff, kernel, kOff, dy, yOff, f, c, dKernel, dx);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** One (input voxel, kernel tap) pair of backward: dKernel += gy * x, dx += gy * K per filter. */
    private static void scatterGrad(float[] x, int xOff, float[] kernel, int kOff, float[] dy, int yOff, int f, int c,
                                    float[] dKernel, float[] dx) {
        for (int fi = 0; fi < f; fi++) {
            float gy = dy[yOff + fi];
            if (gy == 0f) {
                continue;
            }
            if (dKernel != null) {
                axpy(gy, x, xOff, dKernel, kOff + fi * c, c);
            }
            if (dx != null) {
                axpy(gy, kernel, kOff + fi * c, dx, xOff, c);
            }
        }
    }

    private static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    private static void axpy(float alpha, float[] src, int sOff, float[] dst, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dOff + i] += alpha * src[sOff + i];
        }
    }
}
