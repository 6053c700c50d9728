package org.rnn4j.optimizers;

import java.util.ArrayList;
import java.util.List;

/**
 * Keras's {@code BaseOptimizer._clip_gradients}: {@code clipnorm} (each gradient by its own L2
 * norm), else {@code global_clipnorm} (all by their global norm), else {@code clipvalue}
 * (elementwise). Keeps reusable output buffers, so one instance serves one optimizer.
 */
final class GradientClipping {
    private float[][] buffers = new float[0][];

    /** The clipped gradients; the inputs themselves when no clipping is set. {@code reuse} writes into kept buffers. */
    List<float[]> clip(List<float[]> grads, Double clipnorm, Double clipvalue, Double globalClipnorm, boolean reuse) {
        if (clipnorm == null && clipvalue == null && globalClipnorm == null) {
            return grads;
        }
        float globalScale = globalClipnorm == null ? 1f : globalScale(grads, globalClipnorm.floatValue());
        if (buffers.length < grads.size()) {
            buffers = java.util.Arrays.copyOf(buffers, grads.size());
        }
        List<float[]> out = new ArrayList<>(grads.size());
        for (int i = 0; i < grads.size(); i++) {
            float[] g = grads.get(i);
            float[] buf = reuse ? buffers[i] : null;
            if (buf == null || buf.length != g.length) {
                buf = new float[g.length];
                if (reuse) {
                    buffers[i] = buf;
                }
            }
            if (clipnorm != null) {
                byNorm(g, clipnorm.floatValue(), buf);
            } else if (clipvalue != null) {
                float c = clipvalue.floatValue();
                for (int j = 0; j < g.length; j++) {
                    buf[j] = Math.min(Math.max(g[j], -c), c);
                }
            } else {
                for (int j = 0; j < g.length; j++) {
                    buf[j] = g[j] * globalScale;
                }
            }
            out.add(buf);
        }
        return out;
    }

    private static float globalScale(List<float[]> grads, float clip) {
        double sq = 0;
        for (float[] g : grads) {
            for (float x : g) {
                sq += (double) x * x;
            }
        }
        float norm = (float) Math.sqrt(sq);
        // Keras: clip * min(1/norm, 1/clip), NaN when the norm is not finite
        float scale = clip * Math.min(1f / norm, 1f / clip);
        return Float.isFinite(norm) ? scale : Float.NaN;
    }

    private static void byNorm(float[] g, float c, float[] out) {
        double sq = 0;
        for (float x : g) {
            sq += (double) x * x;
        }
        float denom = Math.max((float) Math.sqrt(sq), c);
        for (int j = 0; j < g.length; j++) {
            out[j] = g[j] * c / denom;
        }
    }
}
