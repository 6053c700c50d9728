package org.rnn4j.layers.merging;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * The element-wise merges ({@link Add}, {@link Subtract}, {@link Multiply}, {@link Average},
 * {@link Maximum}, {@link Minimum}) with Keras's broadcasting: per-sample shapes are aligned at
 * their last axes (a shorter one gets size-1 axes inserted after the batch axis, as
 * {@code Merge.call} does with {@code expand_dims(x, 1)}), and per axis the sizes must be equal or
 * one of them 1; None (-1) at build time gives None. Batch sizes must be equal.
 */
abstract class ElementwiseMerge extends Merge {

    /** Whether the merge uses the input masks for its values (Multiply, Maximum, Minimum). */
    boolean usesMasks() {
        return false;
    }

    /**
     * Computes the output from the inputs. {@code xs[i][at(maps[i], e)]} is input i at output
     * element e; {@code masks[i]} is null or input i's mask per output element (only when
     * {@link #usesMasks()}); {@code rec} is the call's state for backward.
     */
    abstract void combine(float[][] xs, int[][] maps, boolean[][] masks, int size, float[] out, Call rec);

    /** Adds d(output)/d(input i) * g into {@code dx[i]} for every input. */
    abstract void distribute(float[] g, Call rec, float[][] dx);

    static int at(int[] map, int e) {
        return map == null ? e : map[e];
    }

    // ---------------------------------------------------------------- shapes (Keras's compute_output_shape)

    @Override
    protected int[] mergedShape(List<int[]> shapes) {
        int[] out = shapes.get(0);
        for (int i = 1; i < shapes.size(); i++) {
            out = pair(out, shapes.get(i), shapes);
        }
        return out.clone();
    }

