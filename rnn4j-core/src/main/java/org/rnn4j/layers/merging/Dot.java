package org.rnn4j.layers.merging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code Dot(axes, normalize=False)}: the batch dot product of exactly two inputs over one
 * axis of each (Keras's {@code batch_dot}). {@code axes} is one axis for both inputs or a pair
 * (first input's, second input's); axes count the batch axis as 0, as in Keras, and a negative
 * axis counts from the end (Keras takes it modulo the rank). The batch axis cannot be an axis.
 *
 * <p>Output shape (per sample): the first input's shape without its axis, then the second's
 * without its axis; a result with no axes left is {@code (1,)}. For example
 * {@code (None, 3, 5)} and {@code (None, 4, 3)} with {@code axes=(1, 2)} give {@code (None, 5, 4)}.
 *
 * <p>{@code normalize}: each input is first L2-normalised along its dot axis as Keras's
 * {@code ops.normalize} does, {@code x * min(rsqrt(sum(x^2)), 1/epsilon)} with epsilon = 1e-7, so
 * the output is the cosine similarity. Masks are ignored and the output has none (Keras's
 * {@code Dot.compute_mask} returns None).
 */
public class Dot extends Merge {
    static final float EPSILON = 1e-7f;

    private final int[] axes;
    private final boolean normalize;

    /** Keras's {@code Dot(axes=a)}: axis {@code a} of both inputs. */
    public Dot(int axes) {
        this(axes, false);
    }

    public Dot(int axes, boolean normalize) {
        this.axes = new int[] {axes};
        this.normalize = normalize;
    }

    /** Keras's {@code Dot(axes=(a1, a2))}: axis {@code a1} of the first input with axis {@code a2} of the second. */
    public Dot(int axis1, int axis2) {
        this(axis1, axis2, false);
    }

    public Dot(int axis1, int axis2, boolean normalize) {
        this.axes = new int[] {axis1, axis2};
        this.normalize = normalize;
    }

    /** The axes as given: one value (both inputs) or two. */
    public int[] axes() {
        return axes.clone();
    }

    public boolean normalize() {
        return normalize;
    }

    /** Rebuilds the layer from its Keras config: {@code axes} (an int or a pair), {@code normalize}, {@code name}, {@code trainable}. */
    public static Dot fromConfig(Map<String, Object> config) {
        Object a = config == null ? null : config.get("axes");
        if (a == null) {
            throw new IllegalArgumentException("Dot config: 'axes' is required");
        }
        Object nz = config.get("normalize");
        boolean norm = nz instanceof Boolean b && b;
        Dot d;
        if (a instanceof Number) {
            d = new Dot(Configs.toInt(a, "axes", "Dot"), norm);
        } else {
            int[] pair = Configs.toInts(a, "axes", "Dot");
            if (pair.length != 2) {
                throw new IllegalArgumentException("Dot config: 'axes' must be an integer or two integers, got " + a);
            }
            d = new Dot(pair[0], pair[1], norm);
        }
        return Configs.common(d, config);
    }

    @Override
    public Dot name(String newName) {
        super.name(newName);
        return this;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("axes", axes.length == 1 ? (Object) axes[0] : List.of(axes[0], axes[1]));
        c.put("normalize", normalize);
        return c;
    }

    @Override
    protected int minInputs() {
        return 2;
    }

    @Override
    protected int maxInputs() {
        return 2;
    }

    /** The per-sample dot axis of each input (full-shape axis minus one), for per-sample ranks r1, r2. */
    private int[] resolve(int r1, int r2, List<int[]> shapes) {
        int a1 = axes[0];
        int a2 = axes.length == 1 ? axes[0] : axes[1];
        int f1 = Math.floorMod(a1, r1 + 1);
        int f2 = Math.floorMod(a2, r2 + 1);
        if (a1 >= r1 + 1 || a2 >= r2 + 1) {
            throw new LayerShapeException(prefix() + "axes " + axesString() + " are out of range for inputs of shapes "
                    + Shapes.listToString(shapes));
        }
        if (f1 == 0 || f2 == 0) {
            throw new LayerShapeException(prefix() + "cannot take the dot product over the batch axis (axes "
                    + axesString() + ", input shapes " + Shapes.listToString(shapes) + ")");
        }
        return new int[] {f1 - 1, f2 - 1};
    }

    private String axesString() {
        return axes.length == 1 ? Integer.toString(axes[0]) : "(" + axes[0] + ", " + axes[1] + ")";
    }

    @Override
    protected int[] mergedShape(List<int[]> shapes) {
        int[] s1 = shapes.get(0);
        int[] s2 = shapes.get(1);
        if (s1.length < 1 || s2.length < 1) {
            throw new LayerShapeException(prefix() + "inputs need a rank of at least 2 (batch included); received "
                    + Shapes.listToString(shapes));
        }
        int[] p = resolve(s1.length, s2.length, shapes);
        int d1 = s1[p[0]];
        int d2 = s2[p[1]];
        if (d1 >= 0 && d2 >= 0 && d1 != d2) {
            throw new LayerShapeException(prefix() + "incompatible input shapes " + Shapes.listToString(shapes)
                    + ": size " + d1 + " at axis " + (p[0] + 1) + " of the first input != size " + d2
                    + " at axis " + (p[1] + 1) + " of the second (axes " + axesString() + ")");
        }
        int[] out = new int[Math.max(1, s1.length + s2.length - 2)];
        int k = 0;
        for (int i = 0; i < s1.length; i++) {
            if (i != p[0]) {
                out[k++] = s1[i];
            }
        }
        for (int i = 0; i < s2.length; i++) {
            if (i != p[1]) {
                out[k++] = s2[i];
            }
        }
        if (k == 0) {
            out[0] = 1;
        }
        return out;
    }

    /**
     * One input viewed as {@code [batch, outer, K, inner]} around its dot axis: element
     * {@code (b, o, k, i)} is at {@code ((b * outer + o) * K + k) * inner + i}; the output index of
     * its free axes is {@code o * inner + i}.
     */
    private static final class View {
        final int outer;
        final int k;
        final int inner;

        View(int[] full, int axis) {   // axis: index into the full shape
            this.outer = Shapes.product(full, 1, axis);
            this.k = full[axis];
            this.inner = Shapes.product(full, axis + 1, full.length);
        }

        int free() {
            return outer * inner;
        }
    }

    private static final class Call {
        boolean recorded;
        int[] shape1;
        int[] shape2;
        float[] x1;     // the (normalised) inputs as multiplied
        float[] x2;
        float[] inv1;   // normalize: the per-vector scale, and whether it was clipped at 1/epsilon
        float[] inv2;
        boolean[] clip1;
        boolean[] clip2;
    }

    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        checkInputs(inputs, masks);
        Tensor a = inputs.get(0);
        Tensor b = inputs.get(1);
        List<int[]> sample = List.of(Shapes.dropFirst(a.shape()), Shapes.dropFirst(b.shape()));
        int[] outSample = mergedShape(sample);
        int[] p = resolve(a.rank() - 1, b.rank() - 1, sample);
        View va = new View(a.shape(), p[0] + 1);
        View vb = new View(b.shape(), p[1] + 1);
        int batch = a.dim(0);
        float[] x1 = a.data();
        float[] x2 = b.data();
        Call c = training ? ctx.state(Call::new) : null;
        if (normalize) {
            float[] inv1 = new float[batch * va.free()];
            float[] inv2 = new float[batch * vb.free()];
            boolean[] clip1 = new boolean[inv1.length];
            boolean[] clip2 = new boolean[inv2.length];
            x1 = normalized(x1, va, batch, inv1, clip1);
            x2 = normalized(x2, vb, batch, inv2, clip2);
            if (c != null) {
                c.inv1 = inv1;
                c.inv2 = inv2;
                c.clip1 = clip1;
                c.clip2 = clip2;
            }
        }
        int m = va.free();
        int n = vb.free();
        int k = va.k;
        float[] out = new float[batch * m * n];
        for (int bi = 0; bi < batch; bi++) {
            for (int mi = 0; mi < m; mi++) {
                int base1 = (bi * va.outer + mi / va.inner) * k * va.inner + mi % va.inner;
                for (int ni = 0; ni < n; ni++) {
                    int base2 = (bi * vb.outer + ni / vb.inner) * k * vb.inner + ni % vb.inner;
                    double s = 0;
                    for (int ki = 0; ki < k; ki++) {
                        s += (double) x1[base1 + ki * va.inner] * x2[base2 + ki * vb.inner];
                    }
                    out[(bi * m + mi) * n + ni] = (float) s;
                }
            }
        }
        if (c != null) {
            c.shape1 = a.shape();
            c.shape2 = b.shape();
            c.x1 = x1;
            c.x2 = x2;
            c.recorded = true;
        }
        return List.of(Tensor.of(out, Shapes.prepend(batch, outSample)));
    }

    /** Keras's {@code ops.normalize(x, axis)}: {@code x * min(rsqrt(sum(x^2)), 1/epsilon)} per vector. */
    private static float[] normalized(float[] x, View v, int batch, float[] inv, boolean[] clip) {
        float[] y = new float[x.length];
        float cap = 1f / EPSILON;
        for (int bo = 0; bo < batch * v.outer; bo++) {
            for (int i = 0; i < v.inner; i++) {
                int base = bo * v.k * v.inner + i;
                double ss = 0;
                for (int ki = 0; ki < v.k; ki++) {
                    float e = x[base + ki * v.inner];
                    ss += (double) e * e;
                }
                float r = (float) (1.0 / Math.sqrt((float) ss));
                int slot = bo * v.inner + i;
                clip[slot] = !(r <= cap);   // TF's minimum gradient: ties go to rsqrt
                inv[slot] = clip[slot] ? cap : r;
                for (int ki = 0; ki < v.k; ki++) {
                    y[base + ki * v.inner] = x[base + ki * v.inner] * inv[slot];
                }
            }
        }
        return y;
    }

    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        Call c = ctx.existingState();
        if (c == null || !c.recorded) {
            throw noForwardRecorded();
        }
        if (!ctx.inputGradientNeeded()) {
            return nulls(2);
        }
        List<int[]> sample = List.of(Shapes.dropFirst(c.shape1), Shapes.dropFirst(c.shape2));
        int[] p = resolve(c.shape1.length - 1, c.shape2.length - 1, sample);
        View va = new View(c.shape1, p[0] + 1);
        View vb = new View(c.shape2, p[1] + 1);
        int batch = c.shape1[0];
        int m = va.free();
        int n = vb.free();
        int k = va.k;
        float[] d1 = new float[c.x1.length];
        float[] d2 = new float[c.x2.length];
        Tensor gt = gradOutputs.get(0);
        if (gt != null) {
            if (gt.size() != batch * m * n) {
                throw new IllegalArgumentException(prefix() + "gradient of shape " + Shapes.toString(gt.shape())
                        + " does not match the output of the recorded forward");
            }
            float[] g = gt.data();
            double[] acc = new double[Math.max(1, k)];
            for (int bi = 0; bi < batch; bi++) {
                // d x1[b, mi, k] = sum_n g[b, mi, n] * x2[b, k, n]
                for (int mi = 0; mi < m; mi++) {
                    int base1 = (bi * va.outer + mi / va.inner) * k * va.inner + mi % va.inner;
                    java.util.Arrays.fill(acc, 0);
                    for (int ni = 0; ni < n; ni++) {
                        double gv = g[(bi * m + mi) * n + ni];
                        int base2 = (bi * vb.outer + ni / vb.inner) * k * vb.inner + ni % vb.inner;
                        for (int ki = 0; ki < k; ki++) {
                            acc[ki] += gv * c.x2[base2 + ki * vb.inner];
                        }
                    }
                    for (int ki = 0; ki < k; ki++) {
                        d1[base1 + ki * va.inner] = (float) acc[ki];
                    }
                }
                // d x2[b, k, ni] = sum_m g[b, m, ni] * x1[b, m, k]
                for (int ni = 0; ni < n; ni++) {
                    int base2 = (bi * vb.outer + ni / vb.inner) * k * vb.inner + ni % vb.inner;
                    java.util.Arrays.fill(acc, 0);
                    for (int mi = 0; mi < m; mi++) {
                        double gv = g[(bi * m + mi) * n + ni];
                        int base1 = (bi * va.outer + mi / va.inner) * k * va.inner + mi % va.inner;
                        for (int ki = 0; ki < k; ki++) {
                            acc[ki] += gv * c.x1[base1 + ki * va.inner];
                        }
                    }
                    for (int ki = 0; ki < k; ki++) {
                        d2[base2 + ki * vb.inner] = (float) acc[ki];
                    }
                }
            }
            if (normalize) {
                normalizeBackward(d1, c.x1, c.inv1, c.clip1, va, batch);
                normalizeBackward(d2, c.x2, c.inv2, c.clip2, vb, batch);
            }
        }
        List<Tensor> out = new ArrayList<>(2);
        out.add(Tensor.of(d1, c.shape1.clone()));
        out.add(Tensor.of(d2, c.shape2.clone()));
        return out;
    }

    /**
     * In place: turns d/d(normalised y) into d/dx for {@code y = x * s}, {@code s = rsqrt(sum x^2)}:
     * {@code dx = s * (dy - y * sum(dy * y))}; where s was clipped to 1/epsilon it is a constant,
     * {@code dx = s * dy}.
     */
    private static void normalizeBackward(float[] d, float[] y, float[] inv, boolean[] clip, View v, int batch) {
        for (int bo = 0; bo < batch * v.outer; bo++) {
            for (int i = 0; i < v.inner; i++) {
                int base = bo * v.k * v.inner + i;
                int slot = bo * v.inner + i;
                double dot = 0;
                if (!clip[slot]) {
                    for (int ki = 0; ki < v.k; ki++) {
                        int j = base + ki * v.inner;
                        dot += (double) d[j] * y[j];
                    }
                }
                double s = inv[slot];
                for (int ki = 0; ki < v.k; ki++) {
                    int j = base + ki * v.inner;
                    d[j] = (float) (s * (d[j] - y[j] * dot));
                }
            }
        }
    }

    /** Keras's {@code Dot.compute_mask}: the output has no mask. */
    @Override
    public List<Mask> computeMasks(List<Tensor> inputs, List<Mask> masks) {
        return Collections.singletonList(null);
    }
}
