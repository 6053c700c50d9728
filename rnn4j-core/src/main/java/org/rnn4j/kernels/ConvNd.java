package org.rnn4j.kernels;

/**
 * Channels_last convolution and pooling over any number of spatial axes, with Keras's grouped
 * kernels {@code (*kernel_size, in/groups, filters)}. The general path behind Conv3D, grouped and
 * depthwise convolutions and 3D pooling; {@link ConvDirect}/{@link ConvKernels} stay the fast
 * paths of ungrouped 1D/2D convolutions. Plain loops over a precomputed table of window offsets,
 * so one implementation serves every rank (correctness first; these layers are rarely hot).
 */
public final class ConvNd {
    private ConvNd() {
    }

    /** One sample's geometry: spatial input/output sizes, and for every (output position, window element) the input position or -1 (padding). */
    public static final class Geometry {
        public final int channels;
        public final int inPositions;
        public final int outPositions;
        public final int window;
        public final int[] out;
        final int[] table;

        private Geometry(int channels, int inPositions, int[] out, int window, int[] table) {
            this.channels = channels;
            this.inPositions = inPositions;
            this.out = out;
            this.window = window;
            this.table = table;
            int p = 1;
            for (int o : out) {
                p *= o;
            }
            this.outPositions = p;
        }

        /** Keras padding "valid", "same" or "causal" (per axis, as {@link ConvGeometry}). */
        public static Geometry of(int[] in, int channels, int[] k, int[] stride, int[] dilation, String padding) {
            int rank = in.length;
            int[] out = new int[rank];
            int[] pad = new int[rank];
            int inPositions = 1;
            int window = 1;
            int outPositions = 1;
            for (int a = 0; a < rank; a++) {
                out[a] = ConvGeometry.outputSize(in[a], k[a], stride[a], dilation[a], padding);
                pad[a] = ConvGeometry.padBefore(in[a], k[a], stride[a], dilation[a], padding);
                inPositions *= in[a];
                window *= k[a];
                outPositions *= Math.max(out[a], 0);
            }
            int[] table = new int[outPositions * window];
            int[] o = new int[rank];
            int[] j = new int[rank];
            for (int p = 0; p < outPositions; p++) {
                java.util.Arrays.fill(j, 0);
                for (int w = 0; w < window; w++) {
                    int flat = 0;
                    for (int a = 0; a < rank && flat >= 0; a++) {
                        int i = o[a] * stride[a] - pad[a] + j[a] * dilation[a];
                        flat = i < 0 || i >= in[a] ? -1 : flat * in[a] + i;
                    }
                    table[p * window + w] = flat;
                    increment(j, k);
                }
                increment(o, out);
            }
            return new Geometry(channels, inPositions, out, window, table);
        }

        /** Row-major odometer step of {@code idx} within {@code sizes}. */
        private static void increment(int[] idx, int[] sizes) {
            for (int a = idx.length - 1; a >= 0; a--) {
                if (++idx[a] < sizes[a]) {
                    return;
                }
                idx[a] = 0;
            }
        }
    }

    /**
     * {@code out[b, p, f] = bias[f] + sum_{w, c} x[b, table(p, w), g(f)*cpg + c] * kernel[w, c, f]} with
     * {@code cpg = channels / groups} and {@code g(f) = f / (filters / groups)}. {@code bias} may be null.
     */
    public static void forward(float[] x, int batch, Geometry g, float[] kernel, float[] bias, int groups,
                               int filters, float[] out) {
        int cin = g.channels;
        int cpg = cin / groups;
        int fpg = filters / groups;
        double[] acc = new double[filters];
        for (int b = 0; b < batch; b++) {
            int xb = b * g.inPositions * cin;
            for (int p = 0; p < g.outPositions; p++) {
                if (bias != null) {
                    for (int f = 0; f < filters; f++) {
                        acc[f] = bias[f];
                    }
                } else {
                    java.util.Arrays.fill(acc, 0);
                }
                for (int w = 0; w < g.window; w++) {
                    int pos = g.table[p * g.window + w];
                    if (pos < 0) {
                        continue;
                    }
                    int xo = xb + pos * cin;
                    int ko = w * cpg * filters;
                    for (int f = 0; f < filters; f++) {
                        int c0 = (f / fpg) * cpg;
                        double s = 0;
                        for (int c = 0; c < cpg; c++) {
                            s += x[xo + c0 + c] * kernel[ko + c * filters + f];
                        }
                        acc[f] += s;
                    }
                }
                int o = (b * g.outPositions + p) * filters;
                for (int f = 0; f < filters; f++) {
                    out[o + f] = (float) acc[f];
                }
            }
        }
    }

