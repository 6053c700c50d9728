package org.rnn4j.kernels;

/**
 * Transposed 2D convolution (a 1D one runs with height 1), channels_last, kernel laid out as
 * Keras's {@code (kh, kw, filters, in_channels)}. It is the input gradient of a convolution,
 * written as a scatter: input pixel {@code (ih, iw)} adds {@code K[kh, kw] . x[ih, iw]} to output
 * pixel {@code (ih*sH + kh*dH - cropH, iw*sW + kw*dW - cropW)}; positions outside the output are
 * dropped. Inner loops run over the contiguous channel axis; nothing is allocated per pixel.
 */
public final class ConvTransposeKernel {
    private ConvTransposeKernel() {
    }

    /** Shapes and offsets of one transposed convolution. */
    public static final class Geometry {
        public final int inH;
        public final int inW;
        public final int channels;
        public final int outH;
        public final int outW;
        public final int filters;
        public final int kH;
        public final int kW;
        public final int sH;
        public final int sW;
        public final int dH;
        public final int dW;
        public final int cropH;
        public final int cropW;

        public Geometry(int inH, int inW, int channels, int outH, int outW, int filters, int kH, int kW, int sH,
                        int sW, int dH, int dW, int cropH, int cropW) {
            this.inH = inH;
            this.inW = inW;
            this.channels = channels;
            this.outH = outH;
            this.outW = outW;
            this.filters = filters;
            this.kH = kH;
            this.kW = kW;
            this.sH = sH;
            this.sW = sW;
            this.dH = dH;
            this.dW = dW;
            this.cropH = cropH;
            this.cropW = cropW;
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
        int c = g.channels;
        int f = g.filters;
        int outPix = g.outH * g.outW;
        for (int b = 0; b < batch; b++) {
            int yBase = b * outPix * f;
            if (bias != null) {
                for (int p = 0; p < outPix; p++) {
                    System.arraycopy(bias, 0, y, yBase + p * f, f);
                }
            } else {
                java.util.Arrays.fill(y, yBase, yBase + outPix * f, 0f);
            }
            for (int ih = 0; ih < g.inH; ih++) {
                for (int iw = 0; iw < g.inW; iw++) {
                    int xOff = ((b * g.inH + ih) * g.inW + iw) * c;
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
                            int yOff = yBase + (oh * g.outW + ow) * f;
                            int kOff = (kh * g.kW + kw) * f * c;
                            for (int fi = 0; fi < f; fi++) {
                                y[yOff + fi] += dot(kernel, kOff + fi * c, x, xOff, c);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Accumulates {@code dKernel} and {@code dBias} (either may be null) and writes {@code dx}
     * (null when not needed) from the output gradient {@code dy}.
     */
    public static void backward(float[] x, int batch, Geometry g, float[] kernel, float[] dy, float[] dKernel,
                                float[] dBias, float[] dx) {
        int c = g.channels;
        int f = g.filters;
        int outPix = g.outH * g.outW;
        if (dBias != null) {
            for (int p = 0; p < batch * outPix; p++) {
                for (int fi = 0; fi < f; fi++) {
                    dBias[fi] += dy[p * f + fi];
                }
            }
        }
        if (dx != null) {
            java.util.Arrays.fill(dx, 0, batch * g.inH * g.inW * c, 0f);
        }
        for (int b = 0; b < batch; b++) {
            int yBase = b * outPix * f;
            for (int ih = 0; ih < g.inH; ih++) {
                for (int iw = 0; iw < g.inW; iw++) {
                    int xOff = ((b * g.inH + ih) * g.inW + iw) * c;
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
                            int yOff = yBase + (oh * g.outW + ow) * f;
                            int kOff = (kh * g.kW + kw) * f * c;
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
                    }
                }
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
