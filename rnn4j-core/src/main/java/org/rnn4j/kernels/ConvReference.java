package org.rnn4j.kernels;

/**
 * Direct convolution loops: the plain reference that {@link ConvKernels} (im2col + matmul) is
 * tested against. Same contracts as {@link ConvKernels#forward} and {@link ConvKernels#backward}.
 */
public final class ConvReference {
    private ConvReference() {
    }

    public static void forward(float[] x, int batch, ConvGeometry g, float[] kernel, float[] bias, int filters,
                               float[] out) {
        int c = g.channels;
        for (int b = 0; b < batch; b++) {
            int xb = b * g.inputSize();
            for (int oh = 0; oh < g.outH; oh++) {
                for (int ow = 0; ow < g.outW; ow++) {
                    int o = ((b * g.outH + oh) * g.outW + ow) * filters;
                    for (int f = 0; f < filters; f++) {
                        double s = bias == null ? 0 : bias[f];
                        for (int i = 0; i < g.kH; i++) {
                            int ih = oh * g.strideH - g.padTop + i * g.dilationH;
                            for (int j = 0; j < g.kW; j++) {
                                int iw = ow * g.strideW - g.padLeft + j * g.dilationW;
                                if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW) {
                                    continue;
                                }
                                for (int ch = 0; ch < c; ch++) {
                                    s += x[xb + (ih * g.inW + iw) * c + ch]
                                            * kernel[((i * g.kW + j) * c + ch) * filters + f];
                                }
                            }
                        }
                        out[o + f] = (float) s;
                    }
                }
            }
        }
    }

    public static void backward(float[] x, int batch, ConvGeometry g, float[] kernel, int filters, float[] dz,
                                float[] dKernel, float[] dBias, float[] dx) {
        int c = g.channels;
        java.util.Arrays.fill(dx, 0, batch * g.inputSize(), 0f);
        for (int b = 0; b < batch; b++) {
            int xb = b * g.inputSize();
            for (int oh = 0; oh < g.outH; oh++) {
                for (int ow = 0; ow < g.outW; ow++) {
                    int o = ((b * g.outH + oh) * g.outW + ow) * filters;
                    for (int f = 0; f < filters; f++) {
                        float d = dz[o + f];
                        if (dBias != null) {
                            dBias[f] += d;
                        }
                        for (int i = 0; i < g.kH; i++) {
                            int ih = oh * g.strideH - g.padTop + i * g.dilationH;
                            for (int j = 0; j < g.kW; j++) {
                                int iw = ow * g.strideW - g.padLeft + j * g.dilationW;
                                if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW) {
                                    continue;
                                }
                                for (int ch = 0; ch < c; ch++) {
                                    int xi = xb + (ih * g.inW + iw) * c + ch;
                                    int ki = ((i * g.kW + j) * c + ch) * filters + f;
                                    dKernel[ki] += x[xi] * d;
                                    dx[xi] += kernel[ki] * d;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
