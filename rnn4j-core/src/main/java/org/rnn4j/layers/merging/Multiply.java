package org.rnn4j.layers.merging;

import java.util.Map;

/**
 * Keras's {@code Multiply}: the element-wise product of one or more inputs (in input order), with
 * broadcasting (see {@link Merge}). With masks, as Keras 3's {@code Multiply._merge_function}: a
 * masked-out step of an input counts as 1; when every input has a mask, output elements whose step
 * no input keeps are 0. The output mask is the OR of the input masks when every input has one.
 */
public class Multiply extends ElementwiseMerge {
    public Multiply() {
    }

    /** Rebuilds the layer from its Keras config ({@code name}, {@code trainable}; no other options). */
    public static Multiply fromConfig(Map<String, Object> config) {
        return Configs.common(new Multiply(), config);
    }

    @Override
    public Multiply name(String newName) {
        super.name(newName);
        return this;
    }

    @Override
    boolean usesMasks() {
        return true;
    }

    private static boolean allPresent(boolean[][] masks, int n) {
        if (masks == null) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (masks[i] == null) {
                return false;
            }
        }
        return true;
    }

    @Override
    void combine(float[][] xs, int[][] maps, boolean[][] masks, int size, float[] out, Call rec) {
        int n = xs.length;
        boolean all = allPresent(masks, n);
        if (rec != null) {
            rec.recAllMasked = all;
        }
        for (int e = 0; e < size; e++) {
            float p = 1f;
            boolean keep = false;
            for (int i = 0; i < n; i++) {
                boolean[] m = masks == null ? null : masks[i];
                float v = m != null && !m[e] ? 1f : xs[i][at(maps[i], e)];
                p = i == 0 ? v : p * v;
                keep |= m != null && m[e];
            }
            out[e] = all && !keep ? 0f : p;
        }
    }

    @Override
    void distribute(float[] g, Call rec, float[][] dx) {
        int n = rec.n;
        boolean[][] masks = rec.recMasks;
        if (rec.prefix == null || rec.prefix.length < 2 * n) {
            rec.prefix = new float[2 * n];
        }
        float[] v = rec.prefix;   // v[i] = input i as multiplied, v[n + i] = product of inputs 0..i
        for (int e = 0; e < rec.size; e++) {
            boolean keep = false;
            float p = 1f;
            for (int i = 0; i < n; i++) {
                boolean[] m = masks == null ? null : masks[i];
                v[i] = m != null && !m[e] ? 1f : rec.recXs[i][at(rec.recMaps[i], e)];
                p = i == 0 ? v[i] : p * v[i];
                v[n + i] = p;
                keep |= m != null && m[e];
            }
            if (rec.recAllMasked && !keep) {
                continue;   // the output was replaced by 0
            }
            float acc = g[e];
            for (int i = n - 1; i >= 1; i--) {
                boolean[] m = masks == null ? null : masks[i];
                if (m == null || m[e]) {
                    dx[i][at(rec.recMaps[i], e)] += acc * v[n + i - 1];
                }
                acc = acc * v[i];
            }
            boolean[] m0 = masks == null ? null : masks[0];
            if (m0 == null || m0[e]) {
                dx[0][at(rec.recMaps[0], e)] += acc;
            }
        }
    }
}
