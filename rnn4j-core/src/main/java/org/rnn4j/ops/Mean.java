package org.rnn4j.ops;

import java.util.Map;

/** Keras's {@code keras.src.ops.numpy.Mean}: the mean over {@code axis} (see {@link Reduce}). */
public final class Mean extends Reduce {
    public Mean(int[] axis, boolean keepdims) {
        this(axis, keepdims, axis != null && axis.length != 1);
    }

    Mean(int[] axis, boolean keepdims, boolean axisWasList) {
        super(axis, keepdims, axisWasList);
    }

    /** From a Keras config ({@code name}, {@code axis}, {@code keepdims}). */
    public static Mean fromConfig(Map<String, Object> config) {
        return fromKerasConfig(config, Mean::new);
    }

    @Override
    void reduce(float[] x, int[] map, float[] y, int count) {
        double[] acc = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            acc[map[i]] += x[i];
        }
        for (int o = 0; o < y.length; o++) {
            y[o] = (float) (acc[o] / count);
        }
    }

    @Override
    void distribute(float[] x, int[] map, float[] y, float[] g, float[] dx, int count) {
        float inv = 1f / count;
        for (int i = 0; i < x.length; i++) {
            dx[i] += g[map[i]] * inv;
        }
    }
}
