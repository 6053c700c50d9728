package org.rnn4j.kernels;

/**
 * Channels_last max pooling. Padded positions never win (TensorFlow pads max pooling with
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
}