    /** Keras's {@code _compute_elemwise_op_output_shape}. */
    private int[] pair(int[] a, int[] b, List<int[]> all) {
        if (a.length < b.length) {
            int[] t = a;
            a = b;
            b = t;
        }
        int[] out = a.clone();
        int off = a.length - b.length;
        for (int k = 0; k < b.length; k++) {
            int i = a[off + k];
            int j = b[k];
            if (i < 0 || j < 0) {
                out[off + k] = -1;
            } else if (i == 1) {
                out[off + k] = j;
            } else if (j == 1) {
                out[off + k] = i;
            } else if (i != j) {
                throw new LayerShapeException(prefix() + "inputs have incompatible shapes " + Shapes.listToString(all)
                        + ": sizes " + i + " and " + j + " do not broadcast");
            } else {
                out[off + k] = i;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- per-call state

    /** What one training forward leaves for backward, and buffers reused from call to call. */
    static final class Call {
        // broadcasting cache: the full input shapes it was made for, the output shape, the maps
        int[][] keyShapes;
        int[] outShape;
        int[][] maps;
        // recorded by a training forward
        boolean recorded;
        int n;
        int size;
        int[][] recShapes;
        int[][] recMaps;
        float[][] recXs;
        boolean[][] recMasks;
        boolean recAllMasked;
        int[] source;       // Maximum/Minimum: the input each output element came from
        boolean[][] trainMaskBuf;
        boolean[][] scratchMaskBuf;
        boolean[] keep;     // Multiply: the output mask per element
        float[] prefix;     // Multiply: partial products (n per element)
    }

    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        checkInputs(inputs, masks);
        Call c = ctx.state(Call::new);
        int n = inputs.size();
        prepare(c, inputs);
        int size = (int) Shapes.size(c.outShape);
        float[][] xs = new float[n][];
        for (int i = 0; i < n; i++) {
            xs[i] = inputs.get(i).data();
        }
        boolean[][] elementMasks = null;
        if (usesMasks() && masks != null) {
            elementMasks = elementMasks(c, inputs, masks, size, training);
        }
        float[] out = new float[size];
        if (training) {
            c.recorded = true;
            c.n = n;
            c.size = size;
            c.recShapes = c.keyShapes;
            c.recMaps = c.maps;
            c.recXs = xs;
            c.recMasks = elementMasks;
        }
        combine(xs, c.maps, elementMasks, size, out, training ? c : null);
        return List.of(Tensor.of(out, c.outShape.clone()));
    }

    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        Call c = ctx.existingState();
        if (c == null || !c.recorded) {
            throw noForwardRecorded();
        }
        if (!ctx.inputGradientNeeded()) {
            return nulls(c.n);
        }
        Tensor g = gradOutputs.get(0);
        float[][] dx = new float[c.n][];
        for (int i = 0; i < c.n; i++) {
            dx[i] = new float[(int) Shapes.size(c.recShapes[i])];
        }
        if (g != null) {
            if (g.size() != c.size) {
                throw new IllegalArgumentException(prefix() + "gradient of shape " + Shapes.toString(g.shape())
                        + " does not match the output of the recorded forward");
            }
            distribute(g.data(), c, dx);
        }
        List<Tensor> out = new ArrayList<>(c.n);
        for (int i = 0; i < c.n; i++) {
            out.add(Tensor.of(dx[i], c.recShapes[i].clone()));
        }
        return out;
    }

    /** Runtime broadcasting: output shape and, for each input that is broadcast, an index map. */
    private void prepare(Call c, List<Tensor> inputs) {
        int n = inputs.size();
        if (c.keyShapes != null && c.keyShapes.length == n) {
            boolean same = true;
            for (int i = 0; i < n && same; i++) {
                same = Arrays.equals(c.keyShapes[i], inputs.get(i).shape());
            }
            if (same) {
                return;
            }
        }
        int[][] shapes = new int[n][];
        int rank = 0;
        for (int i = 0; i < n; i++) {
            shapes[i] = inputs.get(i).shape();
            rank = Math.max(rank, shapes[i].length);
        }
        // align: insert size-1 axes after the batch axis (Keras's expand_dims(x, 1))
        int[][] padded = new int[n][rank];
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (int i = 0; i < n; i++) {
            int[] s = shapes[i];
            int pad = rank - s.length;
            padded[i][0] = s[0];
            for (int a = 1; a < rank; a++) {
                padded[i][a] = a - 1 < pad ? 1 : s[a - pad];
            }
            for (int a = 0; a < rank; a++) {
                int d = padded[i][a];
                if (d != 1) {
                    if (out[a] != 1 && out[a] != d) {
                        List<int[]> all = new ArrayList<>();
                        for (int[] sh : shapes) {
                            all.add(sh);
                        }
                        throw new LayerShapeException(prefix() + "inputs of shapes " + fullShapes(all)
                                + " do not broadcast (axis " + a + ": " + out[a] + " vs " + d + ")");
                    }
                    out[a] = d;
                }
            }
        }
        int size = (int) Shapes.size(out);
        int[][] maps = new int[n][];
        for (int i = 0; i < n; i++) {
            if (!Arrays.equals(padded[i], out)) {
                maps[i] = indexMap(padded[i], out, size);
            }
        }
        c.keyShapes = shapes;
        c.outShape = out;
        c.maps = maps;
    }

    private static int[] indexMap(int[] in, int[] out, int size) {
        int rank = out.length;
        int[] stride = new int[rank];
        int s = 1;
        for (int a = rank - 1; a >= 0; a--) {
            stride[a] = in[a] == 1 ? 0 : s;
            s *= in[a];
        }
        int[] map = new int[size];
        int[] idx = new int[rank];
        int off = 0;
        for (int e = 0; e < size; e++) {
            map[e] = off;
            for (int a = rank - 1; a >= 0; a--) {
                idx[a]++;
                off += stride[a];
                if (idx[a] < out[a]) {
                    break;
                }
                off -= stride[a] * idx[a];
                idx[a] = 0;
            }
        }
        return map;
    }

    /**
     * Each input's mask at every output element, or null for an input without a mask. As in Keras,
     * an input of lower rank than the others loses its mask here ({@code expand_dims} makes a new
     * tensor) while the output mask still ORs it.
     */
    private boolean[][] elementMasks(Call c, List<Tensor> inputs, List<Mask> masks, int size, boolean training) {
        int n = inputs.size();
        int rank = c.outShape.length;
        boolean[][] buf = training ? c.trainMaskBuf : c.scratchMaskBuf;
        if (buf == null || buf.length != n) {
            buf = new boolean[n][];
        }
        boolean[][] res = new boolean[n][];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            Mask m = masks.get(i);
            Tensor x = inputs.get(i);
            if (m == null || x.rank() != rank || x.size() == 0) {
                continue;
            }
            checkMaskFits(m, x, i);
            if (buf[i] == null || buf[i].length < size) {
                buf[i] = new boolean[size];
            }
            boolean[] v = m.values();
            int inner = x.size() / (x.dim(0) * x.dim(1));
            int[] map = c.maps[i];
            boolean[] em = buf[i];
            for (int e = 0; e < size; e++) {
                em[e] = v[at(map, e) / inner];
            }
            res[i] = em;
            any = true;
        }
        if (training) {
            c.trainMaskBuf = buf;
        } else {
            c.scratchMaskBuf = buf;
        }
        return any ? res : null;
    }
}
