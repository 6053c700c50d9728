package org.rnn4j.serve;

import java.util.Arrays;

/**
 * A model input or output as the server describes it: its name, per-sample shape (batch axis
 * excluded; -1 for a free dimension) and Keras dtype ({@code float32}, {@code int32}).
 */
public record TensorSpec(String name, int[] shape, String dtype) {
    public TensorSpec {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    int rank() {
        return shape.length;
    }

    int dim(int i) {
        return shape[i];
    }

    boolean integral() {
        return dtype != null && (dtype.startsWith("int") || dtype.startsWith("uint"));
    }

    /** The shape with the batch axis, as Keras prints it: {@code [-1, 4, 6]}. */
    String batchShapeString() {
        int[] s = new int[shape.length + 1];
        s[0] = -1;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return Arrays.toString(s);
    }

    /** TensorFlow's enum name ({@code DT_FLOAT}). */
    String tfDtype() {
        switch (dtype == null ? "float32" : dtype) {
            case "float32": return "DT_FLOAT";
            case "float64": return "DT_DOUBLE";
            case "float16": return "DT_HALF";
            case "int32": return "DT_INT32";
            case "int64": return "DT_INT64";
            case "int8": return "DT_INT8";
            case "uint8": return "DT_UINT8";
            case "bool": return "DT_BOOL";
            default: return "DT_" + dtype.toUpperCase(java.util.Locale.ROOT);
        }
    }

    /** KServe V2's datatype name ({@code FP32}). */
    String v2Datatype() {
        switch (dtype == null ? "float32" : dtype) {
            case "float32": return "FP32";
            case "float64": return "FP64";
            case "float16": return "FP16";
            case "int32": return "INT32";
            case "int64": return "INT64";
            case "int8": return "INT8";
            case "uint8": return "UINT8";
            case "bool": return "BOOL";
            default: return dtype.toUpperCase(java.util.Locale.ROOT);
        }
    }
}
