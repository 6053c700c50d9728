package org.rnn4j.layers;

import org.rnn4j.util.Rng;

/**
 * A recurrent layer's dropout masks for one training call: Keras draws one mask over the input
 * features and one over the state per sample, the same at every time step (per gate group when
 * recurrent dropout is on: {@code implementation=1}), scaled by {@code 1 / (1 - rate)}. The
 * buffers are reused from call to call; the generator is seeded by the layer's dropout seed.
 */
final class RecurrentDropoutMasks {
    /** groups x [B, F] input scales of the last draw, or null when input dropout is off. */
    float[][] input;
    /** groups x [B, H] state scales of the last draw, or null when recurrent dropout is off. */
    float[][] recurrent;
    private float[][] inputBuffer = new float[0][];
    private float[][] recurrentBuffer = new float[0][];
    private Rng rng;

    /** Draws the masks of a call with {@code inputSize = B*F} and {@code stateSize = B*H} scales per group. */
    void draw(RecurrentLoop layer, boolean training, int groups, int inputSize, int stateSize) {
        double d = layer.dropout();
        double rd = layer.recurrentDropout();
        // Keras applies dropout only for 0 < rate < 1 (a rate of 1 is ignored, not "drop all").
        boolean in = training && d > 0 && d < 1;
        boolean rec = training && rd > 0 && rd < 1;
        if ((in || rec) && rng == null) {
            rng = new Rng(layer.dropoutSeed);
        }
        if (in) {
            inputBuffer = buffers(inputBuffer, groups, inputSize);
            input = fill(inputBuffer, inputSize, d);
        } else {
            input = null;
        }
        if (rec) {
            recurrentBuffer = buffers(recurrentBuffer, groups, stateSize);
            recurrent = fill(recurrentBuffer, stateSize, rd);
        } else {
            recurrent = null;
        }
    }

    private static float[][] buffers(float[][] m, int groups, int n) {
        if (m.length != groups) {
            m = new float[groups][];
        }
        for (int g = 0; g < groups; g++) {
            if (m[g] == null || m[g].length != n) {
                m[g] = new float[n];
            }
        }
        return m;
    }

    private float[][] fill(float[][] m, int n, double rate) {
        float keep = (float) (1.0 / (1.0 - rate));
        for (float[] g : m) {
            for (int i = 0; i < n; i++) {
                g[i] = rng.nextDouble() < rate ? 0f : keep;
            }
        }
        return m;
    }
}
