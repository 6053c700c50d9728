package org.rnn4j.layers;

import java.util.Arrays;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * The argument checks of {@link RecurrentRun}'s forward and backward calls, apart from the run so
 * that its flow reads without them; each failure names the layer and the shape it expected.
 */
final class RecurrentCallChecks {
    private RecurrentCallChecks() {
    }

    /** Input {@code [B, T, F]} with {@code T > 0}, a mask of {@code B x T}, initial states of {@code [B, units]}. */
    static void forward(RecurrentLoop layer, Tensor x, Mask mask, Tensor[] initial, int units, int stateCount) {
        int f = layer.kernel.shape()[0];
        if (x.rank() != 3 || x.dim(2) != f || x.dim(1) == 0) {
            int[] declared = layer.inputShape();
            throw new LayerShapeException("Layer '" + layer.name() + "' (" + layer.className() + ") expects input of shape "
                    + Shapes.withBatch(declared) + " (batch, timesteps, features=" + f + ") but got "
                    + Shapes.withBatch(Shapes.dropFirst(x.shape()))
                    + "; pass a 3D tensor [batch, timesteps, " + f + "]");
        }
        int b = x.dim(0);
        int t = x.dim(1);
        if (mask != null && (mask.batch() != b || mask.time() != t)) {
            throw new IllegalArgumentException("Layer '" + layer.name() + "': mask is " + mask.batch() + " x " + mask.time()
                    + " but the input has batch " + b + " and " + t + " timesteps");
        }
        for (int k = 0; k < initial.length; k++) {
            Tensor s0 = initial[k];
            if (s0 != null && (s0.rank() != 2 || s0.dim(0) != b || s0.dim(1) != units)) {
                throw new LayerShapeException("Layer '" + layer.name() + "' (" + layer.className() + "): initial state "
                        + k + " (" + RecurrentLoop.stateName(stateCount, k) + ") must have shape (" + b + ", " + units
                        + ") for this input of batch " + b + ", but got " + Shapes.toString(s0.shape()));
            }
        }
    }

    /** The output gradient has the output's shape, each state gradient {@code [b, h]} (null entries allowed). */
    static void backward(RecurrentLoop layer, Tensor gradOutput, Tensor[] stateGrads, int b, int t, int h,
                         int stateCount) {
        if (gradOutput != null) {
            int[] expected = layer.returnSequences() ? new int[] {b, t, h} : new int[] {b, h};
            if (!Arrays.equals(gradOutput.shape(), expected)) {
                throw new IllegalArgumentException("Layer '" + layer.name() + "': output gradient has shape "
                        + Shapes.toString(gradOutput.shape()) + " but the output was " + Shapes.toString(expected));
            }
        }
        for (int k = 0; k < stateGrads.length; k++) {
            Tensor g = stateGrads[k];
            if (g != null && !Arrays.equals(g.shape(), new int[] {b, h})) {
                throw new IllegalArgumentException("Layer '" + layer.name() + "': gradient of state " + k + " ("
                        + RecurrentLoop.stateName(stateCount, k) + ") has shape " + Shapes.toString(g.shape())
                        + " but the state was " + Shapes.toString(new int[] {b, h}));
            }
        }
    }
}
