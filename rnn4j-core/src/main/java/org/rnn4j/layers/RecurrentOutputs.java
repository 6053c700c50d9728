package org.rnn4j.layers;

import java.util.Arrays;
import org.rnn4j.tensor.Tensor;

/**
 * What a {@link RecurrentRun}'s recorded path outputs per row and step, and so which output
 * gradients reach h in backward. Masked (padded) steps carry h forward, but Keras's output is
 * not always that h: with {@code zero_output_for_mask} a masked step of a sequence output is
 * zeros, and with an initial state and a mask the output before a row's first real step is zeros
 * (Keras's carried output starts at zeros, not at h0). Reads the run's sizes, step mask and h of
 * the current call.
 */
final class RecurrentOutputs {
    private final RecurrentRun run;
    // With an initial state and a mask: per row, the first real step in processing order (T if
    // none). Keras's output before it is zeros (the carried output starts at zeros), not h0.
    private int[] firstReal = new int[0];
    private boolean zerosBeforeFirstReal;

    RecurrentOutputs(RecurrentRun run) {
        this.run = run;
    }

    /** Called once the run's step mask is set: finds each row's first real step when it matters. */
    void begin(boolean hasInitialState) {
        boolean[] stepMask = run.stepMask;
        zerosBeforeFirstReal = stepMask != null && hasInitialState;
        if (!zerosBeforeFirstReal) {
            return;
        }
        int b = run.batch;
        int t = run.steps;
        if (firstReal.length < b) {
            firstReal = new int[b];
        }
        for (int r = 0; r < b; r++) {
            int s = 0;
            while (s < t && !stepMask[s * b + r]) {
                s++;
            }
            firstReal[r] = s;
        }
    }

    /** For a call without a mask (the inference path): every output is h. */
    void clear() {
        zerosBeforeFirstReal = false;
    }

    /** Whether the output of row {@code r} at step {@code s} is a constant zero (not h). */
    private boolean zeroOutput(int s, int r) {
        boolean[] stepMask = run.stepMask;
        if (stepMask == null) {
            return false;
        }
        RecurrentLoop layer = run.layer;
        if (layer.zeroOutputForMask() && layer.returnSequences() && !stepMask[s * run.batch + r]) {
            return true;
        }
        return zerosBeforeFirstReal && s < firstReal[r];
    }

    /** The output of the last recorded forward call, from {@code hAll}: the sequence of h, or the last one. */
    Tensor output() {
        int b = run.batch;
        int t = run.steps;
        int h = run.units;
        float[] hAll = run.hAll;
        if (!run.layer.returnSequences()) {
            float[] out = new float[b * h];
            System.arraycopy(hAll, t * b * h, out, 0, b * h);
            if (zerosBeforeFirstReal) {
                for (int r = 0; r < b; r++) {
                    if (firstReal[r] == t) {
                        Arrays.fill(out, r * h, (r + 1) * h, 0f);
                    }
                }
            }
            return Tensor.of(out, b, h);
        }
        float[] out = new float[b * t * h];
        for (int s = 0; s < t; s++) {
            for (int r = 0; r < b; r++) {
                if (zeroOutput(s, r)) {
                    continue;
                }
                System.arraycopy(hAll, ((s + 1) * b + r) * h, out, (r * t + s) * h, h);
            }
        }
        return Tensor.of(out, b, t, h);
    }

    /**
     * {@code dst[(r - r0) * H ..] += } the output gradient of step {@code s} for rows
     * {@code [r0, r0 + rows)} ({@code g} null = none; rows whose output is a constant get none).
     */
    void addOutputGradient(float[] g, int s, int r0, int rows, float[] dst) {
        if (g == null) {
            return;
        }
        int t = run.steps;
        int h = run.units;
        if (run.layer.returnSequences()) {
            for (int r = r0; r < r0 + rows; r++) {
                if (zeroOutput(s, r)) {
                    continue;
                }
                int src = (r * t + s) * h;
                int d = (r - r0) * h;
                for (int j = 0; j < h; j++) {
                    dst[d + j] += g[src + j];
                }
            }
        } else if (s == t - 1) {
            for (int r = r0; r < r0 + rows; r++) {
                if (zerosBeforeFirstReal && firstReal[r] == t) {
                    continue;
                }
                int d = (r - r0) * h;
                for (int j = 0; j < h; j++) {
                    dst[d + j] += g[r * h + j];
                }
            }
        }
    }
}
