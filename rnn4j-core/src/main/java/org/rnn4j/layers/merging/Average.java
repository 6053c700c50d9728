package org.rnn4j.layers.merging;

import java.util.Map;

/**
 * Keras's {@code Average}: the element-wise mean of one or more inputs (summed in input order,
 * then divided by their count, as Keras does), with broadcasting (see {@link Merge}). Masks do not
 * change the values; the output mask is the OR of the input masks when every input has one.
 */
public class Average extends ElementwiseMerge {
    public Average() {
    }

    /** Rebuilds the layer from its Keras config ({@code name}, {@code trainable}; no other options). */
    public static Average fromConfig(Map<String, Object> config) {
        return Configs.common(new Average(), config);
    }

    @Override
    public Average name(String newName) {
        super.name(newName);
        return this;
    }

    @Override
    void combine(float[][] xs, int[][] maps, boolean[][] masks, int size, float[] out, Call rec) {
        int n = xs.length;
        float count = n;
        for (int e = 0; e < size; e++) {
            float s = xs[0][at(maps[0], e)];
            for (int i = 1; i < n; i++) {
                s += xs[i][at(maps[i], e)];
            }
            out[e] = s / count;
        }
    }

    @Override
    void distribute(float[] g, Call rec, float[][] dx) {
        float count = rec.n;
        for (int i = 0; i < rec.n; i++) {
            int[] map = rec.recMaps[i];
            float[] d = dx[i];
            for (int e = 0; e < rec.size; e++) {
                d[at(map, e)] += g[e] / count;
            }
        }
    }
}
