package org.rnn4j.serve;

import java.util.Arrays;
import java.util.List;
import org.rnn4j.tensor.Tensor;

/**
 * Converts parsed JSON (nested lists of numbers) into batched tensors checked against a model input,
 * and tensors back into JSON text. Every refusal names the input, the expected and actual shapes, or
 * the position of the offending value.
 */
final class TensorCodec {
    private TensorCodec() {
    }

    /** Where a value sits in the request, for messages: {@code instances[2][0]} or {@code inputs['x'][1]}. */
    interface Where {
        String at(int[] index, int depth);
    }

    static Where prefix(String prefix) {
        return (index, depth) -> {
            StringBuilder sb = new StringBuilder(prefix);
            for (int i = 0; i < depth; i++) {
                sb.append('[').append(index[i]).append(']');
            }
            return sb.toString();
        };
    }

    /** Row format with named inputs: the batch index comes first, then the name. */
    static Where rowNamed(String name) {
        return (index, depth) -> {
            StringBuilder sb = new StringBuilder("instances");
            if (depth > 0) {
                sb.append('[').append(index[0]).append(']');
            }
            sb.append("['").append(name).append("']");
            for (int i = 1; i < depth; i++) {
                sb.append('[').append(index[i]).append(']');
            }
            return sb.toString();
        };
    }

    /**
     * A nested list whose first axis is the batch, as a tensor of {@code spec}'s per-sample shape.
     * Throws {@link ApiException} (400, or 413 past {@code maxElements}) naming the problem.
     */
    static Tensor batched(Object value, TensorSpec spec, Where where, long maxElements) {
        int rank = spec.rank() + 1;
        int[] actual = probe(value, rank);
        String expected = spec.batchShapeString();
        if (actual.length != rank) {
            if (actual.length == 0) {
                throw ApiException.badRequest("input '" + spec.name() + "': expected an array of shape " + expected
                        + " at " + where.at(new int[0], 0) + ", got " + describe(value));
            }
            throw ApiException.badRequest("input '" + spec.name() + "': expected shape " + expected + " but got "
                    + (actual.length > rank ? "an array nested deeper than " + rank + " levels" : "shape " + Arrays.toString(actual))
                    + " at " + where.at(new int[0], 0));
        }
        if (actual[0] == 0) {
            throw ApiException.badRequest("input '" + spec.name() + "': no instances (empty array at "
                    + where.at(new int[0], 0) + ")");
        }
        long elements = 1;
        for (int i = 0; i < rank; i++) {
            if (i > 0 && spec.dim(i - 1) >= 0 && spec.dim(i - 1) != actual[i]) {
                throw ApiException.badRequest("input '" + spec.name() + "': expected shape " + expected
                        + " but got " + Arrays.toString(actual) + " (axis " + i + " is " + actual[i] + ", expected "
                        + spec.dim(i - 1) + ")");
            }
            if (actual[i] == 0) {
                throw ApiException.badRequest("input '" + spec.name() + "': axis " + i + " of shape "
                        + Arrays.toString(actual) + " is empty");
            }
            elements *= actual[i];
            if (elements > maxElements) {
                throw new ApiException(413, "input '" + spec.name() + "': shape " + Arrays.toString(actual)
                        + " has more than the limit of " + maxElements + " values");
            }
        }
        float[] data = new float[(int) elements];
        int[] index = new int[rank];
        int[] pos = {0};
        fill(value, 0, actual, spec, where, index, data, pos);
        return Tensor.of(data, actual);
    }

    /** The shape read along the first elements, at most {@code rank + 1} levels deep. */
    private static int[] probe(Object value, int rank) {
        int[] dims = new int[rank + 1];
        int n = 0;
        Object v = value;
        while (v instanceof List && n <= rank) {
            List<?> l = (List<?>) v;
            dims[n++] = l.size();
            if (l.isEmpty()) {
                break;
            }
            v = l.get(0);
        }
        return Arrays.copyOf(dims, n);
    }

