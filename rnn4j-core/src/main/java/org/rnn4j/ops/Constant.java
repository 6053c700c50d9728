package org.rnn4j.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Tensor;

/**
 * A constant argument of an op: a number, a nested list, or Keras's {@code __numpy__} /
 * {@code __tensor__} array dict, read into a float array with its full shape (a scalar has shape
 * {@code []}). Its JSON form is kept for saving.
 */
final class Constant {
    final float[] data;
    final int[] shape;

    private Constant(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** Whether a layout entry is a constant array or number (not a tensor, slice or ellipsis). */
    static boolean isConstant(Object o) {
        if (o == Op.TENSOR) {
            return false;
        }
        if (o instanceof Number || o instanceof Boolean || o instanceof List<?>) {
            return Op.countTensors(o) == 0;
        }
        if (o instanceof Map<?, ?> m) {
            Object cn = m.get("class_name");
            return "__numpy__".equals(cn) || "__tensor__".equals(cn);
        }
        return false;
    }

    static Constant parse(Op op, Object o) {
        Object value = o;
        if (o instanceof Map<?, ?> m) {
            Object cn = m.get("class_name");
            if (!"__numpy__".equals(cn) && !"__tensor__".equals(cn)) {
                throw op.error("unsupported constant argument " + o);
            }
            Object cfg = m.get("config");
            if (!(cfg instanceof Map<?, ?> c)) {
                throw op.error("constant " + cn + " has no config: " + o);
            }
            Object dtype = c.get("dtype");
            if (dtype != null && !isNumericDtype(String.valueOf(dtype))) {
                throw op.error("constant of dtype " + dtype + " is not supported (numbers only)");
            }
            value = c.get("value");
        }
        List<Integer> dims = new ArrayList<>();
        Object probe = value;
        while (probe instanceof List<?> l) {
            dims.add(l.size());
            probe = l.isEmpty() ? null : l.get(0);
        }
        int[] shape = new int[dims.size()];
        int n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i);
            n *= shape[i];
        }
        float[] data = new float[n];
        int[] pos = {0};
        fill(op, value, 0, shape, data, pos);
        return new Constant(data, shape);
    }

    private static void fill(Op op, Object v, int depth, int[] shape, float[] data, int[] pos) {
        if (depth == shape.length) {
            if (v instanceof Number num) {
                data[pos[0]++] = num.floatValue();
            } else if (v instanceof Boolean b) {
                data[pos[0]++] = b ? 1f : 0f;
            } else {
                throw op.error("constant argument holds a non-number " + v);
            }
            return;
        }
        if (!(v instanceof List<?> l) || l.size() != shape[depth]) {
            throw op.error("constant argument is a ragged nested list");
        }
        for (Object e : l) {
            fill(op, e, depth + 1, shape, data, pos);
        }
    }

    private static boolean isNumericDtype(String d) {
        return d.startsWith("float") || d.startsWith("int") || d.startsWith("uint") || d.equals("bool")
                || d.equals("bfloat16");
    }

    /** Keras's JSON form of a Java constant: a Number stays, a Tensor becomes a {@code __numpy__} dict. */
    static Object toJson(Object value) {
        if (value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Tensor t) {
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("value", nested(t.data(), t.shape(), 0, new int[] {0}));
            cfg.put("dtype", "float32");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("class_name", "__numpy__");
            m.put("config", cfg);
            return m;
        }
        if (value instanceof float[] a) {
            return toJson(Tensor.of(a.clone(), a.length));
        }
        if (value instanceof double[] a) {
            float[] f = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                f[i] = (float) a[i];
            }
            return toJson(Tensor.of(f, f.length));
        }
        throw new IllegalArgumentException("An op argument must be a SymbolicTensor, a Number or a Tensor constant; got "
                + (value == null ? "null" : value.getClass().getSimpleName()));
    }

    private static Object nested(float[] data, int[] shape, int depth, int[] pos) {
        if (depth == shape.length) {
            return (double) data[pos[0]++];
        }
        List<Object> l = new ArrayList<>(shape[depth]);
        for (int i = 0; i < shape[depth]; i++) {
            l.add(nested(data, shape, depth + 1, pos));
        }
        return l;
    }
}
