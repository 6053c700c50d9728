package org.rnn4j.layers.merging;

import java.util.Map;

/**
 * Keras's {@code Subtract}: {@code inputs[0] - inputs[1]} for exactly two inputs, with broadcasting
 * (see {@link Merge}). Masks do not change the values; the output mask is the OR of both masks
 * when both have one.
 */
public class Subtract extends ElementwiseMerge {
    public Subtract() {
    }

    /** Rebuilds the layer from its Keras config ({@code name}, {@code trainable}; no other options). */
    public static Subtract fromConfig(Map<String, Object> config) {
        return Configs.common(new Subtract(), config);
    }

    @Override
    public Subtract name(String newName) {
        super.name(newName);
        return this;
    }

    @Override
    protected int minInputs() {
        return 2;
    }

    @Override
    protected int maxInputs() {
        return 2;
    }

    @Override
    void combine(float[][] xs, int[][] maps, boolean[][] masks, int size, float[] out, Call rec) {
        for (int e = 0; e < size; e++) {
            out[e] = xs[0][at(maps[0], e)] - xs[1][at(maps[1], e)];
        }
    }

    @Override
    void distribute(float[] g, Call rec, float[][] dx) {
        int[] m0 = rec.recMaps[0];
        int[] m1 = rec.recMaps[1];
        for (int e = 0; e < rec.size; e++) {
            dx[0][at(m0, e)] += g[e];
            dx[1][at(m1, e)] -= g[e];
        }
    }
}
