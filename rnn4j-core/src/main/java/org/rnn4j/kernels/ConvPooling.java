package org.rnn4j.kernels;

/**
 * Channels_last max and average pooling. For max pooling, padded positions never win (TensorFlow pads max pooling with
 * -infinity), and the forward pass records each output's argmax so backward routes the
 * gradient to exactly one input.
 */
public final class ConvPooling {
    private ConvPooling() {
    }

    /**
     * {@code out[b, oh, ow, c] = max over the window}; {@code argmax} (same length as {@code out},
     * may be null) receives the flat index into {@code x} of the chosen element (the first
     * maximum in window order).
     */
    public static void maxForward(float[] x, int batch, ConvGeometry g, float[] out, int[] argmax) {
        int c = g.channels;
        for (int b = 0; b < batch; b++) {
            int xb = b * g.inputSize();
            for (int oh = 0; oh < g.outH; oh++) {
                for (int ow = 0; ow < g.outW; ow++) {
                    int o = ((b * g.outH + oh) * g.outW + ow) * c;
                    for (int ch = 0; ch < c; ch++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int at = -1;
                        for (int i = 0; i < g.kH; i++) {
                            int ih = oh * g.strideH - g.padTop + i;
                            if (ih < 0 || ih >= g.inH) {
                                continue;
                            }
                            for (int j = 0; j < g.kW; j++) {
                                int iw = ow * g.strideW - g.padLeft + j;
                                if (iw < 0 || iw >= g.inW) {
                                    continue;
                                }
                                int xi = xb + (ih * g.inW + iw) * c + ch;
                                if (at < 0 || x[xi] > best) {
                                    best = x[xi];
                                    at = xi;
                                }
                            }
                        }
                        out[o + ch] = best;
                        if (argmax != null) {
                            argmax[o + ch] = at;
                        }
                    }
                }
            }
        }
    }

    /** Adds each output gradient into the input element that won the forward max. */
    public static void maxBackward(float[] dy, int[] argmax, float[] dx) {
        for (int i = 0; i < dy.length; i++) {
            dx[argmax[i]] += dy[i];
        }
    }

    /**
     * {@code out[b, oh, ow, c] = mean over the window}, counting only real (unpadded) elements,
     * as TensorFlow's average pooling with "same" padding does.
     */
    public static void avgForward(float[] x, int batch, ConvGeometry g, float[] out) {
        int c = g.channels;
        for (int b = 0; b < batch; b++) {
            int xb = b * g.inputSize();
            for (int oh = 0; oh < g.outH; oh++) {
                int h0 = Math.max(0, oh * g.strideH - g.padTop);
                int h1 = Math.min(g.inH, oh * g.strideH - g.padTop + g.kH);
                for (int ow = 0; ow < g.outW; ow++) {
                    int w0 = Math.max(0, ow * g.strideW - g.padLeft);
                    int w1 = Math.min(g.inW, ow * g.strideW - g.padLeft + g.kW);
                    int o = ((b * g.outH + oh) * g.outW + ow) * c;
                    float inv = 1f / ((h1 - h0) * (w1 - w0));
                    java.util.Arrays.fill(out, o, o + c, 0f);
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            int xi = xb + (ih * g.inW + iw) * c;
                            for (int ch = 0; ch < c; ch++) {
                                out[o + ch] += x[xi + ch];
                            }
                        }
                    }
                    for (int ch = 0; ch < c; ch++) {
                        out[o + ch] *= inv;
                    }
                }
            }
        }
    }

    /** Adds each output gradient, divided by its window's real element count, to that window. */
    public static void avgBackward(float[] dy, int batch, ConvGeometry g, float[] dx) {
        int c = g.channels;
        for (int b = 0; b < batch; b++) {
            int xb = b * g.inputSize();
            for (int oh = 0; oh < g.outH; oh++) {
                int h0 = Math.max(0, oh * g.strideH - g.padTop);
                int h1 = Math.min(g.inH, oh * g.strideH - g.padTop + g.kH);
                for (int ow = 0; ow < g.outW; ow++) {
                    int w0 = Math.max(0, ow * g.strideW - g.padLeft);
                    int w1 = Math.min(g.inW, ow * g.strideW - g.padLeft + g.kW);
                    int o = ((b * g.outH + oh) * g.outW + ow) * c;
                    float inv = 1f / ((h1 - h0) * (w1 - w0));
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            int xi = xb + (ih * g.inW + iw) * c;
                            for (int ch = 0; ch < c; ch++) {
                                dx[xi + ch] += dy[o + ch] * inv;
                            }
                        }
                    }
                }
            }
        }
    }
}
