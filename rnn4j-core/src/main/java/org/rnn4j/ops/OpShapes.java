package org.rnn4j.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Shapes;

/** Shape arithmetic of the ops, in full coordinates (batch axis included; -1 = unknown). */
final class OpShapes {
    private OpShapes() {
    }

    static int[] full(int[] perSample) {
        return Shapes.prepend(-1, perSample);
    }

    static int[] perSample(int[] full) {
        return Shapes.dropFirst(full);
    }

    static String str(int[] full) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < full.length; i++) {
            b.append(i == 0 ? "" : ", ").append(full[i] < 0 ? "None" : String.valueOf(full[i]));
        }
        return b.append(full.length == 1 ? ",)" : ")").toString();
    }

    /** NumPy broadcasting of two shapes (right-aligned); null when they do not broadcast. */
    static int[] broadcast(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (da == db) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else if (db == 1) {
                out[i] = da;
            } else if (da == -1) {
                out[i] = db;
            } else if (db == -1) {
                out[i] = da;
            } else {
                return null;
            }
        }
        return out;
    }

    /** For every element of {@code out}, the offset of the element of {@code in} it reads (NumPy broadcasting). */
    static int[] broadcastMap(int[] out, int[] in) {
        int r = out.length;
        int[] strides = new int[r];
        int s = 1;
        for (int i = in.length - 1; i >= 0; i--) {
            int o = i + (r - in.length);
            strides[o] = in[i] == 1 && out[o] != 1 ? 0 : s;
            s *= in[i];
        }
        return gatherMap(out, strides, 0);
    }

    /** Offsets {@code base + sum_i idx_i * strides_i} for every index of {@code shape}, row-major. */
    static int[] gatherMap(int[] shape, int[] strides, int base) {
        int n = (int) Shapes.size(shape);
        int[] map = new int[n];
        if (n == 0) {
            return map;
        }
        int r = shape.length;
        int[] idx = new int[r];
        int off = base;
        for (int e = 0; e < n; e++) {
            map[e] = off;
            for (int d = r - 1; d >= 0; d--) {
                idx[d]++;
                off += strides[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                off -= strides[d] * idx[d];
                idx[d] = 0;
            }
        }
        return map;
    }

    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int k = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = k;
            k *= shape[i];
        }
        return s;
    }

    /** Normalizes a possibly negative axis for a rank. */
    static int axis(Op op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw op.error("axis " + axis + " is out of range for a tensor of rank " + rank);
        }
        return a;
    }

    /** Normalizes an axis that must not be the batch axis. */
    static int sampleAxis(Op op, int axis, int rank) {
        int a = axis(op, axis, rank);
        if (a == 0) {
            throw op.error("axis " + axis + " is the batch axis; rnn4j keeps the batch axis in place");
        }
        return a;
    }

    // ---------------------------------------------------------------- config values

    /** An int, a list of ints or null ({@code axis: 1}, {@code axis: [1, 2]}). */
    static int[] intsOrNull(Op op, Object v, String key) {
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return new int[] {toInt(op, n, key)};
        }
        if (v instanceof List<?> l) {
            int[] a = new int[l.size()];
            for (int i = 0; i < a.length; i++) {
                if (!(l.get(i) instanceof Number n)) {
                    throw fail(op, "'" + key + "' must be an integer or a list of integers; got " + v);
                }
                a[i] = toInt(op, n, key);
            }
            return a;
        }
        if (v instanceof int[] a) {
            return a.clone();
        }
        throw fail(op, "'" + key + "' must be an integer or a list of integers; got " + v);
    }

    static IllegalArgumentException fail(Op op, String message) {
        return op == null ? new IllegalArgumentException("Operation config: " + message) : op.error(message);
    }

    static int toInt(Op op, Number n, String key) {
        double d = n.doubleValue();
        if (d != Math.rint(d)) {
            throw fail(op, "'" + key + "' must be an integer; got " + n);
        }
        return n.intValue();
    }

    /** A Keras axis value back in config form: an int for one axis, a list for several, null. */
    static Object axisValue(int[] axes, boolean wasList) {
        if (axes == null) {
            return null;
        }
        if (axes.length == 1 && !wasList) {
            return axes[0];
        }
        List<Object> l = new ArrayList<>(axes.length);
        for (int a : axes) {
            l.add(a);
        }
        return l;
    }

    static Object get(Map<String, Object> config, String key) {
        return config == null ? null : config.get(key);
    }
}
