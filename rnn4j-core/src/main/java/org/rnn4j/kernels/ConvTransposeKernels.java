package org.rnn4j.kernels;

import java.util.Arrays;

/**
 * Channels_last transposed convolution, computed as the input gradient of the convolution it
 * transposes (col2im of {@code x . kernel^T}), with the kernel in Keras's layout
 * {@code (kH, kW, filters, in_channels)}: viewed as {@code [kH*kW*filters, in_channels]} it is the
 * kernel of that forward convolution from the (filters-channel) output back to the input. Each
 * input position {@code (ih, iw)} and kernel tap {@code (i, j)} adds into output position
 * {@code (ih*sH + i*dH - cropTop, iw*sW + j*dW - cropLeft)}; positions outside the output are
 * dropped. A 1D operation is the case {@code inH = kH = 1}. Samples run in chunks so the column
 * buffer stays bounded (about 4 MB); no allocation happens per position.
 */
public final class ConvTransposeKernels {
    private static final int CHUNK_FLOATS = 1 << 20;

    /** The shapes of one sample: input {@code (inH, inW, channels)}, output {@code (outH, outW, filters)}. */
    public static final class Geometry {
        public final int inH;
        public final int inW;
        public final int channels;
        public final int outH;
        public final int outW;
        public final int filters;
        public final int kH;
        public final int kW;
        public final int strideH;
        public final int strideW;
        public final int dilationH;
        public final int dilationW;
        public final int cropTop;
        public final int cropLeft;

        public Geometry(int inH, int inW, int channels, int outH, int outW, int filters, int kH, int kW,
                        int strideH, int strideW, int dilationH, int dilationW, int cropTop, int cropLeft) {
            this.inH = inH;
            this.inW = inW;
            this.channels = channels;
            this.outH = outH;
            this.outW = outW;
            this.filters = filters;
            this.kH = kH;
            this.kW = kW;
            this.strideH = strideH;
            this.strideW = strideW;
            this.dilationH = dilationH;
            this.dilationW = dilationW;
            this.cropTop = cropTop;
            this.cropLeft = cropLeft;
        }

        int inputPositions() {
            return inH * inW;
        }

        int outputSize() {
            return outH * outW * filters;
        }

        /** One column row: every tap's filters for one input position. */
        int patch() {
            return kH * kW * filters;
        }
    }

    private ConvTransposeKernels() {
    }

    /**
     * Keras's transposed output length along one axis (its {@code compute_conv_transpose_output_shape});
     * {@code outputPadding < 0} means None.
     */
    public static int outputSize(int in, int k, int stride, int dilation, boolean same, int outputPadding) {
        int span = (k - 1) * dilation + 1;
        if (!same) {
            int op = outputPadding < 0 ? Math.max(span, stride) - span : outputPadding;
            return (in - 1) * stride + span + op;
        }
        return outputPadding < 0 ? in * stride : (in - 1) * stride + span % 2 + outputPadding;
    }

    /**
     * Positions cut from the start of the full scatter (Keras's JAX padding rule, which TensorFlow's
     * "SAME" split matches): {@code span - 1 - leftPad}.
     */
    public static int cropBefore(int k, int stride, int dilation, boolean same, int outputPadding) {
        int span = (k - 1) * dilation + 1;
        if (!same) {
            return 0;
        }
        int padLen = outputPadding < 0 ? stride + span - 2 : span + span % 2 - 2 + outputPadding;
        int left = Math.min(padLen / 2 + padLen % 2, span - 1);
        return span - 1 - left;
    }

    private static int chunk(Geometry g, int batch) {
        long perSample = (long) g.inputPositions() * g.patch();
        return (int) Math.max(1, Math.min(batch, CHUNK_FLOATS / Math.max(1, perSample)));
    }

