package org.rnn4j.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Tensor;

/**
 * An element-wise op of two arguments with NumPy broadcasting ({@code Add}, {@code Subtract},
 * {@code Multiply}, {@code Divide}, {@code TrueDivide}). Each argument is a tensor or a constant
 * (a number or a small array, in full coordinates: right-aligned against the batch-first shape).
 * Tensor arguments have the output's rank, so their first axis is the batch axis.
 */
public abstract class BinaryOp extends Op {
    private final Constant[] constants = new Constant[2];

    /** Both arguments tensors ({@code x1 op x2}). */
    protected BinaryOp() {
        this(List.of(TENSOR, TENSOR));
    }

    /** A layout of two entries, each {@link Op#TENSOR} or a constant in Keras JSON form. */
    protected BinaryOp(List<Object> args) {
        super(args);
        if (args.size() != 2) {
            throw error("takes 2 arguments; got " + args.size() + ": " + args);
        }
        for (int i = 0; i < 2; i++) {
            Object a = args.get(i);
            if (a != TENSOR) {
                if (!Constant.isConstant(a)) {
                    throw error("argument " + i + " must be a tensor or a numeric constant; got " + a);
                }
                constants[i] = Constant.parse(this, a);
            }
        }
    }

    @Override
    public String kerasModule() {
        return "keras.src.ops.numpy";
    }

    abstract float apply(float a, float b);

    /** d(a op b)/da. */
    abstract float gradA(float a, float b);

    /** d(a op b)/db. */
    abstract float gradB(float a, float b);

    private int[][] fullShapes(List<int[]> tensorShapes, boolean perSample) {
        int[][] s = new int[2][];
        int t = 0;
        for (int i = 0; i < 2; i++) {
            s[i] = constants[i] != null ? constants[i].shape
                    : perSample ? OpShapes.full(tensorShapes.get(t++)) : tensorShapes.get(t++);
        }
        return s;
    }

    private int[] outShape(int[][] s) {
        int[] out = OpShapes.broadcast(s[0], s[1]);
        if (out == null) {
            throw new LayerShapeException(prefix() + "shapes " + OpShapes.str(s[0]) + " and " + OpShapes.str(s[1])
                    + " do not broadcast");
        }
        for (int i = 0; i < 2; i++) {
            if (constants[i] == null && s[i].length != out.length) {
                throw new LayerShapeException(prefix() + "the tensor of shape " + OpShapes.str(s[i])
                        + " would broadcast to rank " + out.length + " (other argument " + OpShapes.str(s[1 - i])
                        + "), moving its batch axis; give both tensors the same rank");
            }
        }
        return out;
    }

    @Override
    public List<int[]> computeOutputShapes(List<int[]> inputShapes) {
        checkTensorCount(inputShapes.size());
        int[] out = outShape(fullShapes(inputShapes, true));
        return List.of(OpShapes.perSample(out));
    }

    private static final class Call {
        int[][] shapes;
        int[] out;
        int[][] maps = new int[2][];
        float[][] vals = new float[2][];
    }

    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        checkTensorCount(inputs.size());
        List<int[]> shapes = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) {
            shapes.add(t.shape());
        }
        Call c = ctx.state(Call::new);
        int[][] s = fullShapes(shapes, false);
        if (c.out == null || !Arrays.deepEquals(s, c.shapes)) {
            c.shapes = s;
            c.out = outShape(s);
            for (int i = 0; i < 2; i++) {
                c.maps[i] = OpShapes.broadcastMap(c.out, s[i]);
            }
        }
        int t = 0;
        for (int i = 0; i < 2; i++) {
            c.vals[i] = constants[i] != null ? constants[i].data : inputs.get(t++).data();
        }
        Tensor y = Tensor.zeros(c.out);
        float[] yd = y.data();
        float[] a = c.vals[0];
        float[] b = c.vals[1];
        int[] ma = c.maps[0];
        int[] mb = c.maps[1];
        for (int e = 0; e < yd.length; e++) {
            yd[e] = apply(a[ma[e]], b[mb[e]]);
        }
        return List.of(y);
    }

    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        Call c = recorded(ctx);
        List<Tensor> dx = new ArrayList<>(2);
        Tensor g = gradOutputs.get(0);
        float[] a = c.vals[0];
        float[] b = c.vals[1];
        int[] ma = c.maps[0];
        int[] mb = c.maps[1];
        for (int i = 0; i < 2; i++) {
            if (constants[i] != null) {
                continue;
            }
            if (g == null || !ctx.inputGradientNeeded()) {
                dx.add(g == null ? Tensor.zeros(c.shapes[i]) : null);
                continue;
            }
            Tensor d = Tensor.zeros(c.shapes[i]);
            float[] dd = d.data();
            float[] gd = g.data();
            int[] m = c.maps[i];
            for (int e = 0; e < gd.length; e++) {
                float ae = a[ma[e]];
                float be = b[mb[e]];
                dd[m[e]] += gd[e] * (i == 0 ? gradA(ae, be) : gradB(ae, be));
            }
            dx.add(d);
        }
        return dx;
    }
}
