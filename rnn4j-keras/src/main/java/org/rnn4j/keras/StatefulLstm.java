package org.rnn4j.keras;

import org.rnn4j.activations.Activation;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Tensor;

/**
 * Inference of an LSTM started from a given state (Keras's {@code lstm(x, initial_state=[h, c])},
 * used by seq2seq decoders), with the layer's own weights and activations. Keras semantics: a
 * masked step keeps h and c and repeats the previous output, zeros before the first real step.
 * The rnn4j {@link LSTM} layer itself always starts from zeros, so this lives here until it
 * grows an initial-state input.
 */
final class StatefulLstm {
    private StatefulLstm() {
    }

    static Tensor forward(LSTM lstm, Tensor x, Mask mask, Tensor h0, Tensor c0) {
        int b = x.dim(0);
        int t = x.dim(1);
        int f = x.dim(2);
        int u = lstm.units();
        if (h0.size() != b * u || c0.size() != b * u) {
            throw new IllegalArgumentException("LSTM '" + lstm.name() + "': initial state must be (" + b + ", " + u
                    + "), got " + java.util.Arrays.toString(h0.shape()) + " and " + java.util.Arrays.toString(c0.shape()));
        }
        float[] kernel = lstm.weights().get(0).value().data();
        float[] recurrent = lstm.weights().get(1).value().data();
        float[] bias = lstm.useBias() ? lstm.weights().get(2).value().data() : null;
        Activation act = lstm.activation();
        Activation rec = lstm.recurrentActivation();
        int g = 4 * u;
        // Input projection for every step at once: [B*T, F] x [F, 4U].
        float[] zx = new float[b * t * g];
        Kernels.matmul().gemm(b * t, g, f, x.data(), kernel, zx, false);
        float[] h = h0.data().clone();
        float[] c = c0.data().clone();
        float[] prevOut = new float[b * u];
        float[] z = new float[b * g];
        float[] gates = new float[g];
        float[] tmp = new float[u];
        boolean seq = lstm.returnSequences();
        float[] out = new float[seq ? b * t * u : b * u];
        for (int step = 0; step < t; step++) {
            int s = lstm.goBackwards() ? t - 1 - step : step;
            Kernels.matmul().gemm(b, g, u, h, recurrent, z, false);
            for (int r = 0; r < b; r++) {
                boolean live = mask == null || mask.get(r, s);
                int zo = r * g;
                for (int j = 0; j < g; j++) {
                    gates[j] = z[zo + j] + zx[(r * t + s) * g + j] + (bias == null ? 0f : bias[j]);
                }
                rec.forward(gates, gates, 0, 1, u);            // i
                rec.forward(gates, gates, u, 1, u);            // f
                act.forward(gates, gates, 2 * u, 1, u);        // candidate
                rec.forward(gates, gates, 3 * u, 1, u);        // o
                int ho = r * u;
                if (live) {
                    for (int j = 0; j < u; j++) {
                        c[ho + j] = gates[u + j] * c[ho + j] + gates[j] * gates[2 * u + j];
                        tmp[j] = c[ho + j];
                    }
                    act.forward(tmp, tmp, 0, 1, u);
                    for (int j = 0; j < u; j++) {
                        h[ho + j] = gates[3 * u + j] * tmp[j];
                        prevOut[ho + j] = h[ho + j];
                    }
                }
                if (seq) {
                    System.arraycopy(prevOut, ho, out, (r * t + step) * u, u);
                }
            }
        }
        if (!seq) {
            System.arraycopy(prevOut, 0, out, 0, b * u);
            return Tensor.of(out, b, u);
        }
        return Tensor.of(out, b, t, u);
    }
}
