package org.rnn4j.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's {@code keras.src.ops.core.Cast}: converts to {@code dtype}. rnn4j tensors hold float32
 * values, so a float cast passes values through (gradient 1), an integer cast truncates toward
 * zero and {@code bool} gives 0/1 (both with gradient 0, as TensorFlow's cast to a non-float).
 */
public final class Cast extends UnaryOp {
    private final String dtype;
    private final int kind;

    public Cast(String dtype) {
        this.dtype = dtype;
        if (dtype == null) {
            throw error("'dtype' is required");
        }
        if (dtype.equals("float32") || dtype.equals("float64")) {
            kind = 0;
        } else if (dtype.matches("u?int(8|16|32|64)")) {
            kind = 1;
        } else if (dtype.equals("bool")) {
            kind = 2;
        } else {
            throw error("casting to dtype '" + dtype + "' is not supported (float32, float64, int*, uint*, bool)");
        }
    }

    public static Cast fromConfig(Map<String, Object> config) {
        Object d = config.get("dtype");
        Cast c = new Cast(d == null ? null : String.valueOf(d));
        if (config.get("name") instanceof String n) {
            c.name(n);
        }
        return c;
    }

    public String dtype() {
        return dtype;
    }

    @Override
    public String kerasModule() {
        return "keras.src.ops.core";
    }

    @Override
    public String outputDtype(String inputDtype) {
        return dtype;
    }

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dtype", dtype);
        return m;
    }

    @Override
    float apply(float x) {
        return switch (kind) {
            case 0 -> x;
            case 1 -> (float) (long) x;
            default -> x != 0f ? 1f : 0f;
        };
    }

    @Override
    float grad(float x, float y) {
        return kind == 0 ? 1f : 0f;
    }
}
