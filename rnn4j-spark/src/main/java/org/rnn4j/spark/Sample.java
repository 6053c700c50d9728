package org.rnn4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.tensor.Tensor;

/**
 * One training sample: an array per model input and per model output, each with its per-sample
 * shape (no batch axis). Plain arrays, so Spark's default Java serialization moves them without a
 * Kryo registrator.
 */
public final class Sample implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[][] x;
    private final int[][] xShapes;
    private final float[][] y;
    private final int[][] yShapes;

    public Sample(float[][] x, int[][] xShapes, float[][] y, int[][] yShapes) {
        if (x.length == 0 || x.length != xShapes.length || y.length != yShapes.length) {
            throw new IllegalArgumentException("Sample: give one shape per array (" + x.length + " x arrays, "
                    + xShapes.length + " x shapes, " + y.length + " y arrays, " + yShapes.length + " y shapes)");
        }
        for (int i = 0; i < x.length; i++) {
            check("x", i, x[i], xShapes[i]);
        }
        for (int i = 0; i < y.length; i++) {
            check("y", i, y[i], yShapes[i]);
        }
        this.x = x;
        this.xShapes = xShapes;
        this.y = y;
        this.yShapes = yShapes;
    }

    /** A single-input, single-output sample of the given per-sample shapes. */
    public static Sample of(float[] x, int[] xShape, float[] y, int[] yShape) {
        return new Sample(new float[][] {x}, new int[][] {xShape}, new float[][] {y}, new int[][] {yShape});
    }

    /** A sample whose x and y are flat vectors ({@code [len]} each). */
    public static Sample of(float[] x, float[] y) {
        return of(x, new int[] {x.length}, y, new int[] {y.length});
    }

    /** Row {@code i} of each tensor (axis 0 is the sample axis). */
    public static Sample row(List<Tensor> xs, List<Tensor> ys, int i) {
        float[][] x = new float[xs.size()][];
        int[][] xShapes = new int[xs.size()][];
        for (int k = 0; k < xs.size(); k++) {
            Tensor t = xs.get(k);
            x[k] = rowOf(t, i);
            xShapes[k] = Arrays.copyOfRange(t.shape(), 1, t.rank());
        }
        float[][] y = new float[ys.size()][];
        int[][] yShapes = new int[ys.size()][];
        for (int k = 0; k < ys.size(); k++) {
            Tensor t = ys.get(k);
            y[k] = rowOf(t, i);
            yShapes[k] = Arrays.copyOfRange(t.shape(), 1, t.rank());
        }
        return new Sample(x, xShapes, y, yShapes);
    }

    /** All rows of the tensors as samples, in order. */
    public static List<Sample> rows(List<Tensor> xs, List<Tensor> ys) {
        int n = xs.get(0).dim(0);
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(row(xs, ys, i));
        }
        return out;
    }

    private static float[] rowOf(Tensor t, int i) {
        int size = t.dim(0) == 0 ? 0 : t.size() / t.dim(0);
        return Arrays.copyOfRange(t.data(), i * size, (i + 1) * size);
    }

    private static void check(String what, int i, float[] a, int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (a == null || n != a.length) {
            throw new IllegalArgumentException("Sample: " + what + "[" + i + "] has " + (a == null ? 0 : a.length)
                    + " values but shape " + Arrays.toString(shape) + " holds " + n);
        }
    }

    public int inputs() {
        return x.length;
    }

    public int outputs() {
        return y.length;
    }

    public float[] x(int i) {
        return x[i];
    }

    public float[] y(int i) {
        return y[i];
    }

    public int[] xShape(int i) {
        return xShapes[i].clone();
    }

    public int[] yShape(int i) {
        return yShapes[i].clone();
    }

    /** Stacks samples into one batch tensor per input ({@code ys=false}) or per output ({@code ys=true}). */
    static List<Tensor> stack(List<Sample> samples, boolean ys) {
        Sample first = samples.get(0);
        int count = ys ? first.y.length : first.x.length;
        List<Tensor> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int[] shape = ys ? first.yShapes[k] : first.xShapes[k];
            int size = (ys ? first.y[k] : first.x[k]).length;
            float[] data = new float[samples.size() * size];
            for (int s = 0; s < samples.size(); s++) {
                Sample smp = samples.get(s);
                if ((ys ? smp.y.length : smp.x.length) != count) {
                    throw new IllegalArgumentException("Samples in one batch have different numbers of "
                            + (ys ? "outputs" : "inputs"));
                }
                int[] sh = ys ? smp.yShapes[k] : smp.xShapes[k];
                if (!Arrays.equals(sh, shape)) {
                    throw new IllegalArgumentException("Samples in one batch have different shapes for "
                            + (ys ? "y" : "x") + "[" + k + "]: " + Arrays.toString(shape) + " and " + Arrays.toString(sh));
                }
                System.arraycopy(ys ? smp.y[k] : smp.x[k], 0, data, s * size, size);
            }
            int[] full = new int[shape.length + 1];
            full[0] = samples.size();
            System.arraycopy(shape, 0, full, 1, shape.length);
            out.add(Tensor.of(data, full));
        }
        return out;
    }
}
