package org.rnn4j.ops;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Tensor;

/** Keras's {@code keras.src.ops.nn.Softmax}: softmax along {@code axis} (default -1; not the batch axis). */
public final class Softmax extends Op {
    private final int axis;

    public Softmax(int axis) {
        super(List.of(TENSOR));
        this.axis = axis;
    }

    public static Softmax fromConfig(Map<String, Object> config) {
        Object a = config.get("axis");
        int[] ax = OpShapes.intsOrNull(null, a == null ? -1 : a, "axis");
        if (ax.length != 1) {
            throw new IllegalArgumentException("Operation Softmax: only one axis is supported; got " + a);
        }
        Softmax s = new Softmax(ax[0]);
        if (config.get("name") instanceof String n) {
            s.name(n);
        }
        return s;
    }

    public int axis() {
        return axis;
    }

    @Override
    public String kerasModule() {
        return "keras.src.ops.nn";
    }

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("axis", axis);
        return m;
    }

    @Override
    public List<int[]> computeOutputShapes(List<int[]> inputShapes) {
        checkTensorCount(inputShapes.size());
        OpShapes.sampleAxis(this, axis, inputShapes.get(0).length + 1);
        return List.of(inputShapes.get(0).clone());
    }

    private static final class Call {
        Tensor y;
        int outer;
        int n;
        int inner;
    }

    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        checkTensorCount(inputs.size());
        Tensor x = inputs.get(0);
        int[] s = x.shape();
        int a = OpShapes.sampleAxis(this, axis, s.length);
        int outer = 1;
        for (int d = 0; d < a; d++) {
            outer *= s[d];
        }
        int inner = 1;
        for (int d = a + 1; d < s.length; d++) {
            inner *= s[d];
        }
        int n = s[a];
        Tensor y = Tensor.zeros(s);
        float[] xd = x.data();
        float[] yd = y.data();
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                float max = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    max = Math.max(max, xd[base + k * inner]);
                }
                float sum = 0f;
                for (int k = 0; k < n; k++) {
                    float e = (float) Math.exp(xd[base + k * inner] - max);
                    yd[base + k * inner] = e;
                    sum += e;
                }
                for (int k = 0; k < n; k++) {
                    yd[base + k * inner] /= sum;
                }
            }
        }
        Call c = ctx.state(Call::new);
        c.y = training ? y : null;
        c.outer = outer;
        c.n = n;
        c.inner = inner;
        return List.of(y);
    }

    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        Call c = recorded(ctx);
        if (c.y == null) {
            throw noForwardRecorded();
        }
        Tensor g = gradOutputs.get(0);
        if (g == null) {
            return List.of(Tensor.zeros(c.y.shape()));
        }
        if (!ctx.inputGradientNeeded()) {
            return Collections.singletonList(null);
        }
        Tensor dx = Tensor.zeros(c.y.shape());
        float[] yd = c.y.data();
        float[] gd = g.data();
        float[] dd = dx.data();
        int n = c.n;
        int inner = c.inner;
        for (int o = 0; o < c.outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                float dot = 0f;
                for (int k = 0; k < n; k++) {
                    dot += gd[base + k * inner] * yd[base + k * inner];
                }
                for (int k = 0; k < n; k++) {
                    int p = base + k * inner;
                    dd[p] = yd[p] * (gd[p] - dot);
                }
            }
        }
        return List.of(dx);
    }
}
