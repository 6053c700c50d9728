package org.rnn4j.layers.activations;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.config.ConfigValues;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code Softmax(axis=-1)}: the softmax over one axis or several (Keras's axes count the
 * batch axis as 0, so {@code axis=-1} is the last axis and {@code axis=(1, 0)} spans the batch).
 *
 * <p>With a mask, as Keras 3.15: the mask is broadcast against the input from the right (each of
 * its sizes 1 or equal to the input's; a mask that does not fit is an error, as in Keras), masked
 * inputs are replaced by -1e9 before the softmax and masked outputs are set to 0, so a fully
 * masked group gives zeros. The mask passes through to the output.
 */
public class Softmax extends Layer {
    static final float LARGE_NEGATIVE = -1e9f;
    private final int[] axis;
    private final boolean axisIsList;

    /** What a training forward pass records for backward. */
    private static final class State {
        float[] softmax;
        boolean[] keep;
        int[] group;
        int groups;
    }

    public Softmax() {
        this(-1);
    }

    public Softmax(int axis) {
        this.axis = new int[] {axis};
        this.axisIsList = false;
    }

    /** Several axes (Keras's {@code axis=(1, 2)}): one softmax over all of them together. */
    public Softmax(int[] axes) {
        if (axes.length == 0) {
            throw new IllegalArgumentException("Softmax: axis must name at least one axis");
        }
        this.axis = axes.clone();
        this.axisIsList = true;
    }

    public int[] axis() {
        return axis.clone();
    }

    @Override
    public Softmax name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public Softmax inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    protected boolean supportsMasking() {
        return true;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        for (int a : axis) {
            if (a < -(in.length + 1) || a > in.length) {
                throw shapeError("with an axis " + a + " (rank " + (in.length + 1) + " with the batch)", in);
            }
        }
        return in.clone();
    }

    /** Group id of every element: elements differing only along the softmax axes share one. */
    private int[] groups(int[] shape, int[] count) {
        int rank = shape.length;
        boolean[] reduced = new boolean[rank];
        for (int a : axis) {
            int k = a < 0 ? a + rank : a;
            if (k < 0 || k >= rank) {
                throw new IllegalArgumentException("Softmax '" + name() + "': axis " + a + " is out of range for input "
                        + Shapes.toString(shape));
            }
            reduced[k] = true;
        }
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        int[] group = new int[n];
        int[] coord = new int[rank];
        int max = 0;
        for (int i = 0; i < n; i++) {
            int gid = 0;
            for (int k = 0; k < rank; k++) {
                if (!reduced[k]) {
                    gid = gid * shape[k] + coord[k];
                }
            }
            group[i] = gid;
            max = Math.max(max, gid + 1);
            for (int k = rank - 1; k >= 0; k--) {
                if (++coord[k] < shape[k]) {
                    break;
                }
                coord[k] = 0;
            }
        }
        count[0] = max;
        return group;
    }

    /** The mask broadcast to every element (Keras aligns it with the input's trailing axes). */
    private boolean[] keep(Mask mask, int[] shape) {
        int[] ms = {mask.batch(), mask.time()};
        int rank = shape.length;
        if (ms.length > rank) {
            throw new IllegalArgumentException("Softmax '" + name() + "': The `mask` must be broadcastable to `inputs` and "
                    + "must not have more dimensions. Received: inputs.shape=" + Shapes.toString(shape)
                    + ", mask.shape=" + Shapes.toString(ms));
        }
        for (int k = 0; k < ms.length; k++) {
            int id = shape[rank - ms.length + k];
            if (ms[k] != 1 && ms[k] != id) {
                throw new IllegalArgumentException("Softmax '" + name() + "': The `mask` must be broadcastable to `inputs`. "
                        + "Each mask dimension must be 1 or match the corresponding input dimension. Received: inputs.shape="
                        + Shapes.toString(shape) + ", mask.shape=" + Shapes.toString(ms)
                        + " (a (batch, time) mask fits a (batch, time) input; put the Softmax before the layer that adds axes)");
            }
        }
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        boolean[] m = mask.values();
        boolean[] out = new boolean[n];
        int[] coord = new int[rank];
        for (int i = 0; i < n; i++) {
            int mi = 0;
            for (int k = 0; k < ms.length; k++) {
                int c = coord[rank - ms.length + k];
                mi = mi * ms[k] + (ms[k] == 1 ? 0 : c);
            }
            out[i] = m[mi];
            for (int k = rank - 1; k >= 0; k--) {
                if (++coord[k] < shape[k]) {
                    break;
                }
                coord[k] = 0;
            }
        }
        return out;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        int[] count = new int[1];
        int[] group = groups(x.shape(), count);
        int groups = count[0];
        boolean[] keep = mask == null ? null : keep(mask, x.shape());
        float[] in = x.data();
        int n = in.length;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = keep == null || keep[i] ? in[i] : LARGE_NEGATIVE;
        }
        float[] max = new float[groups];
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            max[group[i]] = Math.max(max[group[i]], v[i]);
        }
        float[] e = new float[n];
        double[] sum = new double[groups];
        for (int i = 0; i < n; i++) {
            e[i] = (float) Math.exp(v[i] - max[group[i]]);
            sum[group[i]] += e[i];
        }
        float[] s = new float[n];
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) (e[i] / sum[group[i]]);
            out[i] = keep == null || keep[i] ? s[i] : 0f;
        }
        if (training) {
            State st = ctx.state(State::new);
            st.softmax = s;
            st.keep = keep;
            st.group = group;
            st.groups = groups;
        }
        return Tensor.of(out, x.shape());
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State st = ctx.existingState();
        if (st == null || st.softmax == null) {
            throw noForwardRecorded();
        }
        if (!ctx.inputGradientNeeded()) {
            return null;
        }
        float[] s = st.softmax;
        boolean[] keep = st.keep;
        int[] group = st.group;
        float[] g = gradOutput.data();
        int n = s.length;
        // Masked outputs are constants (0) and masked inputs were replaced by a constant: both pass no gradient.
        double[] dot = new double[st.groups];
        for (int i = 0; i < n; i++) {
            if (keep == null || keep[i]) {
                dot[group[i]] += (double) g[i] * s[i];
            }
        }
        float[] dx = new float[n];
        for (int i = 0; i < n; i++) {
            if (keep == null || keep[i]) {
                dx[i] = (float) (s[i] * (g[i] - dot[group[i]]));
            }
        }
        return Tensor.of(dx, gradOutput.shape());
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("axis", axisIsList ? ConfigValues.intList(axis) : (Object) axis[0]);
        return c;
    }

    /** Rebuilds the layer from its Keras config ({@code axis}: an integer or a list). */
    public static Softmax fromConfig(Map<String, Object> config) {
        Object a = config.get("axis");
        Softmax s = a instanceof List<?> ? new Softmax(ConfigValues.getIntList(config, "axis"))
                : new Softmax(ConfigValues.getInt(config, "axis", -1));
        return ElementwiseActivationLayer.common(s, config);
    }
}
