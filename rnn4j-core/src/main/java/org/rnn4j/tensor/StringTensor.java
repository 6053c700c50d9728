package org.rnn4j.tensor;

import java.util.Arrays;

/**
 * An immutable array of strings with a shape (batch first), the value of a model input of dtype
 * {@code "string"} (Keras's {@code keras.Input(shape, dtype="string")}). It lives only at the model
 * boundary: the layer reading that input ({@link org.rnn4j.layers.StringInput}, e.g. StringLookup)
 * turns it into the float tensor the rest of the graph runs on.
 */
public final class StringTensor {
    private final String[] values;
    private final int[] shape;

    private StringTensor(String[] values, int[] shape) {
        long size = Shapes.size(shape);
        if (size != values.length) {
            throw new IllegalArgumentException("StringTensor: shape " + Shapes.toString(shape) + " holds " + size
                    + " strings but " + values.length + " were given");
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException("StringTensor: element " + i + " is null; use \"\" for an empty string");
            }
        }
        this.values = values;
        this.shape = shape;
    }

    /** Strings laid out in C order with the given shape (batch first). */
    public static StringTensor of(String[] values, int... shape) {
        return new StringTensor(values.clone(), shape.clone());
    }

    /** One string per sample: shape {@code (n, 1)}, as Keras's {@code Input(shape=(1,), dtype="string")}. */
    public static StringTensor column(String... values) {
        return new StringTensor(values.clone(), new int[] {values.length, 1});
    }

    /** Rows of equal length: shape {@code (rows, length)}. */
    public static StringTensor rows(String[][] rows) {
        int n = rows.length == 0 ? 0 : rows[0].length;
        String[] flat = new String[rows.length * n];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != n) {
                throw new IllegalArgumentException("StringTensor.rows: row " + r + " has " + rows[r].length
                        + " strings but row 0 has " + n + "; pad the rows to one length");
            }
            System.arraycopy(rows[r], 0, flat, r * n, n);
        }
        return new StringTensor(flat, new int[] {rows.length, n});
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public int size() {
        return values.length;
    }

    public String get(int flatIndex) {
        return values[flatIndex];
    }

    /** Samples {@code [from, to)} along the batch axis. */
    public StringTensor slice(int from, int to) {
        int per = shape[0] == 0 ? 0 : values.length / shape[0];
        int[] s = shape.clone();
        s[0] = to - from;
        return new StringTensor(Arrays.copyOfRange(values, from * per, to * per), s);
    }

    @Override
    public String toString() {
        return "StringTensor" + Shapes.toString(shape);
    }
}
