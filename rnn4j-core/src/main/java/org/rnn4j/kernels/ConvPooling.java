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
        if (argmax == null) {
            maxForward(x, batch, g, out);
            return;
        }
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

    /**
     * Max pooling without argmax bookkeeping: each output row of {@code channels} values is a running
     * max over the window's rows (vectorised over the channels when the Vector API is there).
     * Equal to the argmax version for every non-NaN input (a NaN anywhere in a window propagates
     * here).
     */
    private static void maxForward(float[] x, int batch, ConvGeometry g, float[] out) {
        for (int b = 0; b < batch; b++) {
            if (ConvDirect.VECTOR) {
                ConvVector.maxPoolSample(x, b, g, out);
            } else {
                maxForwardScalar(x, b, g, out);
            }
        }
    }

    static void maxForwardScalar(float[] x, int b, ConvGeometry g, float[] out) {
        int c = g.channels;
        int xb = b * g.inputSize();
        for (int oh = 0; oh < g.outH; oh++) {
            for (int ow = 0; ow < g.outW; ow++) {
                int o = ((b * g.outH + oh) * g.outW + ow) * c;
                boolean first = true;
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
                        int xi = xb + (ih * g.inW + iw) * c;
                        if (first) {
                            System.arraycopy(x, xi, out, o, c);
                            first = false;
                        } else {
                            for (int ch = 0; ch < c; ch++) {
                                out[o + ch] = Math.max(out[o + ch], x[xi + ch]);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Max pooling's backward from the forward input {@code x} and output {@code y} instead of a
     * recorded argmax: each output gradient goes to the first window element equal to the max
     * (the element the argmax version picks), or to the window's first element when none is
     * (a NaN max). Adds into {@code dx}.
     */
    public static void maxBackward(float[] x, float[] y, float[] dy, int batch, ConvGeometry g, float[] dx) {
        int[] offsets = new int[g.kH * g.kW];
        for (int b = 0; b < batch; b++) {
            if (ConvDirect.VECTOR) {
                ConvVector.maxPoolBackwardSample(x, y, dy, b, g, dx, offsets);
            } else {
                for (int oh = 0; oh < g.outH; oh++) {
                    for (int ow = 0; ow < g.outW; ow++) {
                        maxBackwardChannels(x, y, dy, b, oh, ow, 0, g.channels, g, dx);
                    }
                }
            }
        }
    }

    /** The scalar backward of one output position, channels {@code [ch0, ch1)}. */
    static void maxBackwardChannels(float[] x, float[] y, float[] dy, int b, int oh, int ow, int ch0, int ch1,
                                    ConvGeometry g, float[] dx) {
        int c = g.channels;
        int xb = b * g.inputSize();
        int o = ((b * g.outH + oh) * g.outW + ow) * c;
        for (int ch = ch0; ch < ch1; ch++) {
            float best = y[o + ch];
            int at = -1;
            int firstAt = -1;
            search:
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
                    if (firstAt < 0) {
                        firstAt = xi;
                    }
                    if (x[xi] == best) {
                        at = xi;
                        break search;
                    }
                }
            }
            dx[at >= 0 ? at : firstAt] += dy[o + ch];
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
