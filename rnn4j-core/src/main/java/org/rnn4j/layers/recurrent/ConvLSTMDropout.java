package org.rnn4j.layers.recurrent;

import org.rnn4j.util.Rng;

/**
 * The dropout state of one ConvLSTM call (kept in the cell's {@link org.rnn4j.layers.LayerContext},
 * never in the layer): as Keras's ConvLSTMCell ({@code dropout_mask_count = 4}), four masks per
 * side, one per gate i, f, c, o, each shaped like one step's input (or previous h), drawn once per
 * call and shared by every step; and the per-gate slices of the kernels, since each gate
 * convolves its own masked copy. Masks are {@code 0} or {@code 1 / (1 - rate)}.
 */
final class ConvLSTMDropout {
    static final int GATES = 4;

    /** Advances from call to call in one context (Keras's seed generator); null until dropout is used. */
    Rng rng;
    /** {@code GATES x [B * inputSize]}, or null when the input side is not dropped. */
    float[][] input;
    /** {@code GATES x [B * outPositions * F]}, or null. */
    float[][] recurrent;
    /** Per-gate {@code (..., C, F)} slices of the kernel (input side dropped), of the recurrent kernel, of the bias. */
    float[][] kernels;
    float[][] recurrentKernels;
    float[][] biases;

    static float[][] draw(Rng rng, int n, double rate) {
        float keep = (float) (1.0 / (1.0 - rate));
        float[][] m = new float[GATES][n];
        for (float[] g : m) {
            for (int i = 0; i < n; i++) {
                g[i] = rng.nextDouble() < rate ? 0f : keep;
            }
        }
        return m;
    }

    /** The four {@code [rows, F]} blocks of a {@code [rows, 4F]} weight (Keras's {@code ops.split(w, 4, axis=-1)}). */
    static float[][] gateSlices(float[] w, int filters) {
        int gf = GATES * filters;
        int rows = w.length / gf;
        float[][] out = new float[GATES][rows * filters];
        for (int g = 0; g < GATES; g++) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(w, r * gf + g * filters, out[g], r * filters, filters);
            }
        }
        return out;
    }

    /** {@code into[:, g*F:(g+1)*F] += block} for a {@code [rows, F]} block of a {@code [rows, 4F]} array. */
    static void addBlock(float[] block, int g, int filters, float[] into) {
        int gf = GATES * filters;
        int rows = block.length / filters;
        for (int r = 0; r < rows; r++) {
            int o = r * gf + g * filters;
            int b = r * filters;
            for (int j = 0; j < filters; j++) {
                into[o + j] += block[b + j];
            }
        }
    }

    /** {@code block = from[:, g*F:(g+1)*F]}. */
    static void takeBlock(float[] from, int g, int filters, float[] block) {
        int gf = GATES * filters;
        int rows = block.length / filters;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(from, r * gf + g * filters, block, r * filters, filters);
        }
    }

    /** {@code out = v * mask}. */
    static void mul(float[] v, float[] mask, float[] out) {
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * mask[i];
        }
    }
}
