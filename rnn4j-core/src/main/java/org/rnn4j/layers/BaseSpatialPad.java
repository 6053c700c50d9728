package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's ZeroPadding1D/2D and Cropping1D/2D: adds zeros around, or removes a border from, the
 * spatial axes. Both directions are the same window copy, {@code dst[i] = src[i - offset]} (zero
 * where outside {@code src}), so each one's backward is the other. Stateless; masks are dropped as
 * in Keras.
 */
public abstract class BaseSpatialPad extends Layer {
    private final int rank;
    private final boolean crop;
    private final int[][] amounts;
    private boolean channelsFirst;

    protected BaseSpatialPad(int rank, boolean crop, int[][] amounts) {
        this.rank = rank;
        this.crop = crop;
        if (amounts.length != rank) {
            throw new IllegalArgumentException(className() + ": needs " + rank + " (before, after) pair(s)");
        }
        this.amounts = new int[rank][];
        for (int i = 0; i < rank; i++) {
            if (amounts[i].length != 2 || amounts[i][0] < 0 || amounts[i][1] < 0) {
                throw new IllegalArgumentException(className() + ": " + (crop ? "cropping" : "padding")
                        + " values must be non-negative (before, after) pairs, got " + java.util.Arrays.toString(amounts[i]));
            }
            this.amounts[i] = amounts[i].clone();
        }
    }

    /** {@code (before, after)} per spatial axis. */
    public int[][] amounts() {
        int[][] a = new int[rank][];
        for (int i = 0; i < rank; i++) {
            a[i] = amounts[i].clone();
        }
        return a;
    }

    protected void setChannelsFirst(boolean value) {
        checkNotBuilt();
        channelsFirst = value;
    }

    public boolean channelsFirst() {
        return channelsFirst;
    }

    private int firstSpatial() {
        return channelsFirst ? 1 : 0;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length != rank + 1) {
            throw shapeError(rank == 1 ? "(None, steps, channels)" : "(None, rows, cols, channels)", in);
        }
        int[] out = in.clone();
        for (int i = 0; i < rank; i++) {
            int a = firstSpatial() + i;
            if (in[a] < 0) {
                continue;
            }
            int total = amounts[i][0] + amounts[i][1];
            out[a] = crop ? in[a] - total : in[a] + total;
            if (out[a] <= 0) {
                // Keras's wording first, so its error text is found in ours
                throw new LayerShapeException("Layer '" + name() + "' (" + className() + "): Values in `cropping` "
                        + "argument should be smaller than the corresponding spatial dimension of the input. Cropping "
                        + java.util.Arrays.toString(amounts[i]) + " must be smaller than the input length "
                        + in[a] + " on spatial axis " + (i + 1) + " of input " + Shapes.withBatch(in)
                        + "; crop less, or give a larger input");
            }
        }
        return out;
    }

    /** Per-axis offsets (batch included) of the forward copy. */
    private int[] offsets(int sign) {
        int[] off = new int[rank + 2];
        for (int i = 0; i < rank; i++) {
            off[1 + firstSpatial() + i] = sign * amounts[i][0];
        }
        return off;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        if (x.rank() != rank + 2) {
            throw shapeError(rank == 1 ? "(None, steps, channels)" : "(None, rows, cols, channels)",
                    Shapes.dropFirst(x.shape()));
        }
        int[] out = computeOutputShape(Shapes.dropFirst(x.shape()));
        int[] outShape = new int[rank + 2];
        outShape[0] = x.dim(0);
        System.arraycopy(out, 0, outShape, 1, out.length);
        if (training) {
            ctx.state(() -> new int[][] {x.shape()})[0] = x.shape();
        }
        return shift(x, outShape, offsets(crop ? -1 : 1));
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        int[][] s = ctx.existingState();
        if (s == null) {
            throw noForwardRecorded();
        }
        if (!ctx.inputGradientNeeded()) {
            return null;
        }
        return shift(gradOutput, s[0], offsets(crop ? 1 : -1));
    }

    /** {@code dst[i] = src[i - off]} where in range, else 0 (any rank). */
    static Tensor shift(Tensor src, int[] dstShape, int[] off) {
        int[] ss = src.shape();
        int r = ss.length;
        int[] srcStride = new int[r];
        int st = 1;
        for (int a = r - 1; a >= 0; a--) {
            srcStride[a] = st;
            st *= ss[a];
        }
        Tensor dst = Tensor.zeros(dstShape);
        float[] d = dst.data();
        float[] sd = src.data();
        int last = r - 1;
        int[] idx = new int[r];
        int rows = d.length / dstShape[last];
        // Rows of the last axis: find the source row, then copy the overlapping run at once.
        for (int row = 0; row < rows; row++) {
            int rem = row;
            int srcOff = 0;
            boolean inside = true;
            for (int a = last - 1; a >= 0; a--) {
                idx[a] = rem % dstShape[a];
                rem /= dstShape[a];
                int si = idx[a] - off[a];
                if (si < 0 || si >= ss[a]) {
                    inside = false;
                }
                srcOff += si * srcStride[a];
            }
            if (!inside) {
                continue;
            }
            int from = Math.max(0, off[last]);
            int to = Math.min(dstShape[last], ss[last] + off[last]);
            if (to > from) {
                System.arraycopy(sd, srcOff + from - off[last], d, row * dstShape[last] + from, to - from);
            }
        }
        return dst;
    }

    static List<Object> pairs(int[][] a, boolean nested) {
        List<Object> out = new ArrayList<>();
        for (int[] p : a) {
            if (nested) {
                out.add(List.of(p[0], p[1]));
            } else {
                out.add(p[0]);
                out.add(p[1]);
            }
        }
        return out;
    }

    /** Keras's pair options: an int, a pair, or (2D) a pair of ints/pairs. */
    static int[][] readPairs(ConfigReader c, String key, Object v, int rank, int[][] dflt) {
        if (v == null) {
            return dflt;
        }
        if (rank == 1) {
            return new int[][] {DataFormats.nonNegative(c, key, v, 2)};
        }
        if (v instanceof List<?> l && l.size() == 2) {
            return new int[][] {DataFormats.nonNegative(c, key, l.get(0), 2), DataFormats.nonNegative(c, key, l.get(1), 2)};
        }
        if (v instanceof List) {
            throw c.error("option " + key + " must have two entries, got " + v);
        }
        int[] p = DataFormats.nonNegative(c, key, v, 2);
        return new int[][] {p, p.clone()};
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put(crop ? "cropping" : "padding", pairs(amounts, rank == 2));
        if (rank == 2 || !crop) {
            c.put("data_format", channelsFirst ? "channels_first" : "channels_last");
        }
        return c;
    }
}
