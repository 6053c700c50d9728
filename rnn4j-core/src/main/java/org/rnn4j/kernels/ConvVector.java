package org.rnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API bodies of {@link ConvDirect} (small-window convolution) and of max pooling, vectorised
 * over the filters / channels of one output position; the lanes past the last whole vector run
 * the scalar formula. Only reached through {@link ConvDirect} and {@link ConvPooling}, which fall
 * back to scalar loops when the incubator module is missing.
 */
final class ConvVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private ConvVector() {
    }

    /** Touches the Vector API so a missing module fails here, once, with a LinkageError. */
    static boolean probe() {
        return L > 0;
    }

    /** Convolution forward for output positions of sample {@code b} (no activation). */
    static void forwardSample(float[] x, int b, ConvGeometry g, float[] kernel, float[] bias, int filters,
                              float[] out) {
        int c = g.channels;
        int xb = b * g.inputSize();
        int ob = b * g.outputPositions() * filters;
        int fv = filters - filters % L;
        for (int oh = 0; oh < g.outH; oh++) {
            for (int ow = 0; ow < g.outW; ow++) {
                int o = ob + (oh * g.outW + ow) * filters;
                // Accumulate in the output row (in L1), not in a vector carried across the window
                // loops: C2 would box such a vector.
                if (bias != null) {
                    System.arraycopy(bias, 0, out, o, filters);
                } else {
                    java.util.Arrays.fill(out, o, o + filters, 0f);
                }
                for (int i = 0; i < g.kH; i++) {
                    int ih = oh * g.strideH - g.padTop + i * g.dilationH;
                    if (ih < 0 || ih >= g.inH) {
                        continue;
                    }
                    for (int j = 0; j < g.kW; j++) {
                        int iw = ow * g.strideW - g.padLeft + j * g.dilationW;
                        if (iw < 0 || iw >= g.inW) {
                            continue;
                        }
                        int xi = xb + (ih * g.inW + iw) * c;
                        int kb = (i * g.kW + j) * c * filters;
                        for (int ch = 0; ch < c; ch++) {
                            int k0 = kb + ch * filters;
                            float xv = x[xi + ch];
                            FloatVector xvv = FloatVector.broadcast(S, xv);
                            int f = 0;
                            for (; f < fv; f += L) {
                                FloatVector.fromArray(S, kernel, k0 + f).fma(xvv, FloatVector.fromArray(S, out, o + f))
                                        .intoArray(out, o + f);
                            }
                            for (; f < filters; f++) {
                                out[o + f] += xv * kernel[k0 + f];
                            }
                        }
                    }
                }
            }
        }
    }

    /** Convolution backward for sample {@code b}: adds into dKernel, dBias (may be null), dx (may be null). */
    static void backwardSample(float[] x, int b, ConvGeometry g, float[] kernel, int filters, float[] dy,
                               float[] reluY, float[] row, float[] dKernel, float[] dBias, float[] dx) {
        int c = g.channels;
        int xb = b * g.inputSize();
        int ob = b * g.outputPositions() * filters;
        int fv = filters - filters % L;
        float[] lanes = dx == null ? null : new float[L];
        for (int oh = 0; oh < g.outH; oh++) {
            for (int ow = 0; ow < g.outW; ow++) {
                int oy = ob + (oh * g.outW + ow) * filters;
                float[] dz = dy;
                int o = oy;
                if (reluY != null) {
                    // relu's backward fused in: dz = y > 0 ? dy : 0 for this position's row only.
                    reluRow(dy, reluY, oy, row, filters, fv);
                    dz = row;
                    o = 0;
                }
                if (dBias != null) {
                    int f = 0;
                    for (; f < fv; f += L) {
                        FloatVector.fromArray(S, dBias, f).add(FloatVector.fromArray(S, dz, o + f)).intoArray(dBias, f);
                    }
                    for (; f < filters; f++) {
                        dBias[f] += dz[o + f];
                    }
                }
                for (int i = 0; i < g.kH; i++) {
                    int ih = oh * g.strideH - g.padTop + i * g.dilationH;
                    if (ih < 0 || ih >= g.inH) {
                        continue;
                    }
                    for (int j = 0; j < g.kW; j++) {
                        int iw = ow * g.strideW - g.padLeft + j * g.dilationW;
                        if (iw < 0 || iw >= g.inW) {
                            continue;
                        }
                        int xi = xb + (ih * g.inW + iw) * c;
                        int kb = (i * g.kW + j) * c * filters;
                        for (int ch = 0; ch < c; ch++) {
                            int k0 = kb + ch * filters;
                            float xv = x[xi + ch];
                            FloatVector xb16 = FloatVector.broadcast(S, xv);
                            FloatVector dot = FloatVector.zero(S);
                            int f = 0;
                            for (; f < fv; f += L) {
                                FloatVector d = FloatVector.fromArray(S, dz, o + f);
                                d.fma(xb16, FloatVector.fromArray(S, dKernel, k0 + f)).intoArray(dKernel, k0 + f);
                                if (dx != null) {
                                    dot = d.fma(FloatVector.fromArray(S, kernel, k0 + f), dot);
                                }
                            }
                            float dotTail = 0f;
                            for (; f < filters; f++) {
                                dKernel[k0 + f] += xv * dz[o + f];
                                dotTail += kernel[k0 + f] * dz[o + f];
                            }
                            if (dx != null) {
                                // Lanes summed in a fixed order: reduceLanes's order may differ between the
                                // interpreter and compiled code, which made training depend on JIT state.
                                dot.intoArray(lanes, 0);
                                float sum = 0f;
                                for (int q = 0; q < L; q++) {
                                    sum += lanes[q];
                                }
                                dx[xi + ch] += sum + dotTail;
                            }
                        }
                    }
                }
            }
        }
    }

    private static void reluRow(float[] dy, float[] y, int oy, float[] row, int filters, int fv) {
        FloatVector zero = FloatVector.zero(S);
        int f = 0;
        for (; f < fv; f += L) {
            FloatVector yv = FloatVector.fromArray(S, y, oy + f);
            zero.blend(FloatVector.fromArray(S, dy, oy + f), yv.compare(VectorOperators.GT, 0f)).intoArray(row, f);
        }
        for (; f < filters; f++) {
            row[f] = y[oy + f] > 0f ? dy[oy + f] : 0f;
        }
    }

    /** Max pooling forward (no argmax) for sample {@code b}: a running max over the window, by channel vectors. */
    static void maxPoolSample(float[] x, int b, ConvGeometry g, float[] out) {
        int c = g.channels;
        int xb = b * g.inputSize();
        int cv = c - c % L;
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
                            continue;
                        }
                        int ch = 0;
                        for (; ch < cv; ch += L) {
                            FloatVector.fromArray(S, out, o + ch).max(FloatVector.fromArray(S, x, xi + ch))
                                    .intoArray(out, o + ch);
                        }
                        for (; ch < c; ch++) {
                            out[o + ch] = Math.max(out[o + ch], x[xi + ch]);
                        }
                    }
                }
            }
        }
    }

    /**
     * Max pooling backward for sample {@code b} (see {@link ConvPooling#maxBackward(float[], float[],
     * float[], int, ConvGeometry, float[])}): per channel vector, window elements in order take the
     * gradient on the lanes where they equal the max and no earlier element did.
     */
    static void maxPoolBackwardSample(float[] x, float[] y, float[] dy, int b, ConvGeometry g, float[] dx,
                                      int[] offsets) {
        int c = g.channels;
        int xb = b * g.inputSize();
        int cv = c - c % L;
        FloatVector zero = FloatVector.zero(S);
        for (int oh = 0; oh < g.outH; oh++) {
            for (int ow = 0; ow < g.outW; ow++) {
                int o = ((b * g.outH + oh) * g.outW + ow) * c;
                // The window's real elements in window order, so the lane loop below is a flat one
                // (C2 boxes vectors and masks carried through the nested window loops).
                int n = 0;
                for (int i = 0; i < g.kH; i++) {
                    int ih = oh * g.strideH - g.padTop + i;
                    if (ih < 0 || ih >= g.inH) {
                        continue;
                    }
                    for (int j = 0; j < g.kW; j++) {
                        int iw = ow * g.strideW - g.padLeft + j;
                        if (iw >= 0 && iw < g.inW) {
                            offsets[n++] = xb + (ih * g.inW + iw) * c;
                        }
                    }
                }
                for (int ch = 0; ch < cv; ch += L) {
                    FloatVector yv = FloatVector.fromArray(S, y, o + ch);
                    FloatVector dyv = FloatVector.fromArray(S, dy, o + ch);
                    // NaN maxima equal nothing: as the argmax version, the window's first element.
                    VectorMask<Float> nan = yv.compare(VectorOperators.NE, yv);
                    if (nan.anyTrue()) {
                        FloatVector.fromArray(S, dx, offsets[0] + ch).add(dyv, nan).intoArray(dx, offsets[0] + ch);
                    }
                    // dyv keeps the gradient still to route: lanes whose max an earlier element
                    // matched are zeroed, so only the first equal element receives it.
                    for (int e = 0; e < n; e++) {
                        int xi = offsets[e] + ch;
                        VectorMask<Float> hit = FloatVector.fromArray(S, x, xi).compare(VectorOperators.EQ, yv);
                        FloatVector.fromArray(S, dx, xi).add(zero.blend(dyv, hit)).intoArray(dx, xi);
                        dyv = dyv.blend(zero, hit);
                    }
                }
                if (cv < c) {
                    ConvPooling.maxBackwardChannels(x, y, dy, b, oh, ow, cv, c, g, dx);
                }
            }
        }
    }
}
