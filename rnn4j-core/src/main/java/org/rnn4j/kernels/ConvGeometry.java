package org.rnn4j.kernels;

import java.util.Locale;

/**
 * The geometry of one 2D channels_last convolution or pooling window over a single sample:
 * input {@code (inH, inW, channels)}, window {@code (kH, kW)} with strides, dilations and the
 * leading padding (top, left). A 1D operation is the case {@code inH = kH = 1}.
 */
public final class ConvGeometry {
    public final int inH;
    public final int inW;
    public final int channels;
    public final int kH;
    public final int kW;
    public final int strideH;
    public final int strideW;
    public final int dilationH;
    public final int dilationW;
    public final int padTop;
    public final int padLeft;
    public final int outH;
    public final int outW;

    private ConvGeometry(int inH, int inW, int channels, int kH, int kW, int strideH, int strideW,
                         int dilationH, int dilationW, int padTop, int padLeft, int outH, int outW) {
        this.inH = inH;
        this.inW = inW;
        this.channels = channels;
        this.kH = kH;
        this.kW = kW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.dilationH = dilationH;
        this.dilationW = dilationW;
        this.padTop = padTop;
        this.padLeft = padLeft;
        this.outH = outH;
        this.outW = outW;
    }

    /** Geometry with Keras padding ({@code "valid"}, {@code "same"}, or {@code "causal"} for 1D). */
    public static ConvGeometry of(int inH, int inW, int channels, int kH, int kW, int strideH, int strideW,
                                  int dilationH, int dilationW, String padding) {
        int outH = outputSize(inH, kH, strideH, dilationH, padding);
        int outW = outputSize(inW, kW, strideW, dilationW, padding);
        int padTop = padBefore(inH, kH, strideH, dilationH, padding);
        int padLeft = padBefore(inW, kW, strideW, dilationW, padding);
        return new ConvGeometry(inH, inW, channels, kH, kW, strideH, strideW, dilationH, dilationW,
                padTop, padLeft, outH, outW);
    }

    /**
     * Keras's output length along one axis; -1 stays unknown. "valid" may give a size below 1,
     * which callers report as a shape error.
     */
    public static int outputSize(int in, int k, int stride, int dilation, String padding) {
        if (in < 0) {
            return -1;
        }
        int span = (k - 1) * dilation + 1;
        switch (padding.toLowerCase(Locale.ROOT)) {
            case "valid":
                return in >= span ? (in - span) / stride + 1 : 0;
            case "same":
            case "causal":
                return (in + stride - 1) / stride;
            default:
                throw new IllegalArgumentException("Unknown padding '" + padding + "'; use 'valid' or 'same'");
        }
    }

    /**
     * Zeros added before the first element: "same" splits the total like TensorFlow/Keras (the
     * smaller half first); "causal" puts the whole receptive field before the sequence.
     */
    public static int padBefore(int in, int k, int stride, int dilation, String padding) {
        int span = (k - 1) * dilation + 1;
        switch (padding.toLowerCase(Locale.ROOT)) {
            case "same": {
                int out = (in + stride - 1) / stride;
                int total = Math.max((out - 1) * stride + span - in, 0);
                return total / 2;
            }
            case "causal":
                return span - 1;
            default:
                return 0;
        }
    }

    /** Values per input sample. */
    public int inputSize() {
        return inH * inW * channels;
    }

    /** Output positions per sample. */
    public int outputPositions() {
        return outH * outW;
    }

    /** Length of one im2col row: the window times the channels, in Keras kernel order (kh, kw, in). */
    public int patchSize() {
        return kH * kW * channels;
    }
}
