package org.rnn4j.layers.merging;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code Concatenate(axis=-1)}: joins one or more inputs of equal rank along {@code axis}.
 * The axis counts the batch axis as 0, as in Keras, and may be negative ({@code -1} = last); the
 * batch axis itself cannot be joined. All other sizes must agree (None matches anything); the
 * output takes them from the first input, and its size along the axis is the sum, or None if any
 * input's is None (Keras's {@code compute_output_shape}).
 *
 * <p>Masks, as Keras's {@code Concatenate.compute_mask} for {@code [batch, time, features]} inputs:
 * none when no input has a mask; otherwise an input without a mask counts as all steps kept and
 * the masks are joined the way the values are: along the time axis ({@code axis=1} or
 * {@code -2}) the output mask is the masks one after the other, along any later axis it is their
 * OR (so one unmasked input keeps every step).
 */
public class Concatenate extends Merge {
    private final int axis;

    /** Concatenates along the last axis (Keras's default {@code axis=-1}). */
    public Concatenate() {
        this(-1);
    }

    public Concatenate(int axis) {
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    /** Rebuilds the layer from its Keras config: {@code axis} (default -1), {@code name}, {@code trainable}. */
    public static Concatenate fromConfig(Map<String, Object> config) {
        Object a = config == null ? null : config.get("axis");
        return Configs.common(new Concatenate(a == null ? -1 : Configs.toInt(a, "axis", "Concatenate")), config);
    }

    @Override
    public Concatenate name(String newName) {
        super.name(newName);
        return this;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("axis", axis);
        return c;
    }

    /** The concatenation axis as an index into the full shape (batch = 0) of the given rank, or -1. */
    private int resolve(int fullRank) {
        int a = axis < 0 ? axis + fullRank : axis;
        return a >= 1 && a < fullRank ? a : -1;
    }

    @Override
    protected int[] mergedShape(List<int[]> shapes) {
        int rank = shapes.get(0).length;
        for (int[] s : shapes) {
            if (s.length != rank) {
                throw mismatch(shapes, "inputs must have the same rank");
            }
        }
        int a = resolve(rank + 1);
        if (a < 0) {
            throw new LayerShapeException(prefix() + "axis " + axis + " is out of range for inputs of shapes "
                    + Shapes.listToString(shapes) + (axis == 0 || axis == -(rank + 1)
                    ? " (the batch axis cannot be concatenated)" : ""));
        }
        int p = a - 1;   // per-sample index
        for (int d = 0; d < rank; d++) {
            if (d == p) {
                continue;
            }
            int known = -1;
            for (int[] s : shapes) {
                if (s[d] >= 0) {
                    if (known >= 0 && known != s[d]) {
                        throw mismatch(shapes, "axis " + (d + 1) + " has sizes " + known + " and " + s[d]);
                    }
                    known = s[d];
                }
            }
        }
        int[] out = shapes.get(0).clone();
        for (int i = 1; i < shapes.size(); i++) {
            if (out[p] < 0 || shapes.get(i)[p] < 0) {
                out[p] = -1;
                break;
            }
            out[p] += shapes.get(i)[p];
        }
        return out;
    }

    private LayerShapeException mismatch(List<int[]> shapes, String why) {
        return new LayerShapeException(prefix() + "requires inputs with matching shapes except for the concatenation axis "
                + axis + "; received input shapes " + Shapes.listToString(shapes) + " (" + why + ")");
    }

    /** The recorded input shapes and the geometry of the call, for backward. */
    private static final class Call {
        int[][] shapes;
        int outer;
        int inner;
        int[] sizes;
        boolean recorded;
    }

    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        checkInputs(inputs, masks);
        int n = inputs.size();
        List<int[]> sample = new ArrayList<>(n);
        for (Tensor t : inputs) {
            sample.add(Shapes.dropFirst(t.shape()));
        }
        int[] outSample = mergedShape(sample);   // concrete sizes: validates the call
        int rank = outSample.length + 1;
        int a = resolve(rank);
        int batch = inputs.get(0).dim(0);
        int[] outShape = Shapes.prepend(batch, outSample);
        int outer = Shapes.product(outShape, 0, a);
        int inner = Shapes.product(outShape, a + 1, rank);
        int[] sizes = new int[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            sizes[i] = inputs.get(i).dim(a);
            total += sizes[i];
        }
        float[] out = new float[(int) Shapes.size(outShape)];
        int row = total * inner;
        int off = 0;
        for (int i = 0; i < n; i++) {
            float[] x = inputs.get(i).data();
            int chunk = sizes[i] * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(x, o * chunk, out, o * row + off, chunk);
            }
            off += chunk;
        }
        if (training) {
            Call c = ctx.state(Call::new);
            int[][] shapes = new int[n][];
            for (int i = 0; i < n; i++) {
                shapes[i] = inputs.get(i).shape();
            }
            c.shapes = shapes;
            c.outer = outer;
            c.inner = inner;
            c.sizes = sizes;
            c.recorded = true;
        }
        return List.of(Tensor.of(out, outShape));
    }

    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        Call c = ctx.existingState();
        if (c == null || !c.recorded) {
            throw noForwardRecorded();
        }
        int n = c.shapes.length;
        if (!ctx.inputGradientNeeded()) {
            return nulls(n);
        }
        Tensor g = gradOutputs.get(0);
        int total = 0;
        for (int s : c.sizes) {
            total += s;
        }
        int row = total * c.inner;
        List<Tensor> out = new ArrayList<>(n);
        int off = 0;
        for (int i = 0; i < n; i++) {
            int chunk = c.sizes[i] * c.inner;
            float[] d = new float[c.outer * chunk];
            if (g != null) {
                if (g.size() != c.outer * row) {
                    throw new IllegalArgumentException(prefix() + "gradient of shape " + Shapes.toString(g.shape())
                            + " does not match the output of the recorded forward");
                }
                for (int o = 0; o < c.outer; o++) {
                    System.arraycopy(g.data(), o * row + off, d, o * chunk, chunk);
                }
            }
            off += chunk;
            out.add(Tensor.of(d, c.shapes[i].clone()));
        }
        return out;
    }

    /** See the class comment: joined along time, OR-ed along features, an unmasked input counts as kept. */
    @Override
    public List<Mask> computeMasks(List<Tensor> inputs, List<Mask> masks) {
        if (masks == null) {
            return Collections.singletonList(null);
        }
        if (masks.size() != inputs.size()) {
            throw new IllegalArgumentException(prefix() + "got " + inputs.size() + " inputs but " + masks.size() + " masks");
        }
        boolean anyMask = false;
        for (int i = 0; i < masks.size(); i++) {
            if (masks.get(i) != null) {
                checkMaskFits(masks.get(i), inputs.get(i), i);
                anyMask = true;
            }
        }
        if (!anyMask) {
            return Collections.singletonList(null);
        }
        int rank = inputs.get(0).rank();
        int batch = inputs.get(0).dim(0);
        int a = resolve(rank);
        if (a == 1) {
            int total = 0;
            for (Tensor t : inputs) {
                total += t.dim(1);
            }
            boolean[] v = new boolean[batch * total];
            int off = 0;
            for (int i = 0; i < inputs.size(); i++) {
                int t = inputs.get(i).dim(1);
                Mask m = masks.get(i);
                for (int b = 0; b < batch; b++) {
                    if (m == null) {
                        Arrays.fill(v, b * total + off, b * total + off + t, true);
                    } else {
                        System.arraycopy(m.values(), b * t, v, b * total + off, t);
                    }
                }
                off += t;
            }
            return Collections.singletonList(new Mask(v, batch, total));
        }
        int time = inputs.get(0).dim(1);
        boolean[] v = new boolean[batch * time];
        for (Mask m : masks) {
            if (m == null) {
                Arrays.fill(v, true);
                break;
            }
            boolean[] mv = m.values();
            for (int k = 0; k < v.length; k++) {
                v[k] |= mv[k];
            }
        }
        return Collections.singletonList(new Mask(v, batch, time));
    }
}
