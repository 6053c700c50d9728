package org.rnn4j.ops;

import java.util.List;
import java.util.Map;

/**
 * Keras 3's comparison and logical operations ({@code keras.src.ops.numpy}): what masks are made
 * of, e.g. {@code Masking}'s {@code any(not_equal(x, 0.0), axis=-1)}. Outputs are {@code bool}
 * tensors held as 0/1 floats; nothing differentiates through them (gradient 0, as in TensorFlow,
 * where boolean results carry no gradient).
 */
public final class Logic {
    private Logic() {
    }

    /** A comparison or logical op of two arguments with NumPy broadcasting, giving 0/1. */
    abstract static class Compare extends BinaryOp {
        Compare(List<Object> args) {
            super(args);
        }

        abstract boolean test(float a, float b);

        @Override
        final float apply(float a, float b) {
            return test(a, b) ? 1f : 0f;
        }

        @Override
        final float gradA(float a, float b) {
            return 0f;
        }

        @Override
        final float gradB(float a, float b) {
            return 0f;
        }

        @Override
        public String outputDtype(String inputDtype) {
            return "bool";
        }
    }

    public static final class Equal extends Compare {
        public Equal(List<Object> args) {
            super(args);
        }

        @Override
        boolean test(float a, float b) {
            return a == b;
        }
    }

    public static final class NotEqual extends Compare {
        public NotEqual(List<Object> args) {
            super(args);
        }

        @Override
        boolean test(float a, float b) {
            return a != b;
        }
    }

    public static final class Greater extends Compare {
        public Greater(List<Object> args) {
            super(args);
        }

        @Override
        boolean test(float a, float b) {
            return a > b;
        }
    }

    public static final class GreaterEqual extends Compare {
        public GreaterEqual(List<Object> args) {
            super(args);
        }

        @Override
        boolean test(float a, float b) {
            return a >= b;
        }
    }

    public static final class Less extends Compare {
        public Less(List<Object> args) {
            super(args);
        }

        @Override
        boolean test(float a, float b) {
            return a < b;
        }
    }

    public static final class LessEqual extends Compare {
        public LessEqual(List<Object> args) {
            super(args);
        }

        @Override
        boolean test(float a, float b) {
            return a <= b;
        }
    }

    public static final class LogicalAnd extends Compare {
        public LogicalAnd(List<Object> args) {
            super(args);
        }

        @Override
        boolean test(float a, float b) {
            return a != 0f && b != 0f;
        }
    }

    public static final class LogicalOr extends Compare {
        public LogicalOr(List<Object> args) {
            super(args);
        }

        @Override
        boolean test(float a, float b) {
            return a != 0f || b != 0f;
        }
    }

    /** {@code keras.ops.logical_not}: 1 where the input is 0. */
    public static final class LogicalNot extends UnaryOp {
        @Override
        float apply(float x) {
            return x == 0f ? 1f : 0f;
        }

        @Override
        float grad(float x, float y) {
            return 0f;
        }

        @Override
        public String outputDtype(String inputDtype) {
            return "bool";
        }
    }

    /** {@code keras.ops.any(x, axis)}: 1 where some element over {@code axis} is non-zero. */
    public static final class Any extends Reduce {
        public Any(int[] axis, boolean keepdims, boolean axisWasList) {
            super(axis, keepdims, axisWasList);
        }

        public static Any fromConfig(Map<String, Object> config) {
            return fromKerasConfig(config, Any::new);
        }

        @Override
        void reduce(float[] x, int[] map, float[] y, int count) {
            for (int i = 0; i < x.length; i++) {
                if (x[i] != 0f) {
                    y[map[i]] = 1f;
                }
            }
        }

        @Override
        void distribute(float[] x, int[] map, float[] y, float[] g, float[] dx, int count) {
            // boolean output: no gradient
        }

        @Override
        public String outputDtype(String inputDtype) {
            return "bool";
        }
    }

    /** {@code keras.ops.all(x, axis)}: 1 where every element over {@code axis} is non-zero. */
    public static final class All extends Reduce {
        public All(int[] axis, boolean keepdims, boolean axisWasList) {
            super(axis, keepdims, axisWasList);
        }

        public static All fromConfig(Map<String, Object> config) {
            return fromKerasConfig(config, All::new);
        }

        @Override
        void reduce(float[] x, int[] map, float[] y, int count) {
            java.util.Arrays.fill(y, 1f);
            for (int i = 0; i < x.length; i++) {
                if (x[i] == 0f) {
                    y[map[i]] = 0f;
                }
            }
        }

        @Override
        void distribute(float[] x, int[] map, float[] y, float[] g, float[] dx, int count) {
            // boolean output: no gradient
        }

        @Override
        public String outputDtype(String inputDtype) {
            return "bool";
        }
    }
}
