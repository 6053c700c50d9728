package org.rnn4j.tensor;

/** Helpers for shapes as {@code int[]}; -1 stands for an unknown size (Keras's None). */
public final class Shapes {
    public static final int NONE = -1;

    private Shapes() {
    }

    public static long size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("Shape " + toString(shape) + " has an unknown or negative size");
            }
            n *= d;
        }
        return n;
    }

    /** Product of dims, treating them as known; used for per-sample sizes. */
    public static int product(int[] shape, int from, int to) {
        int n = 1;
        for (int i = from; i < to; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** Keras style: {@code (None, 10)} with the batch axis first. */
    public static String withBatch(int[] sampleShape) {
        StringBuilder sb = new StringBuilder("(None");
        for (int d : sampleShape) {
            sb.append(", ").append(d < 0 ? "None" : Integer.toString(d));
        }
        return sb.append(')').toString();
    }

    /** Several per-sample shapes with the batch axis, e.g. {@code [(None, 3), (None, 4)]}. */
    public static String listToString(java.util.List<int[]> sampleShapes) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < sampleShapes.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(withBatch(sampleShapes.get(i)));
        }
        return b.append(']').toString();
    }

    public static String toString(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i] < 0 ? "None" : Integer.toString(shape[i]));
        }
        if (shape.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }

    public static int[] prepend(int first, int[] rest) {
        int[] s = new int[rest.length + 1];
        s[0] = first;
        System.arraycopy(rest, 0, s, 1, rest.length);
        return s;
    }

    public static int[] dropFirst(int[] shape) {
        int[] s = new int[shape.length - 1];
        System.arraycopy(shape, 1, s, 0, s.length);
        return s;
    }
}
