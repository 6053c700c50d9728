package org.rnn4j.layers;

/**
 * The fused layers that run a lone built-in cell for {@code RNN(LSTMCell(n))} and friends, made
 * under an explicit name so they consume no per-JVM layer-name counter (the user's next
 * {@code LSTM} is still named as in Keras).
 */
public final class RecurrentEngines {
    private RecurrentEngines() {
    }

    public static LSTM lstm(int units, String name) {
        return new LSTM(units, name);
    }

    public static GRU gru(int units, String name) {
        return new GRU(units, name);
    }

    public static SimpleRNN simpleRnn(int units, String name) {
        return new SimpleRNN(units, name);
    }
}
