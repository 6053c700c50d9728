package org.rnn4j.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code keras.src.ops.numpy.Matmul}: NumPy's {@code matmul} (the last two axes are the
 * matrices, leading axes broadcast; a 1-D argument is a vector). Either argument may be a
 * constant (e.g. {@code x @ W}). A tensor's batch axis must stay the output's first axis: the
 * left tensor has at least the right one's rank (its batch axis is then a batch or row axis),
 * the right tensor has rank 3 or more.
 */
public final class Matmul extends Op {
    private final Constant[] constants = new Constant[2];

    /** Both arguments tensors. */
    public Matmul() {
        this(List.of(TENSOR, TENSOR));
    }

    /** Two layout entries, each {@link Op#TENSOR} or a constant in Keras JSON form. */
    public Matmul(List<Object> args) {
        super(args);
        if (args.size() != 2) {
            throw error("takes 2 arguments; got " + args.size());
        }
        for (int i = 0; i < 2; i++) {
            if (args.get(i) != TENSOR) {
                if (!Constant.isConstant(args.get(i))) {
                    throw error("argument " + i + " must be a tensor or a numeric constant; got " + args.get(i));
                }
                constants[i] = Constant.parse(this, args.get(i));
            }
        }
    }

    @Override
    public String kerasModule() {
        return "keras.src.ops.numpy";
    }

    /** The geometry of one call. */
    private static final class Geometry {
        int[] out;
        int[] batch;
        int[] aBatch;
        int[] bBatch;
        int n;
        int k;
        int m;
    }

    private Geometry geometry(int[] sa0, int[] sb0) {
        if (sa0.length == 0 || sb0.length == 0) {
            throw error("matmul needs arguments of rank 1 or more; got " + OpShapes.str(sa0) + " and " + OpShapes.str(sb0));
        }
        boolean vecA = sa0.length == 1;
        boolean vecB = sb0.length == 1;
        int[] sa = vecA ? new int[] {1, sa0[0]} : sa0;
        int[] sb = vecB ? new int[] {sb0[0], 1} : sb0;
        Geometry g = new Geometry();
        g.aBatch = Arrays.copyOf(sa, sa.length - 2);
        g.bBatch = Arrays.copyOf(sb, sb.length - 2);
        g.batch = OpShapes.broadcast(g.aBatch, g.bBatch);
        int ka = sa[sa.length - 1];
        int kb = sb[sb.length - 2];
        if (g.batch == null || (ka != kb && ka >= 0 && kb >= 0)) {
            throw new LayerShapeException(prefix() + "cannot multiply shapes " + OpShapes.str(sa0) + " and " + OpShapes.str(sb0));
        }
        g.n = sa[sa.length - 2];
        g.k = ka >= 0 ? ka : kb;
        g.m = sb[sb.length - 1];
        int r = g.batch.length + (vecA ? 0 : 1) + (vecB ? 0 : 1);
        g.out = Arrays.copyOf(g.batch, r);
        int p = g.batch.length;
        if (!vecA) {
            g.out[p++] = g.n;
        }
        if (!vecB) {
            g.out[p] = g.m;
        }
        if (constants[0] == null && !(sa0.length >= 2 && sa.length >= sb.length)) {
            throw error("the left tensor of shape " + OpShapes.str(sa0) + " would not keep its batch axis first (right argument "
                    + OpShapes.str(sb0) + ")");
        }
        if (constants[1] == null && !(sb0.length >= 3 && sb.length >= sa.length)) {
            throw error("the right tensor of shape " + OpShapes.str(sb0) + " would not keep its batch axis first (left argument "
                    + OpShapes.str(sa0) + "); it needs rank 3 or more");
        }
        return g;
    }

    private int[][] fullShapes(List<int[]> tensorShapes, boolean perSample) {
        int[][] s = new int[2][];
        int t = 0;
        for (int i = 0; i < 2; i++) {
            s[i] = constants[i] != null ? constants[i].shape
                    : perSample ? OpShapes.full(tensorShapes.get(t++)) : tensorShapes.get(t++);
        }
        return s;
    }

    @Override
    public List<int[]> computeOutputShapes(List<int[]> inputShapes) {
        checkTensorCount(inputShapes.size());
        int[][] s = fullShapes(inputShapes, true);
        return List.of(OpShapes.perSample(geometry(s[0], s[1]).out));
    }

    private static final class Call {
        int[][] shapes;
        Geometry g;
        int[] mapA;
        int[] mapB;
        float[] a;
        float[] b;
    }

    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        checkTensorCount(inputs.size());
        List<int[]> shapes = new ArrayList<>(2);
        for (Tensor t : inputs) {
            shapes.add(t.shape());
        }
        int[][] s = fullShapes(shapes, false);
        Call c = ctx.state(Call::new);
        if (c.g == null || !Arrays.deepEquals(c.shapes, s)) {
            c.shapes = s;
            c.g = geometry(s[0], s[1]);
            c.mapA = OpShapes.broadcastMap(c.g.batch, c.g.aBatch);
            c.mapB = OpShapes.broadcastMap(c.g.batch, c.g.bBatch);
        }
        int t = 0;
        c.a = constants[0] != null ? constants[0].data : inputs.get(t++).data();
        c.b = constants[1] != null ? constants[1].data : inputs.get(t).data();
        Geometry g = c.g;
        Tensor y = Tensor.zeros(g.out);
        float[] yd = y.data();
        int n = g.n;
        int k = g.k;
        int m = g.m;
        for (int bt = 0; bt < c.mapA.length; bt++) {
            int ao = c.mapA[bt] * n * k;
            int bo = c.mapB[bt] * k * m;
            int yo = bt * n * m;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double s2 = 0;
                    for (int q = 0; q < k; q++) {
                        s2 += (double) c.a[ao + i * k + q] * c.b[bo + q * m + j];
                    }
                    yd[yo + i * m + j] = (float) s2;
                }
            }
        }
        return List.of(y);
    }

    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        Call c = recorded(ctx);
        Tensor g0 = gradOutputs.get(0);
        List<Tensor> dx = new ArrayList<>(2);
        Geometry g = c.g;
        int n = g.n;
        int k = g.k;
        int m = g.m;
        for (int side = 0; side < 2; side++) {
            if (constants[side] != null) {
                continue;
            }
            if (g0 != null && !ctx.inputGradientNeeded()) {
                dx.add(null);
                continue;
            }
            Tensor d = Tensor.zeros(c.shapes[side]);
            dx.add(d);
            if (g0 == null) {
                continue;
            }
            float[] gd = g0.data();
            float[] dd = d.data();
            for (int bt = 0; bt < c.mapA.length; bt++) {
                int ao = c.mapA[bt] * n * k;
                int bo = c.mapB[bt] * k * m;
                int go = bt * n * m;
                if (side == 0) {   // dA = G B^T
                    for (int i = 0; i < n; i++) {
                        for (int q = 0; q < k; q++) {
                            double s2 = 0;
                            for (int j = 0; j < m; j++) {
                                s2 += (double) gd[go + i * m + j] * c.b[bo + q * m + j];
                            }
                            dd[ao + i * k + q] += (float) s2;
                        }
                    }
                } else {           // dB = A^T G
                    for (int q = 0; q < k; q++) {
                        for (int j = 0; j < m; j++) {
                            double s2 = 0;
                            for (int i = 0; i < n; i++) {
                                s2 += (double) c.a[ao + i * k + q] * gd[go + i * m + j];
                            }
                            dd[bo + q * m + j] += (float) s2;
                        }
                    }
                }
            }
        }
        return dx;
    }
}