    /** {@code out = bias + transposed conv of x}; {@code bias} may be null; {@code out} is overwritten. */
    public static void forward(float[] x, int batch, Geometry g, float[] kernel, float[] bias, float[] out) {
        MatMul mm = Kernels.matmul();
        int c = g.channels;
        int patch = g.patch();
        int pos = g.inputPositions();
        // kernel^T [channels, patch], so the product streams B row by row (as ConvKernels does).
        float[] kernelT = new float[c * patch];
        for (int p = 0; p < patch; p++) {
            for (int ch = 0; ch < c; ch++) {
                kernelT[ch * patch + p] = kernel[p * c + ch];
            }
        }
        int outSize = g.outputSize();
        if (bias != null) {
            for (int r = 0, rows = batch * g.outH * g.outW; r < rows; r++) {
                System.arraycopy(bias, 0, out, r * g.filters, g.filters);
            }
        } else {
            Arrays.fill(out, 0, batch * outSize, 0f);
        }
        int n = chunk(g, batch);
        float[] cols = new float[n * pos * patch];
        for (int b0 = 0; b0 < batch; b0 += n) {
            int m = Math.min(n, batch - b0);
            mm.gemm(false, false, m * pos, patch, c, x, b0 * pos * c, c, kernelT, 0, patch, cols, 0, patch, false);
            for (int s = 0; s < m; s++) {
                col2imAdd(cols, s * pos * patch, g, out, (b0 + s) * outSize);
            }
        }
    }

    /**
     * Given {@code dz = dLoss/d(pre-activation output)}: adds the kernel and bias gradients into
     * {@code dKernel} and {@code dBias} (may be null) and writes the input gradient into {@code dx}
     * (may be null).
     */
    public static void backward(float[] x, int batch, Geometry g, float[] kernel, float[] dz, float[] dKernel,
                                float[] dBias, float[] dx) {
        MatMul mm = Kernels.matmul();
        int c = g.channels;
        int patch = g.patch();
        int pos = g.inputPositions();
        int outSize = g.outputSize();
        if (dBias != null) {
            for (int r = 0, rows = batch * g.outH * g.outW; r < rows; r++) {
                int o = r * g.filters;
                for (int f = 0; f < g.filters; f++) {
                    dBias[f] += dz[o + f];
                }
            }
        }
        int n = chunk(g, batch);
        float[] cols = new float[n * pos * patch];
        for (int b0 = 0; b0 < batch; b0 += n) {
            int m = Math.min(n, batch - b0);
            int rows = m * pos;
            for (int s = 0; s < m; s++) {
                im2col(dz, (b0 + s) * outSize, g, cols, s * pos * patch);
            }
            // dKernel[patch, c] += cols^T . x ; dx[rows, c] = cols . kernel
            mm.gemm(true, false, patch, c, rows, cols, 0, patch, x, b0 * pos * c, c, dKernel, 0, c, true);
            if (dx != null) {
                mm.gemm(false, false, rows, c, patch, cols, 0, patch, kernel, 0, c, dx, b0 * pos * c, c, false);
            }
        }
    }

    /** Gathers, for each input position, the output values each tap wrote (zeros where cropped). */
    static void im2col(float[] y, int yOff, Geometry g, float[] cols, int colsOff) {
        int f = g.filters;
        int p = colsOff;
        for (int ih = 0; ih < g.inH; ih++) {
            for (int iw = 0; iw < g.inW; iw++) {
                for (int i = 0; i < g.kH; i++) {
                    int oh = ih * g.strideH + i * g.dilationH - g.cropTop;
                    boolean rowInside = oh >= 0 && oh < g.outH;
                    for (int j = 0; j < g.kW; j++) {
                        int ow = iw * g.strideW + j * g.dilationW - g.cropLeft;
                        if (rowInside && ow >= 0 && ow < g.outW) {
                            System.arraycopy(y, yOff + (oh * g.outW + ow) * f, cols, p, f);
                        } else {
                            Arrays.fill(cols, p, p + f, 0f);
                        }
                        p += f;
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: scatters each tap's filters into its output position. */
    static void col2imAdd(float[] cols, int colsOff, Geometry g, float[] y, int yOff) {
        int f = g.filters;
        int p = colsOff;
        for (int ih = 0; ih < g.inH; ih++) {
            for (int iw = 0; iw < g.inW; iw++) {
                for (int i = 0; i < g.kH; i++) {
                    int oh = ih * g.strideH + i * g.dilationH - g.cropTop;
                    boolean rowInside = oh >= 0 && oh < g.outH;
                    for (int j = 0; j < g.kW; j++) {
                        int ow = iw * g.strideW + j * g.dilationW - g.cropLeft;
                        if (rowInside && ow >= 0 && ow < g.outW) {
                            int base = yOff + (oh * g.outW + ow) * f;
                            for (int k = 0; k < f; k++) {
                                y[base + k] += cols[p + k];
                            }
                        }
                        p += f;
                    }
                }
            }
        }
    }
}
