package org.rnn4j.kernels;

import java.util.Arrays;

/**
 * im2col and its adjoint for channels_last inputs. A row of the column matrix holds one output
 * position's receptive field in Keras kernel order (kh, kw, in_channels), so multiplying by the
 * kernel viewed as {@code [kh*kw*in, filters]} gives the channels_last output directly. Padded
 * positions are zeros.
 */
public final class ConvIm2Col {
    private ConvIm2Col() {
    }

    /** Writes {@code outH*outW} rows of {@code patchSize} values for one sample. */
    public static void im2col(float[] x, int xOff, ConvGeometry g, float[] cols, int colsOff) {
        int c = g.channels;
        int p = colsOff;
        for (int oh = 0; oh < g.outH; oh++) {
            for (int ow = 0; ow < g.outW; ow++) {
                for (int i = 0; i < g.kH; i++) {
                    int ih = oh * g.strideH - g.padTop + i * g.dilationH;
                    boolean rowInside = ih >= 0 && ih < g.inH;
                    for (int j = 0; j < g.kW; j++) {
                        int iw = ow * g.strideW - g.padLeft + j * g.dilationW;
                        if (rowInside && iw >= 0 && iw < g.inW) {
                            System.arraycopy(x, xOff + (ih * g.inW + iw) * c, cols, p, c);
                        } else {
                            Arrays.fill(cols, p, p + c, 0f);
                        }
                        p += c;
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: adds each column value back into its input position. */
    public static void col2imAdd(float[] cols, int colsOff, ConvGeometry g, float[] dx, int dxOff) {
        int c = g.channels;
        int p = colsOff;
        for (int oh = 0; oh < g.outH; oh++) {
            for (int ow = 0; ow < g.outW; ow++) {
                for (int i = 0; i < g.kH; i++) {
                    int ih = oh * g.strideH - g.padTop + i * g.dilationH;
                    boolean rowInside = ih >= 0 && ih < g.inH;
                    for (int j = 0; j < g.kW; j++) {
                        int iw = ow * g.strideW - g.padLeft + j * g.dilationW;
                        if (rowInside && iw >= 0 && iw < g.inW) {
                            int base = dxOff + (ih * g.inW + iw) * c;
                            for (int ch = 0; ch < c; ch++) {
                                dx[base + ch] += cols[p + ch];
                            }
                        }
                        p += c;
                    }
                }
            }
        }
    }
}
