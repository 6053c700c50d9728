package org.rnn4j.layers.merging;

import java.util.Map;

/**
 * Keras's {@code Maximum}: the element-wise maximum of one or more inputs, with broadcasting (see
 * {@link Merge}). The gradient goes entirely to the input the value came from (the argmax). Ties go
 * to the earliest input, as TensorFlow's {@code maximum} gradient does ({@code x >= y} selects x, and
 * Keras folds the inputs left to right).
 *
 * <p>With masks, exactly as Keras 3's {@code Merge._apply_merge_op_and_or_mask}: folding left to
 * right, a masked-out step of an input takes the running result instead, and while every input so
 * far has a mask, a step none of them kept takes the new input's value; the output mask is the OR
 * of the input masks when every input has one. A masked-out step thus never wins over a kept one.
 */
public class Maximum extends ElementwiseMerge {
    public Maximum() {
    }

    /** Rebuilds the layer from its Keras config ({@code name}, {@code trainable}; no other options). */
    public static Maximum fromConfig(Map<String, Object> config) {
        return Configs.common(new Maximum(), config);
    }

    @Override
    public Maximum name(String newName) {
        super.name(newName);
        return this;
    }

    @Override
    boolean usesMasks() {
        return true;
    }

    @Override
    void combine(float[][] xs, int[][] maps, boolean[][] masks, int size, float[] out, Call rec) {
        int n = xs.length;
        int[] source = null;
        if (rec != null) {
            if (rec.source == null || rec.source.length < size) {
                rec.source = new int[size];
            }
            source = rec.source;
        }
        for (int e = 0; e < size; e++) {
            float o = xs[0][at(maps[0], e)];
            int src = 0;
            boolean[] m0 = masks == null ? null : masks[0];
            boolean omPresent = m0 != null;
            boolean om = omPresent && m0[e];
            for (int i = 1; i < n; i++) {
                float x = xs[i][at(maps[i], e)];
                int xsrc = i;
                boolean[] m = masks == null ? null : masks[i];
                if (m != null && !m[e]) {      // x = where(mask, x, output)
                    x = o;
                    xsrc = src;
                }
                if (omPresent && !om) {        // output = where(output_mask, output, x)
                    o = x;
                    src = xsrc;
                }
                if (m != null && omPresent) {
                    om = om || m[e];
                } else {
                    omPresent = false;
                }
                if (!(o >= x)) {              // TF: ties keep the first operand
                    o = x;
                    src = xsrc;
                }
            }
            out[e] = o;
            if (source != null) {
                source[e] = src;
            }
        }
    }

    @Override
    void distribute(float[] g, Call rec, float[][] dx) {
        int[] source = rec.source;
        for (int e = 0; e < rec.size; e++) {
            int s = source[e];
            dx[s][at(rec.recMaps[s], e)] += g[e];
        }
    }
}
