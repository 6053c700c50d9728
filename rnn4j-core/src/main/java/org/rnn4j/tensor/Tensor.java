package org.rnn4j.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor, row-major. The data array is owned by the tensor and exposed for
 * kernels; shapes are immutable.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;

    private Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** Wraps {@code data} (not copied) with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        int[] s = shape.clone();
        long size = Shapes.size(s);
        if (size != data.length) {
            throw new IllegalArgumentException("Tensor data has " + data.length + " values but shape "
                    + Shapes.toString(s) + " needs " + size);
        }
        return new Tensor(data, s);
    }

    public static Tensor zeros(int... shape) {
        long size = Shapes.size(shape);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Tensor shape " + Shapes.toString(shape) + " has "
                    + size + " elements, more than a Java array holds");
        }
        return new Tensor(new float[(int) size], shape.clone());
    }

    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** A tensor from nested Java arrays, e.g. {@code new float[][]{{1,2},{3,4}}}. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] d = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("Ragged rows: row 0 has " + cols + " values, row "
                        + i + " has " + rows[i].length);
            }
            System.arraycopy(rows[i], 0, d, i * cols, cols);
        }
        return new Tensor(d, new int[] {rows.length, cols});
    }

    public static Tensor of(float[][][] blocks) {
        int b = blocks.length;
        int t = b == 0 ? 0 : blocks[0].length;
        int f = t == 0 ? 0 : blocks[0][0].length;
        float[] d = new float[b * t * f];
        int p = 0;
        for (float[][] block : blocks) {
            if (block.length != t) {
                throw new IllegalArgumentException("Ragged tensor: expected " + t + " rows per block");
            }
            for (float[] row : block) {
                if (row.length != f) {
                    throw new IllegalArgumentException("Ragged tensor: expected " + f + " values per row");
                }
                System.arraycopy(row, 0, d, p, f);
                p += f;
            }
        }
        return new Tensor(d, new int[] {b, t, f});
    }

    public float[] data() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    public int size() {
        return data.length;
    }

    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("Only one -1 allowed in reshape " + Shapes.toString(s));
                }
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || data.length % known != 0) {
                throw new IllegalArgumentException("Cannot reshape " + Shapes.toString(shape) + " to "
                        + Shapes.toString(s));
            }
            s[infer] = (int) (data.length / known);
        }
        if (Shapes.size(s) != data.length) {
            throw new IllegalArgumentException("Cannot reshape " + Shapes.toString(shape) + " ("
                    + data.length + " values) to " + Shapes.toString(s));
        }
        return new Tensor(data, s);
    }

    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    public float get(int... index) {
        return data[offset(index)];
    }

    public void set(float value, int... index) {
        data[offset(index)] = value;
    }

    private int offset(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("Index of rank " + index.length + " for tensor of shape "
                    + Shapes.toString(shape));
        }
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("Index " + Arrays.toString(index) + " out of shape "
                        + Shapes.toString(shape));
            }
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /** Rows {@code [from, to)} along axis 0, copied. */
    public Tensor slice(int from, int to) {
        if (from < 0 || to > shape[0] || from > to) {
            throw new IndexOutOfBoundsException("Slice [" + from + ", " + to + ") of axis 0 with size " + shape[0]);
        }
        int row = data.length / Math.max(1, shape[0]);
        int[] s = shape.clone();
        s[0] = to - from;
        float[] d = Arrays.copyOfRange(data, from * row, to * row);
        return new Tensor(d, s);
    }

    /** Gathers rows along axis 0 in the given order, copied. */
    public Tensor gather(int[] rows) {
        int row = shape[0] == 0 ? 0 : data.length / shape[0];
        int[] s = shape.clone();
        s[0] = rows.length;
        float[] d = new float[rows.length * row];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(data, rows[i] * row, d, i * row, row);
        }
        return new Tensor(d, s);
    }

    /** Concatenates tensors along axis 0. */
    public static Tensor concatRows(java.util.List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("Nothing to concatenate");
        }
        int[] s = parts.get(0).shape();
        int rows = 0;
        int total = 0;
        for (Tensor p : parts) {
            rows += p.shape[0];
            total += p.data.length;
        }
        s[0] = rows;
        float[] d = new float[total];
        int off = 0;
        for (Tensor p : parts) {
            System.arraycopy(p.data, 0, d, off, p.data.length);
            off += p.data.length;
        }
        return new Tensor(d, s);
    }

    public float maxAbsDiff(Tensor other) {
        if (!Arrays.equals(shape, other.shape)) {
            throw new IllegalArgumentException("Shapes differ: " + Shapes.toString(shape) + " vs "
                    + Shapes.toString(other.shape));
        }
        float m = 0;
        for (int i = 0; i < data.length; i++) {
            float d = Math.abs(data[i] - other.data[i]);
            if (!(d <= m)) {
                m = Float.isNaN(d) ? Float.NaN : d;
                if (Float.isNaN(m)) {
                    return m;
                }
            }
        }
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.toString(shape)).append(' ');
        int n = Math.min(data.length, 8);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(data[i]);
        }
        if (data.length > n) {
            sb.append(", ...");
        }
        return sb.append(']').toString();
    }
}
