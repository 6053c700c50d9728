package org.rnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API bodies of {@link ConvPoolFused}: one sample's convolution, activation and max pooling
 * for a block of filters {@code [f0, f1)}, with the convolution output kept in a small per-block
 * buffer ({@code [positions, f1 - f0]}) instead of a batch-sized array. Every value is computed
 * with the same operations, in the same order, as the unfused {@link ConvVector} bodies (vector
 * lanes below the filters' last whole vector, the scalar formula above), so the results are
 * bit for bit theirs whatever the blocks.
 */
final class ConvPoolVector {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private ConvPoolVector() {
    }

    /** The end of the vector lanes of block [f0, f1): the filters' last whole vector, at most f1. */
    private static int vectorEnd(int filters, int f0, int f1) {
        return Math.max(f0, Math.min(f1, filters - filters % L));
    }

    /** Ints of the tap scratch {@link #conv} needs: two per kernel element. */
    static int tapsSize(ConvGeometry g) {
        return 2 * g.kH * g.kW * g.channels;
    }

    /** First output index along an axis whose whole window is inside the input. */
    private static int interiorStart(int stride, int pad) {
        return (pad + stride - 1) / stride;
    }

    /** End (exclusive) of the outputs along an axis whose whole window is inside the input. */
    private static int interiorEnd(int in, int out, int k, int stride, int dilation, int pad) {
        int last = in - 1 + pad - (k - 1) * dilation; // o * stride <= last
        return last < 0 ? 0 : Math.min(out, last / stride + 1);
    }

    /**
     * Convolution (+ bias) of sample {@code xb} (offset into x) for filters [f0, f1) into
     * buf[p * fb + f - f0]: bias, then one fma per tap in the order i, j, channel, as ConvVector,
     * so the same bits. Outputs whose window lies inside the input (all of them for "valid") go
     * by filter vector in passes of four taps (one for the last few) whose kernel vectors stay in
     * registers while the pass sweeps the positions: 6x faster than per position on W5's 2x2
     * kernel over one channel, whose vectors were read and written back per tap. The rest (a
     * "same" border, the filters past the last whole vector) take {@link #convPosition}.
     * {@code bias} is never null (zeros for a convolution without one: the same bits as starting
     * from 0); {@code taps} is scratch of {@link #tapsSize}.
     */
    static void conv(float[] x, int xb, ConvGeometry g, float[] kernel, float[] bias, int filters, int f0, int f1,
                     float[] buf, int[] taps) {
        int fb = f1 - f0;
        int vEnd = vectorEnd(filters, f0, f1);
        int h0 = interiorStart(g.strideH, g.padTop);
        int h1 = Math.max(h0, interiorEnd(g.inH, g.outH, g.kH, g.strideH, g.dilationH, g.padTop));
        int w0 = interiorStart(g.strideW, g.padLeft);
        int w1 = Math.max(w0, interiorEnd(g.inW, g.outW, g.kW, g.strideW, g.dilationW, g.padLeft));
        boolean passesDoAll = vEnd == f1 && h0 == 0 && h1 == g.outH && w0 == 0 && w1 == g.outW;
        for (int oh = 0; oh < g.outH && !passesDoAll; oh++) {
            boolean rowInside = oh >= h0 && oh < h1;
            for (int ow = 0; ow < g.outW; ow++) {
                boolean inside = rowInside && ow >= w0 && ow < w1;
                // Inside positions have their vector filters from the passes below.
                convPosition(x, xb, g, kernel, bias, filters, f0, f1, inside ? vEnd : f0, buf, oh, ow, taps);
            }
        }
        if (vEnd == f0 || h1 == h0 || w1 == w0) {
            return;
        }
        // Each tap's input offset from its window's first element (kernel row t * filters).
        int c = g.channels;
        int n = 0;
        for (int i = 0; i < g.kH; i++) {
            for (int j = 0; j < g.kW; j++) {
                for (int ch = 0; ch < c; ch++) {
                    taps[n++] = (i * g.dilationH * g.inW + j * g.dilationW) * c + ch;
                }
            }
        }
        for (int f = f0; f < vEnd; f += L) {
            int t = 0;
            for (; t + 4 <= n; t += 4) {
                pass4(x, xb, g, kernel, filters, f, fb, f0, t, taps, t == 0 ? bias : buf, t == 0, buf, h0, h1, w0, w1);
            }
            for (; t < n; t++) {
                pass1(x, xb, g, kernel, filters, f, fb, f0, t, taps, t == 0 ? bias : buf, t == 0, buf, h0, h1, w0, w1);
            }
        }
    }

    /**
     * Taps t..t+3 for filter vector f over the inside positions: from {@code src} (the bias when
     * {@code first}, else the sums so far in buf) into buf.
     */
    private static void pass4(float[] x, int xb, ConvGeometry g, float[] kernel, int filters, int f, int fb, int f0,
                              int t, int[] taps, float[] src, boolean first, float[] buf, int h0, int h1, int w0, int w1) {
        FloatVector k0 = FloatVector.fromArray(S, kernel, t * filters + f);
        FloatVector k1 = FloatVector.fromArray(S, kernel, (t + 1) * filters + f);
        FloatVector k2 = FloatVector.fromArray(S, kernel, (t + 2) * filters + f);
        FloatVector k3 = FloatVector.fromArray(S, kernel, (t + 3) * filters + f);
        int d0 = taps[t];
        int d1 = taps[t + 1];
        int d2 = taps[t + 2];
        int d3 = taps[t + 3];
        int c = g.channels;
        for (int oh = h0; oh < h1; oh++) {
            int xr = xb + ((oh * g.strideH - g.padTop) * g.inW - g.padLeft) * c;
            for (int ow = w0; ow < w1; ow++) {
                int xi = xr + ow * g.strideW * c;
                int o = (oh * g.outW + ow) * fb - f0 + f;
                FloatVector acc = FloatVector.fromArray(S, src, first ? f : o);
                acc = k0.fma(FloatVector.broadcast(S, x[xi + d0]), acc);
                acc = k1.fma(FloatVector.broadcast(S, x[xi + d1]), acc);
                acc = k2.fma(FloatVector.broadcast(S, x[xi + d2]), acc);
                acc = k3.fma(FloatVector.broadcast(S, x[xi + d3]), acc);
                acc.intoArray(buf, o);
            }
        }
    }

    /** {@link #pass4} for the one tap t. */
    private static void pass1(float[] x, int xb, ConvGeometry g, float[] kernel, int filters, int f, int fb, int f0,
                              int t, int[] taps, float[] src, boolean first, float[] buf, int h0, int h1, int w0, int w1) {
        FloatVector k0 = FloatVector.fromArray(S, kernel, t * filters + f);
        int d0 = taps[t];
        int c = g.channels;
        for (int oh = h0; oh < h1; oh++) {
            int xr = xb + ((oh * g.strideH - g.padTop) * g.inW - g.padLeft) * c;
            for (int ow = w0; ow < w1; ow++) {
                int xi = xr + ow * g.strideW * c;
                int o = (oh * g.outW + ow) * fb - f0 + f;
                k0.fma(FloatVector.broadcast(S, x[xi + d0]), FloatVector.fromArray(S, src, first ? f : o)).intoArray(buf, o);
            }
        }
    }

    /**
     * Output position (oh, ow) for filters [fStart, f1) (vectors up to the block's vector end,
     * then scalar), summed tap by tap through buf as ConvVector does.
     */
    private static void convPosition(float[] x, int xb, ConvGeometry g, float[] kernel, float[] bias, int filters,
                                     int f0, int f1, int fStart, float[] buf, int oh, int ow, int[] taps) {
        if (fStart >= f1) {
            return;
        }
        int fb = f1 - f0;
        int vEnd = Math.max(fStart, vectorEnd(filters, f0, f1));
        int o = (oh * g.outW + ow) * fb - f0; // buf index of filter f is o + f
        System.arraycopy(bias, fStart, buf, o + fStart, f1 - fStart);
        int n = windowTaps(g, xb, filters, oh, ow, taps);
        for (int t = 0; t < n; t += 2) {
            int k0 = taps[t + 1];
            float xv = x[taps[t]];
            FloatVector xvv = FloatVector.broadcast(S, xv);
            int f = fStart;
            for (; f < vEnd; f += L) {
                FloatVector.fromArray(S, kernel, k0 + f).fma(xvv, FloatVector.fromArray(S, buf, o + f))
                        .intoArray(buf, o + f);
            }
            for (; f < f1; f++) {
                buf[o + f] += xv * kernel[k0 + f];
            }
        }
    }

    /**
     * The taps of output position (oh, ow) that fall inside the input, in the order i, j,
     * channel: {@code taps[2t]} the input index, {@code taps[2t + 1]} the tap's kernel row
     * ({@code [kH, kW, C, filters]}). Returns twice their count.
     */
    private static int windowTaps(ConvGeometry g, int xb, int filters, int oh, int ow, int[] taps) {
        int c = g.channels;
        int n = 0;
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
                    taps[n++] = xi + ch;
                    taps[n++] = kb + ch * filters;
                }
            }
        }
        return n;
    }

    /**
     * The buffer offsets of the real (unpadded) elements of pooling window (oh, ow), in window
     * order, into {@code offsets}; returns their count.
     */
    static int window(ConvGeometry pg, int oh, int ow, int fb, int[] offsets) {
        int n = 0;
        for (int i = 0; i < pg.kH; i++) {
            int ih = oh * pg.strideH - pg.padTop + i;
            if (ih < 0 || ih >= pg.inH) {
                continue;
            }
            for (int j = 0; j < pg.kW; j++) {
                int iw = ow * pg.strideW - pg.padLeft + j;
                if (iw >= 0 && iw < pg.inW) {
                    offsets[n++] = (ih * pg.inW + iw) * fb;
                }
            }
        }
        return n;
    }

    /**
     * Max pooling of the block's convolution output (after the activation) into
     * {@code out[ob + q * filters + f]}; with {@code win}, also each output's winner code (see
     * {@link ConvPoolFused}): the window element that takes its gradient, negated minus one when
     * the activation's gradient there is zero ({@code relu}: the winner's value is not > 0).
     */
    static void pool(float[] buf, ConvGeometry pg, int filters, int f0, int f1, float[] out, int ob, float[] win,
                     boolean relu, int[] offsets) {
        int fb = f1 - f0;
        int vEnd = vectorEnd(filters, f0, f1);
        FloatVector zero = FloatVector.zero(S);
        // 2x2 windows all inside the input: the vector filters by pool4, the loops below do the rest.
        int vStart = f0;
        if (pg.kH * pg.kW == 4 && vEnd > f0 && allInside(pg)) {
            pool4(buf, pg, filters, f0, vEnd, fb, out, ob, win, relu);
            vStart = vEnd;
        }
        for (int oh = 0; oh < pg.outH; oh++) {
            for (int ow = 0; ow < pg.outW; ow++) {
                int o = ob + (oh * pg.outW + ow) * filters;
                int n = window(pg, oh, ow, fb, offsets);
                System.arraycopy(buf, offsets[0] + vStart - f0, out, o + vStart, f1 - vStart);
                for (int e = 1; e < n; e++) {
                    int xi = offsets[e] - f0;
                    int f = vStart;
                    for (; f < vEnd; f += L) {
                        FloatVector.fromArray(S, out, o + f).max(FloatVector.fromArray(S, buf, xi + f)).intoArray(out, o + f);
                    }
                    for (; f < f1; f++) {
                        out[o + f] = Math.max(out[o + f], buf[xi + f]);
                    }
                }
                if (win == null) {
                    continue;
                }
                int f = vStart;
                for (; f < vEnd; f += L) {
                    FloatVector yv = FloatVector.fromArray(S, out, o + f);
                    // The first element equal to the max (none for a NaN max: the first element).
                    FloatVector w = zero;
                    for (int e = n - 1; e >= 0; e--) {
                        VectorMask<Float> hit = FloatVector.fromArray(S, buf, offsets[e] - f0 + f).compare(VectorOperators.EQ, yv);
                        w = w.blend((float) e, hit);
                    }
                    if (relu) {
                        // The winner's value: the max, or for a NaN max the first element's.
                        FloatVector first = FloatVector.fromArray(S, buf, offsets[0] - f0 + f);
                        FloatVector v = yv.blend(first, yv.compare(VectorOperators.NE, yv));
                        VectorMask<Float> dead = v.compare(VectorOperators.GT, 0f).not();
                        w = w.blend(w.neg().sub(1f), dead);
                    }
                    w.intoArray(win, o + f);
                }
                for (; f < f1; f++) {
                    win[o + f] = ConvPoolFused.winnerScalar(buf, offsets, n, f - f0, out[o + f], relu);
                }
            }
        }
    }

    /**
     * {@link #pool} of the filter vectors [f0, vEnd) for 2x2 windows all inside the input: the four
     * elements loaded once, the max and the winner code unrolled (the same operations in the same
     * order as the general loops, so the same bits), and no vector merged across a branch, which
     * C2 boxes.
     */
    private static void pool4(float[] buf, ConvGeometry pg, int filters, int f0, int vEnd, int fb, float[] out, int ob,
                              float[] win, boolean relu) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector two = FloatVector.broadcast(S, 2f);
        FloatVector three = FloatVector.broadcast(S, 3f);
        int right = fb;
        int down = pg.inW * fb;
        for (int oh = 0; oh < pg.outH; oh++) {
            for (int ow = 0; ow < pg.outW; ow++) {
                int o = ob + (oh * pg.outW + ow) * filters;
                int e0 = (oh * pg.strideH * pg.inW + ow * pg.strideW) * fb - f0;
                for (int f = f0; f < vEnd; f += L) {
                    FloatVector v0 = FloatVector.fromArray(S, buf, e0 + f);
                    FloatVector v1 = FloatVector.fromArray(S, buf, e0 + right + f);
                    FloatVector v2 = FloatVector.fromArray(S, buf, e0 + down + f);
                    FloatVector v3 = FloatVector.fromArray(S, buf, e0 + down + right + f);
                    FloatVector y = v0.max(v1).max(v2).max(v3);
                    y.intoArray(out, o + f);
                    if (win == null) {
                        continue;
                    }
                    // The first element equal to the max (none for a NaN max: the first element).
                    FloatVector w = zero.blend(three, v3.compare(VectorOperators.EQ, y))
                            .blend(two, v2.compare(VectorOperators.EQ, y))
                            .blend(one, v1.compare(VectorOperators.EQ, y))
                            .blend(zero, v0.compare(VectorOperators.EQ, y));
                    if (relu) {
                        // The winner's value: the max, or for a NaN max the first element's.
                        VectorMask<Float> dead = y.blend(v0, y.compare(VectorOperators.NE, y))
                                .compare(VectorOperators.GT, zero).not();
                        w.blend(w.neg().sub(one), dead).intoArray(win, o + f);
                    } else {
                        w.intoArray(win, o + f);
                    }
                }
            }
        }
    }

    /**
     * Backward of one sample for filters [f0, f1): routes the pooled gradients {@code dy} to the
     * winners (zero where the activation's gradient is), into {@code dz} ({@code [positions, fb]}),
     * then the convolution's backward from dz, adding into dKernel, dBias (may be null) and, for a
     * block of all filters only, dx (may be null).
     */
    static void backward(float[] x, int xb, ConvGeometry g, float[] kernel, int filters, int f0, int f1,
                         ConvGeometry pg, float[] dy, int ob, float[] win, float[] dz, int[] offsets,
                         float[] dKernel, float[] dBias, float[] dx, float[] lanes, int[] taps) {
        int fb = f1 - f0;
        int vEnd = vectorEnd(filters, f0, f1);
        java.util.Arrays.fill(dz, 0, g.outputPositions() * fb, 0f);
        FloatVector zero = FloatVector.zero(S);
        for (int oh = 0; oh < pg.outH; oh++) {
            for (int ow = 0; ow < pg.outW; ow++) {
                int o = ob + (oh * pg.outW + ow) * filters;
                int n = window(pg, oh, ow, fb, offsets);
                int f = f0;
                for (; f < vEnd; f += L) {
                    FloatVector w = FloatVector.fromArray(S, win, o + f);
                    VectorMask<Float> live = w.compare(VectorOperators.GE, 0f);
                    FloatVector at = w.blend(w.neg().sub(1f), live.not());
                    FloatVector d = zero.blend(FloatVector.fromArray(S, dy, o + f), live);
                    // Every window element adds its share (zero unless it won), as the unfused
                    // pooling backward does, so each sum sees the same additions in the same order.
                    for (int e = 0; e < n; e++) {
                        int zi = offsets[e] - f0 + f;
                        FloatVector.fromArray(S, dz, zi).add(zero.blend(d, at.compare(VectorOperators.EQ, (float) e)))
                                .intoArray(dz, zi);
                    }
                }
                for (; f < f1; f++) {
                    float w = win[o + f];
                    boolean live = w >= 0f;
                    int at = (int) (live ? w : -w - 1f);
                    float d = live ? dy[o + f] : 0f;
                    for (int e = 0; e < n; e++) {
                        dz[offsets[e] - f0 + f] += e == at ? d : 0f;
                    }
                }
            }
        }
        // Without an input gradient and with every window inside the input ("valid"), the vector
        // filters' weight gradients go by register passes (weightGradientPasses); the loops below
        // then do only the filters past the last whole vector.
        int vStart = f0;
        if (dx == null && vEnd > f0 && allInside(g)) {
            weightGradientPasses(x, xb, g, filters, f0, vEnd, fb, dz, dKernel, dBias, taps);
            vStart = vEnd;
            if (vStart == f1) {
                return;
            }
        }
        for (int oh = 0; oh < g.outH; oh++) {
            for (int ow = 0; ow < g.outW; ow++) {
                int o = (oh * g.outW + ow) * fb - f0; // dz index of filter f is o + f
                if (dBias != null) {
                    int f = vStart;
                    for (; f < vEnd; f += L) {
                        FloatVector.fromArray(S, dBias, f).add(FloatVector.fromArray(S, dz, o + f)).intoArray(dBias, f);
                    }
                    for (; f < f1; f++) {
                        dBias[f] += dz[o + f];
                    }
                }
                int n = windowTaps(g, xb, filters, oh, ow, taps);
                for (int t = 0; t < n; t += 2) {
                    int xi = taps[t];
                    int k0 = taps[t + 1];
                    float xv = x[xi];
                    FloatVector xbv = FloatVector.broadcast(S, xv);
                    FloatVector dot = FloatVector.zero(S);
                    int f = vStart;
                    for (; f < vEnd; f += L) {
                        FloatVector d = FloatVector.fromArray(S, dz, o + f);
                        d.fma(xbv, FloatVector.fromArray(S, dKernel, k0 + f)).intoArray(dKernel, k0 + f);
                        if (dx != null) {
                            dot = d.fma(FloatVector.fromArray(S, kernel, k0 + f), dot);
                        }
                    }
                    float dotTail = 0f;
                    for (; f < f1; f++) {
                        dKernel[k0 + f] += xv * dz[o + f];
                        dotTail += kernel[k0 + f] * dz[o + f];
                    }
                    if (dx != null) {
                        // Lanes summed in a fixed order, as ConvVector (never reduceLanes).
                        dot.intoArray(lanes, 0);
                        float sum = 0f;
                        for (int q = 0; q < L; q++) {
                            sum += lanes[q];
                        }
                        dx[xi] += sum + dotTail;
                    }
                }
            }
        }
    }

    /** Whether every output position's window lies inside the input (no padding reaches it). */
    private static boolean allInside(ConvGeometry g) {
        return interiorStart(g.strideH, g.padTop) == 0 && interiorStart(g.strideW, g.padLeft) == 0
                && interiorEnd(g.inH, g.outH, g.kH, g.strideH, g.dilationH, g.padTop) == g.outH
                && interiorEnd(g.inW, g.outW, g.kW, g.strideW, g.dilationW, g.padLeft) == g.outW;
    }

    /**
     * dBias and dKernel of the filter vectors [f0, vEnd) from dz, every window inside the input:
     * per filter vector, the bias sum and then the taps four at a time, each gradient summed in a
     * register over the positions in order and stored once (the loops in {@link #backward} read
     * and wrote each back per position). Each sum sees the same additions in the same order, so
     * the same bits.
     */
    private static void weightGradientPasses(float[] x, int xb, ConvGeometry g, int filters, int f0, int vEnd, int fb,
                                             float[] dz, float[] dKernel, float[] dBias, int[] taps) {
        int c = g.channels;
        int n = 0;
        for (int i = 0; i < g.kH; i++) {
            for (int j = 0; j < g.kW; j++) {
                for (int ch = 0; ch < c; ch++) {
                    taps[n++] = (i * g.dilationH * g.inW + j * g.dilationW) * c + ch;
                }
            }
        }
        for (int f = f0; f < vEnd; f += L) {
            if (dBias != null) {
                biasGradientPass(g, f, fb, f0, dz, dBias);
            }
            int t = 0;
            for (; t + 4 <= n; t += 4) {
                kernelGradientPass4(x, xb, g, filters, f, fb, f0, t, taps, dz, dKernel);
            }
            for (; t < n; t++) {
                kernelGradientPass1(x, xb, g, filters, f, fb, f0, t, taps, dz, dKernel);
            }
        }
    }

    private static void biasGradientPass(ConvGeometry g, int f, int fb, int f0, float[] dz, float[] dBias) {
        FloatVector acc = FloatVector.fromArray(S, dBias, f);
        int positions = g.outputPositions();
        for (int p = 0; p < positions; p++) {
            acc = acc.add(FloatVector.fromArray(S, dz, p * fb - f0 + f));
        }
        acc.intoArray(dBias, f);
    }

    private static void kernelGradientPass4(float[] x, int xb, ConvGeometry g, int filters, int f, int fb, int f0,
                                            int t, int[] taps, float[] dz, float[] dKernel) {
        FloatVector a0 = FloatVector.fromArray(S, dKernel, t * filters + f);
        FloatVector a1 = FloatVector.fromArray(S, dKernel, (t + 1) * filters + f);
        FloatVector a2 = FloatVector.fromArray(S, dKernel, (t + 2) * filters + f);
        FloatVector a3 = FloatVector.fromArray(S, dKernel, (t + 3) * filters + f);
        int d0 = taps[t];
        int d1 = taps[t + 1];
        int d2 = taps[t + 2];
        int d3 = taps[t + 3];
        // One flat loop over the positions: vectors carried through nested loops get boxed by C2.
        int positions = g.outputPositions();
        int c = g.channels;
        int rowStep = g.strideH * g.inW * c;
        int colStep = g.strideW * c;
        int ow = 0;
        int xi = xb;
        int xr = xb;
        for (int p = 0; p < positions; p++) {
            FloatVector d = FloatVector.fromArray(S, dz, p * fb - f0 + f);
            a0 = d.fma(FloatVector.broadcast(S, x[xi + d0]), a0);
            a1 = d.fma(FloatVector.broadcast(S, x[xi + d1]), a1);
            a2 = d.fma(FloatVector.broadcast(S, x[xi + d2]), a2);
            a3 = d.fma(FloatVector.broadcast(S, x[xi + d3]), a3);
            if (++ow == g.outW) {
                ow = 0;
                xr += rowStep;
                xi = xr;
            } else {
                xi += colStep;
            }
        }
        a0.intoArray(dKernel, t * filters + f);
        a1.intoArray(dKernel, (t + 1) * filters + f);
        a2.intoArray(dKernel, (t + 2) * filters + f);
        a3.intoArray(dKernel, (t + 3) * filters + f);
    }

    private static void kernelGradientPass1(float[] x, int xb, ConvGeometry g, int filters, int f, int fb, int f0,
                                            int t, int[] taps, float[] dz, float[] dKernel) {
        FloatVector a0 = FloatVector.fromArray(S, dKernel, t * filters + f);
        int d0 = taps[t];
        int positions = g.outputPositions();
        int c = g.channels;
        int rowStep = g.strideH * g.inW * c;
        int colStep = g.strideW * c;
        int ow = 0;
        int xi = xb;
        int xr = xb;
        for (int p = 0; p < positions; p++) {
            FloatVector d = FloatVector.fromArray(S, dz, p * fb - f0 + f);
            a0 = d.fma(FloatVector.broadcast(S, x[xi + d0]), a0);
            if (++ow == g.outW) {
                ow = 0;
                xr += rowStep;
                xi = xr;
            } else {
                xi += colStep;
            }
        }
        a0.intoArray(dKernel, t * filters + f);
    }
}
