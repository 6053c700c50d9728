package org.rnn4j.ops;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.config.ConfigValues;
import org.rnn4j.tensor.Tensor;

/**
 * A reduction over axes ({@code Mean}, {@code Sum}, {@code Max}, {@code Min}); {@code axis} counts
 * the batch axis as Keras does and must not include it (nor be None, which reduces everything).
 * Sums accumulate in double. Max and Min pass the gradient to the extreme elements, split equally
 * among ties (TensorFlow's rule); with {@code initial}, an output equal to {@code initial} that no
 * element reaches gets no gradient.
 */
public abstract class Reduce extends Op {
    private final int[] axis;
    private final boolean axisWasList;
    private final boolean keepdims;

    protected Reduce(int[] axis, boolean keepdims) {
        this(axis, keepdims, axis != null && axis.length != 1);
    }

    protected Reduce(int[] axis, boolean keepdims, boolean axisWasList) {
        super(List.of(TENSOR));
        if (axis == null) {
            throw error("axis=None reduces over the batch axis too; give the axes to reduce (e.g. axis=1)");
        }
        if (axis.length == 0) {
            throw error("axis=[] is not supported");
        }
        this.axis = axis.clone();
        this.keepdims = keepdims;
        this.axisWasList = axisWasList;
    }

    /** A reduction's constructor from its Keras options. */
    @FunctionalInterface
    interface Factory<R extends Reduce> {
        R make(int[] axis, boolean keepdims, boolean axisWasList);
    }

    /**
     * The reduction of a Keras config: {@code axis} (null, an int or a list; a list is written back
     * as a list), {@code keepdims} (default false) and {@code name}.
     */
    static <R extends Reduce> R fromKerasConfig(Map<String, Object> config, Factory<R> factory) {
        Object axis = config.get("axis");
        int[] a = axis == null ? null : axis instanceof Number n ? new int[] {n.intValue()}
                : ConfigValues.getIntList(config, "axis");
        R op = factory.make(a, ConfigValues.getBoolean(config, "keepdims", false), axis instanceof List<?>);
        if (config.get("name") instanceof String name) {
            op.name(name);
        }
        return op;
    }

    @Override
    public String kerasModule() {
        return "keras.src.ops.numpy";
    }

    public int[] axis() {
        return axis.clone();
    }

    public boolean keepdims() {
        return keepdims;
    }

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("axis", OpShapes.axisValue(axis, axisWasList));
        m.put("keepdims", keepdims);
        return m;
    }

    /** Which full axes are reduced, for a full rank. */
    private boolean[] reduced(int rank) {
        boolean[] r = new boolean[rank];
        for (int a : axis) {
            int n = OpShapes.sampleAxis(this, a, rank);
            if (r[n]) {
                throw error("axis " + a + " is given twice in " + Arrays.toString(axis));
            }
            r[n] = true;
        }
        return r;
    }

    private int[] outFull(int[] in) {
        boolean[] r = reduced(in.length);
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            if (!r[i] || keepdims) {
                n++;
            }
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < in.length; i++) {
            if (!r[i]) {
                out[k++] = in[i];
            } else if (keepdims) {
                out[k++] = 1;
            }
        }
        return out;
    }

    @Override
    public List<int[]> computeOutputShapes(List<int[]> inputShapes) {
        checkTensorCount(inputShapes.size());
        return List.of(OpShapes.perSample(outFull(OpShapes.full(inputShapes.get(0)))));
    }

    /** Combines {@code count} values {@code x[map == o]} into {@code y[o]}. */
    abstract void reduce(float[] x, int[] map, float[] y, int count);

    /** Adds the gradient of {@code y} into {@code dx}. */
    abstract void distribute(float[] x, int[] map, float[] y, float[] g, float[] dx, int count);

    static final class Call {
        int[] inShape;
        int[] outShape;
        int[] map;
        int count;
        Tensor x;
        Tensor y;
    }

    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        checkTensorCount(inputs.size());
        Tensor x = inputs.get(0);
        Call c = ctx.state(Call::new);
        int[] in = x.shape();
        if (c.inShape == null || !Arrays.equals(c.inShape, in)) {
            c.inShape = in;
            c.outShape = outFull(in);
            boolean[] r = reduced(in.length);
            // the output offset of every input element: strides of the kept axes, 0 on reduced axes
            int[] kept = new int[in.length];
            int s = 1;
            for (int i = in.length - 1; i >= 0; i--) {
                if (!r[i]) {
                    kept[i] = s;
                    s *= in[i];
                }
            }
            c.map = OpShapes.gatherMap(in, kept, 0);
            int count = 1;
            for (int i = 0; i < in.length; i++) {
                if (r[i]) {
                    count *= in[i];
                }
            }
            c.count = count;
        }
        Tensor y = Tensor.zeros(c.outShape);
        reduce(x.data(), c.map, y.data(), c.count);
        c.x = training ? x : null;
        c.y = training ? y : null;
        return List.of(y);
    }

    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        Call c = recorded(ctx);
        if (c.x == null) {
            throw noForwardRecorded();
        }
        Tensor g = gradOutputs.get(0);
        if (g == null) {
            return List.of(Tensor.zeros(c.inShape));
        }
        if (!ctx.inputGradientNeeded()) {
            return Collections.singletonList(null);
        }
        Tensor dx = Tensor.zeros(c.inShape);
        distribute(c.x.data(), c.map, c.y.data(), g.data(), dx.data(), c.count);
        return List.of(dx);
    }

    /** Reads {@code axis} and {@code keepdims} of a Keras reduction config. */
    static int[] configAxis(Op op, Map<String, Object> config) {
        return OpShapes.intsOrNull(op, OpShapes.get(config, "axis"), "axis");
    }

    static boolean axisIsList(Map<String, Object> config) {
        return config != null && config.get("axis") instanceof List<?>;
    }
}
