package org.rnn4j.layers.merging;

/**
 * {@link Maximum} and {@link Minimum}: folding the inputs left to right, each step keeps the
 * running result or takes the new input's value, masks applied as Keras 3's
 * {@code Merge._apply_merge_op_and_or_mask} does; the gradient goes entirely to the input the
 * value came from.
 */
abstract class ExtremeMerge extends ElementwiseMerge {
    /** True when the running result {@code o} stays against {@code x} ({@code o >= x} for the maximum). */
    abstract boolean keeps(float o, float x);

    @Override
    final boolean usesMasks() {
        return true;
    }

    @Override
    final void combine(float[][] xs, int[][] maps, boolean[][] masks, int size, float[] out, Call rec) {
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
                if (!keeps(o, x)) {           // TF: ties keep the first operand
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
    final void distribute(float[] g, Call rec, float[][] dx) {
        int[] source = rec.source;
        for (int e = 0; e < rec.size; e++) {
            int s = source[e];
            dx[s][at(rec.recMaps[s], e)] += g[e];
        }
    }
}