    private static void fill(Object v, int depth, int[] shape, TensorSpec spec, Where where, int[] index,
                             float[] out, int[] pos) {
        if (depth == shape.length) {
            out[pos[0]++] = number(v, spec, where, index, depth);
            return;
        }
        if (!(v instanceof List)) {
            throw ApiException.badRequest("input '" + spec.name() + "': ragged array: " + where.at(index, depth)
                    + " is " + describe(v) + ", expected an array of " + shape[depth] + " (shape "
                    + Arrays.toString(shape) + " from the first elements)");
        }
        List<?> l = (List<?>) v;
        if (l.size() != shape[depth]) {
            throw ApiException.badRequest("input '" + spec.name() + "': ragged array: " + where.at(index, depth)
                    + " has " + l.size() + " elements, expected " + shape[depth] + " (shape "
                    + Arrays.toString(shape) + " from the first elements)");
        }
        for (int i = 0; i < l.size(); i++) {
            index[depth] = i;
            fill(l.get(i), depth + 1, shape, spec, where, index, out, pos);
        }
    }

    private static float number(Object v, TensorSpec spec, Where where, int[] index, int depth) {
        if (v instanceof Long) {
            long x = (Long) v;
            return (float) x;
        }
        if (v instanceof Double) {
            double d = (Double) v;
            if (spec.integral() && (d != Math.rint(d) || Double.isInfinite(d))) {
                throw ApiException.badRequest("input '" + spec.name() + "' is " + spec.dtype() + ": "
                        + where.at(index, depth) + " is " + d + ", expected an integer");
            }
            return (float) d;
        }
        throw ApiException.badRequest("input '" + spec.name() + "': " + where.at(index, depth) + " is "
                + describe(v) + ", expected a number" + (v instanceof List ? " (array nested deeper than shape "
                + spec.batchShapeString() + ")" : ""));
    }

    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            String s = (String) v;
            return "a string (\"" + (s.length() > 20 ? s.substring(0, 20) + "..." : s) + "\")";
        }
        if (v instanceof Boolean) {
            return "a boolean (" + v + ")";
        }
        if (v instanceof List) {
            return "an array of " + ((List<?>) v).size();
        }
        if (v instanceof java.util.Map) {
            return "an object";
        }
        return "a number (" + v + ")";
    }

    // ---------------------------------------------------------------- writing

    /** Appends the float as JSON (TF Serving writes {@code NaN}, {@code Infinity}, {@code -Infinity}). */
    static void appendFloat(StringBuilder sb, float f) {
        if (Float.isNaN(f)) {
            sb.append("NaN");
        } else if (Float.isInfinite(f)) {
            sb.append(f > 0 ? "Infinity" : "-Infinity");
        } else {
            sb.append(Float.toString(f));
        }
    }

    /** Appends rows {@code [from, to)} of {@code t} as a nested array (the batch axis included). */
    static void appendRows(StringBuilder sb, Tensor t, int from, int to) {
        int[] shape = t.shape();
        int row = rowSize(shape);
        sb.append('[');
        for (int r = from; r < to; r++) {
            if (r > from) {
                sb.append(',');
            }
            appendNested(sb, t.data(), shape, 1, r * row);
        }
        sb.append(']');
    }

    /** Appends row {@code r} of {@code t} as a nested array without the batch axis. */
    static void appendRow(StringBuilder sb, Tensor t, int r) {
        int[] shape = t.shape();
        appendNested(sb, t.data(), shape, 1, r * rowSize(shape));
    }

    /** Appends the values of rows {@code [from, to)} flat (KServe V2's {@code data}). */
    static void appendFlat(StringBuilder sb, Tensor t, int from, int to) {
        int row = rowSize(t.shape());
        float[] d = t.data();
        sb.append('[');
        for (int i = from * row; i < to * row; i++) {
            if (i > from * row) {
                sb.append(',');
            }
            appendFloat(sb, d[i]);
        }
        sb.append(']');
    }

    static int rowSize(int[] shape) {
        int n = 1;
        for (int i = 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }

    private static int appendNested(StringBuilder sb, float[] d, int[] shape, int axis, int off) {
        if (axis == shape.length) {
            appendFloat(sb, d[off]);
            return off + 1;
        }
        sb.append('[');
        for (int i = 0; i < shape[axis]; i++) {
            if (i > 0) {
                sb.append(',');
            }
            off = appendNested(sb, d, shape, axis + 1, off);
        }
        sb.append(']');
        return off;
    }

    static void appendString(StringBuilder sb, String s) {
        sb.append(org.rnn4j.keras.Json.write(s));
    }
}
