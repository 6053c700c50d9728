package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code Permute(dims)}: reorders the axes of each sample. {@code dims} is a permutation of
 * {@code 1..rank} over the non-batch axes, 1-based as in Keras: {@code new Permute(2, 1)} turns
 * {@code (None, 10, 64)} into {@code (None, 64, 10)}. The input must have exactly
 * {@code dims.length} non-batch axes. As in Keras, Permute does not support masking: an input mask
 * is dropped. Stateless: backward needs only the gradient's shape.
 */
public class Permute extends Layer {
    private final int[] dims;

    public Permute(int... dims) {
        int[] sorted = dims.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] != i + 1) {
                throw new IllegalArgumentException("Invalid permutation argument `dims` for Permute layer: the set of "
                        + "indices must be consecutive and start from 1; received dims=" + Arrays.toString(dims));
            }
        }
        if (dims.length == 0) {
            throw new IllegalArgumentException("Permute: dims must not be empty");
        }
        this.dims = dims.clone();
    }

    /** The 1-based permutation. */
    public int[] dims() {
        return dims.clone();
    }

    /** Rebuilds the layer from its Keras config: {@code dims} (a list), {@code name}, {@code trainable}. */
    public static Permute fromConfig(Map<String, Object> config) {
        Object d = config.get("dims");
        if (!(d instanceof List<?> list)) {
            throw new IllegalArgumentException("Permute config: 'dims' must be a list of integers, got " + d);
        }
        int[] dims = new int[list.size()];
        for (int i = 0; i < dims.length; i++) {
            Object v = list.get(i);
            if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new IllegalArgumentException("Permute config: 'dims' must be a list of integers, got " + d);
            }
            dims[i] = n.intValue();
        }
        Permute p = new Permute(dims);
        Object name = config.get("name");
        if (name != null) {
            p.name(name.toString());
        }
        if (config.get("trainable") instanceof Boolean b) {
            p.trainable(b);
        }
        return p;
    }

    @Override
    public Permute name(String newName) {
        super.name(newName);
        return this;
    }

    @Override
    public Permute inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length != dims.length) {
            throw shapeError("of rank " + (dims.length + 1) + " (batch included) for dims " + Arrays.toString(dims), in);
        }
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            out[i] = in[dims[i] - 1];
        }
        return out;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        int[] s = x.shape();
        if (s.length != dims.length + 1) {
            throw shapeError("of rank " + (dims.length + 1) + " (batch included) for dims " + Arrays.toString(dims),
                    Shapes.dropFirst(s));
        }
        int[] perm = new int[s.length];   // output axis a reads input axis perm[a]
        for (int a = 1; a < s.length; a++) {
            perm[a] = dims[a - 1];
        }
        return transpose(x, perm);
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        if (!ctx.inputGradientNeeded()) {
            return null;
        }
        int[] s = gradOutput.shape();
        if (s.length != dims.length + 1) {
            throw new IllegalArgumentException("Layer '" + name() + "' (Permute): gradient of shape "
                    + Shapes.toString(s) + " does not have rank " + (dims.length + 1));
        }
        int[] inverse = new int[s.length];   // input axis dims[a-1] is output axis a
        for (int a = 1; a < s.length; a++) {
            inverse[dims[a - 1]] = a;
        }
        return transpose(gradOutput, inverse);
    }

    /** {@code out[..., i_a, ...] = x[...]} with output axis a taken from input axis perm[a]. */
    static Tensor transpose(Tensor x, int[] perm) {
        int[] in = x.shape();
        int rank = in.length;
        int[] outShape = new int[rank];
        for (int a = 0; a < rank; a++) {
            outShape[a] = in[perm[a]];
        }
        int[] inStride = new int[rank];
        int st = 1;
        for (int a = rank - 1; a >= 0; a--) {
            inStride[a] = st;
            st *= in[a];
        }
        int[] stride = new int[rank];   // input stride of each output axis
        for (int a = 0; a < rank; a++) {
            stride[a] = inStride[perm[a]];
        }
        float[] src = x.data();
        float[] dst = new float[src.length];
        int[] idx = new int[rank];
        int off = 0;
        for (int e = 0; e < dst.length; e++) {
            dst[e] = src[off];
            for (int a = rank - 1; a >= 0; a--) {
                idx[a]++;
                off += stride[a];
                if (idx[a] < outShape[a]) {
                    break;
                }
                off -= stride[a] * idx[a];
                idx[a] = 0;
            }
        }
        return Tensor.of(dst, outShape);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        List<Integer> d = new ArrayList<>(dims.length);
        for (int v : dims) {
            d.add(v);
        }
        c.put("dims", d);
        return c;
    }
}
