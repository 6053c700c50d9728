package org.rnn4j.ops;

import java.util.Map;

/** Keras's {@code keras.src.ops.numpy.Sum}: the sum over {@code axis} (see {@link Reduce}). */
public final class Sum extends Reduce {
    public Sum(int[] axis, boolean keepdims) {
        this(axis, keepdims, axis != null && axis.length != 1);
    }

    Sum(int[] axis, boolean keepdims, boolean axisWasList) {
        super(axis, keepdims, axisWasList);
    }

    /** From a Keras config ({@code name}, {@code axis}, {@code keepdims}). */
    public static Sum fromConfig(Map<String, Object> config) {
        return fromKerasConfig(config, Sum::new);
    }

    @Override
    void reduce(float[] x, int[] map, float[] y, int count) {
        double[] acc = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            acc[map[i]] += x[i];
        }
        for (int o = 0; o < y.length; o++) {
            y[o] = (float) acc[o];
        }
    }

    @Override
    void distribute(float[] x, int[] map, float[] y, float[] g, float[] dx, int count) {
        for (int i = 0; i < x.length; i++) {
            dx[i] += g[map[i]];
        }
    }
}
