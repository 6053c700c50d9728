package org.rnn4j.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Tensor;

/**
 * An op whose every output element is one input element ({@code Reshape}, {@code Transpose},
 * {@code ExpandDims}, {@code Squeeze}, {@code GetItem}, {@code Concatenate}): forward gathers,
 * backward scatters the gradient back (adding, for elements read more than once). The index map
 * is computed once per input shape and kept in the call's context.
 */
public abstract class GatherOp extends Op {
    protected GatherOp(List<Object> args) {
        super(args);
    }

    /** A gather plan: output shape, and for every output element its input and offset. */
    static final class Plan {
        final int[] outShape;
        final int[] source;   // null when there is one input
        final int[] offset;

        Plan(int[] outShape, int[] source, int[] offset) {
            this.outShape = outShape;
            this.source = source;
            this.offset = offset;
        }
    }

    /** The output shape (full coordinates, -1 unknown) for full input shapes; validates the op. */
    abstract int[] outputShape(List<int[]> fullInputShapes);

    /** The gather plan for concrete full input shapes. */
    abstract Plan plan(List<int[]> fullInputShapes);

    @Override
    public List<int[]> computeOutputShapes(List<int[]> inputShapes) {
        checkTensorCount(inputShapes.size());
        List<int[]> full = new ArrayList<>(inputShapes.size());
        for (int[] s : inputShapes) {
            full.add(OpShapes.full(s));
        }
        int[] out = outputShape(full);
        if (out.length == 0 || out[0] != -1) {
            throw error("the output " + OpShapes.str(out) + " has no batch axis first");
        }
        return List.of(OpShapes.perSample(out));
    }

    private static final class Call {
        List<int[]> shapes;
        Plan plan;
    }

    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        checkTensorCount(inputs.size());
        List<int[]> shapes = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) {
            shapes.add(t.shape());
        }
        Call c = ctx.state(Call::new);
        if (c.plan == null || !sameShapes(c.shapes, shapes)) {
            c.shapes = shapes;
            c.plan = plan(shapes);
        }
        Plan p = c.plan;
        Tensor y = Tensor.zeros(p.outShape);
        float[] yd = y.data();
        if (p.source == null) {
            float[] xd = inputs.get(0).data();
            for (int e = 0; e < yd.length; e++) {
                yd[e] = xd[p.offset[e]];
            }
        } else {
            float[][] xs = new float[inputs.size()][];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = inputs.get(i).data();
            }
            for (int e = 0; e < yd.length; e++) {
                yd[e] = xs[p.source[e]][p.offset[e]];
            }
        }
        return List.of(y);
    }

    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        Call c = recorded(ctx);
        Tensor g = gradOutputs.get(0);
        List<Tensor> dx = new ArrayList<>(c.shapes.size());
        if (g != null && !ctx.inputGradientNeeded()) {
            for (int i = 0; i < c.shapes.size(); i++) {
                dx.add(null);
            }
            return dx;
        }
        float[][] ds = new float[c.shapes.size()][];
        for (int[] s : c.shapes) {
            Tensor d = Tensor.zeros(s);
            ds[dx.size()] = d.data();
            dx.add(d);
        }
        if (g == null) {
            return dx;
        }
        Plan p = c.plan;
        float[] gd = g.data();
        for (int e = 0; e < gd.length; e++) {
            ds[p.source == null ? 0 : p.source[e]][p.offset[e]] += gd[e];
        }
        return dx;
    }

    private static boolean sameShapes(List<int[]> a, List<int[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The identity plan of a reshape to {@code out} (same element order). */
    static Plan identity(int[] out) {
        int n = 1;
        for (int d : out) {
            n *= d;
        }
        int[] off = new int[n];
        for (int i = 0; i < n; i++) {
            off[i] = i;
        }
        return new Plan(out, null, off);
    }
}