    /**
     * Given {@code dz} (gradient of the pre-activation output): adds into {@code dKernel} and
     * {@code dBias} (may be null) and writes the input gradient into {@code dx} (may be null).
     */
    public static void backward(float[] x, int batch, Geometry g, float[] kernel, int groups, int filters,
                                float[] dz, float[] dKernel, float[] dBias, float[] dx) {
        int cin = g.channels;
        int cpg = cin / groups;
        int fpg = filters / groups;
        if (dx != null) {
            java.util.Arrays.fill(dx, 0, batch * g.inPositions * cin, 0f);
        }
        for (int b = 0; b < batch; b++) {
            int xb = b * g.inPositions * cin;
            for (int p = 0; p < g.outPositions; p++) {
                int o = (b * g.outPositions + p) * filters;
                if (dBias != null) {
                    for (int f = 0; f < filters; f++) {
                        dBias[f] += dz[o + f];
                    }
                }
                for (int w = 0; w < g.window; w++) {
                    int pos = g.table[p * g.window + w];
                    if (pos < 0) {
                        continue;
                    }
                    int xo = xb + pos * cin;
                    int ko = w * cpg * filters;
                    for (int f = 0; f < filters; f++) {
                        float d = dz[o + f];
                        int c0 = (f / fpg) * cpg;
                        for (int c = 0; c < cpg; c++) {
                            int ki = ko + c * filters + f;
                            dKernel[ki] += x[xo + c0 + c] * d;
                            if (dx != null) {
                                dx[xo + c0 + c] += kernel[ki] * d;
                            }
                        }
                    }
                }
            }
        }
    }

    /** Max over each window's real elements (padding never wins, as TensorFlow's -inf padding). */
    public static void maxForward(float[] x, int batch, Geometry g, float[] out) {
        int c = g.channels;
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < g.outPositions; p++) {
                int o = (b * g.outPositions + p) * c;
                for (int ch = 0; ch < c; ch++) {
                    int at = argmax(x, b, p, ch, g);
                    out[o + ch] = at < 0 ? Float.NEGATIVE_INFINITY : x[at];
                }
            }
        }
    }

    /** The flat index of the first maximum of a window (first in window order), or -1. */
    private static int argmax(float[] x, int b, int p, int ch, Geometry g) {
        int c = g.channels;
        int at = -1;
        for (int w = 0; w < g.window; w++) {
            int pos = g.table[p * g.window + w];
            if (pos < 0) {
                continue;
            }
            int xi = (b * g.inPositions + pos) * c + ch;
            if (at < 0 || x[xi] > x[at]) {
                at = xi;
            }
        }
        return at;
    }

    /** Routes each output gradient to its window's first maximum; adds into {@code dx}. */
    public static void maxBackward(float[] x, float[] dy, int batch, Geometry g, float[] dx) {
        int c = g.channels;
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < g.outPositions; p++) {
                int o = (b * g.outPositions + p) * c;
                for (int ch = 0; ch < c; ch++) {
                    int at = argmax(x, b, p, ch, g);
                    if (at >= 0) {
                        dx[at] += dy[o + ch];
                    }
                }
            }
        }
    }

    /** Mean over each window's real (unpadded) elements, as TensorFlow's "same" average pooling. */
    public static void avgForward(float[] x, int batch, Geometry g, float[] out) {
        avg(x, batch, g, out, false);
    }

    /** Adds each output gradient, divided by its window's real element count, over the window. */
    public static void avgBackward(float[] dy, int batch, Geometry g, float[] dx) {
        avg(dy, batch, g, dx, true);
    }

    private static void avg(float[] src, int batch, Geometry g, float[] dst, boolean backward) {
        int c = g.channels;
        double[] acc = new double[c];
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < g.outPositions; p++) {
                int o = (b * g.outPositions + p) * c;
                int n = 0;
                for (int w = 0; w < g.window; w++) {
                    n += g.table[p * g.window + w] >= 0 ? 1 : 0;
                }
                java.util.Arrays.fill(acc, 0);
                for (int w = 0; w < g.window; w++) {
                    int pos = g.table[p * g.window + w];
                    if (pos < 0) {
                        continue;
                    }
                    int xi = (b * g.inPositions + pos) * c;
                    for (int ch = 0; ch < c; ch++) {
                        if (backward) {
                            dst[xi + ch] += src[o + ch] / n;
                        } else {
                            acc[ch] += src[xi + ch];
                        }
                    }
                }
                if (!backward) {
                    for (int ch = 0; ch < c; ch++) {
                        dst[o + ch] = (float) (acc[ch] / n);
                    }
                }
            }
        }
    }
}
