package org.rnn4j.layers.normalization;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.config.ConfigValues;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's UnitNormalization: scales each slice over {@code axis} (axes of the full input, batch
 * included, -1 = last) to L2 norm 1, as Keras's {@code ops.normalize(order=2, epsilon=1e-12)}:
 * {@code y = x * min(rsqrt(sum(x^2)), 1/epsilon)}. No weights; the mask passes through.
 */
public class UnitNormalization extends Layer {
    private static final double EPSILON = 1e-12;
    private int[] axis = {-1};
    private boolean axisIsList;

    /** What backward needs: the output and each element's slice scale (and whether it was clamped). */
    private static final class State {
        float[] y;
        float[] inv;      // per slice
        boolean[] clamped;
        int[] slice;      // per element: its slice
    }

    @Override
    public UnitNormalization name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public UnitNormalization inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    /** Keras's {@code axis=int}. */
    public UnitNormalization axis(int a) {
        checkNotBuilt();
        this.axis = new int[] {a};
        this.axisIsList = false;
        return this;
    }

    /** Keras's {@code axis=[...]}: normalizes over several axes together. */
    public UnitNormalization axes(int... axes) {
        checkNotBuilt();
        if (axes.length == 0) {
            throw new IllegalArgumentException("UnitNormalization: axis needs at least one axis");
        }
        this.axis = axes.clone();
        this.axisIsList = true;
        return this;
    }

    public int[] axis() {
        return axis.clone();
    }

    @Override
    protected boolean supportsMasking() {
        return true;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        for (int a : axis) {
            if (a >= in.length + 1 || a < -(in.length + 1)) {
                throw new LayerShapeException("Layer '" + name() + "' (UnitNormalization): axis " + a
                        + " is out of bounds for input shape " + Shapes.withBatch(in));
            }
        }
        return in.clone();
    }

    private boolean[] reduced(int rank) {
        boolean[] r = new boolean[rank];
        for (int a : axis) {
            int p = a < 0 ? a + rank : a;
            if (p < 0 || p >= rank) {
                throw new LayerShapeException("Layer '" + name() + "' (UnitNormalization): axis " + a
                        + " is out of bounds for an input of rank " + rank);
            }
            r[p] = true;
        }
        return r;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        int[] shape = x.shape();
        boolean[] red = reduced(shape.length);
        // slice index of every element: its coordinates with the reduced axes dropped
        int n = x.size();
        int[] slice = new int[n];
        int slices = 1;
        int[] sliceStride = new int[shape.length];
        for (int ax = shape.length - 1; ax >= 0; ax--) {
            sliceStride[ax] = red[ax] ? 0 : slices;
            slices *= red[ax] ? 1 : shape[ax];
        }
        int[] coord = new int[shape.length];
        for (int i = 0; i < n; i++) {
            int k = 0;
            for (int ax = 0; ax < shape.length; ax++) {
                k += coord[ax] * sliceStride[ax];
            }
            slice[i] = k;
            for (int ax = shape.length - 1; ax >= 0; ax--) {
                if (++coord[ax] < shape[ax]) {
                    break;
                }
                coord[ax] = 0;
            }
        }
        float[] xd = x.data();
        double[] ss = new double[slices];
        for (int i = 0; i < n; i++) {
            ss[slice[i]] += (double) xd[i] * xd[i];
        }
        float[] inv = new float[slices];
        boolean[] clamped = new boolean[slices];
        float cap = (float) (1.0 / EPSILON);
        for (int s = 0; s < slices; s++) {
            float r = (float) (1.0 / Math.sqrt((float) ss[s]));
            clamped[s] = !(r < cap); // rsqrt(0) = inf is clamped too
            inv[s] = clamped[s] ? cap : r;
        }
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = xd[i] * inv[slice[i]];
        }
        if (training) {
            State st = ctx.state(State::new);
            st.y = y;
            st.inv = inv;
            st.clamped = clamped;
            st.slice = slice;
        }
        return Tensor.of(y, shape);
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State st = ctx.existingState();
        if (st == null || st.y == null) {
            throw noForwardRecorded();
        }
        // y = x * s with s = |x|^-1: dx = s * (g - y * sum(g * y)) per slice; a clamped s is a constant
        float[] g = gradOutput.data();
        double[] gy = new double[st.inv.length];
        for (int i = 0; i < g.length; i++) {
            gy[st.slice[i]] += (double) g[i] * st.y[i];
        }
        float[] dx = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            int s = st.slice[i];
            dx[i] = st.clamped[s] ? g[i] * st.inv[s] : (float) (st.inv[s] * (g[i] - st.y[i] * gy[s]));
        }
        return Tensor.of(dx, gradOutput.shape());
    }

    private static final Set<String> KNOWN = Set.of("name", "trainable", "dtype", "axis", "batch_input_shape",
            "batch_shape", "input_shape", "activity_regularizer");

    /** Rebuilds the layer from its Keras config ({@code axis}: an int or a list of ints). */
    public static UnitNormalization fromConfig(Map<String, Object> config) {
        for (String k : config.keySet()) {
            if (!KNOWN.contains(k) && config.get(k) != null) {
                throw new IllegalArgumentException("UnitNormalization: unsupported option " + k + "=" + config.get(k)
                        + "; rnn4j reads the options Keras 3 defines for this layer");
            }
        }
        UnitNormalization l = new UnitNormalization();
        Object a = config.get("axis");
        if (a instanceof List) {
            l.axes(ConfigValues.getIntList(config, "axis"));
        } else if (a != null) {
            if (!(a instanceof Number)) {
                throw new IllegalArgumentException("UnitNormalization: invalid value for `axis` argument: expected"
                        + " an int or a list/tuple of ints, got axis=" + a);
            }
            l.axis(ConfigValues.getInt(config, "axis", -1));
        }
        String name = ConfigValues.name(config);
        if (name != null) {
            l.name(name);
        }
        l.trainable(ConfigValues.getBoolean(config, "trainable", true));
        return l;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>(super.config());
        c.put("axis", axisIsList ? ConfigValues.intList(axis) : (Object) axis[0]);
        return c;
    }
}
