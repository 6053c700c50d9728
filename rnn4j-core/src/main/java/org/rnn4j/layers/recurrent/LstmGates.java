package org.rnn4j.layers.recurrent;

import org.rnn4j.activations.Activation;

/**
 * The gate math of an LSTM step per row, shared by {@link LSTMCell} (a row is a sample) and
 * {@link ConvLSTMCell} (a row is a sample's position): pre-activations {@code z (rows, 4h)} hold
 * gates i, f, c, o in blocks of {@code h}; {@code c = f*c_prev + i*act(z_c)}, {@code h = o*act(c)}.
 */
final class LstmGates {
    private LstmGates() {
    }

    /**
     * Writes the activated gates {@code g (rows, 4h)}, the new cell state {@code c}, {@code ac = act(c)}
     * and the output {@code hOut = o * ac} (all {@code (rows, h)}).
     */
    static void forward(Activation act, Activation rec, float[] z, float[] cp, int rows, int h,
                        float[] g, float[] c, float[] ac, float[] hOut) {
        int gh = 4 * h;
        BaseCell.act(rec, z, g, rows, gh, 0, 2 * h);
        BaseCell.act(act, z, g, rows, gh, 2 * h, h);
        BaseCell.act(rec, z, g, rows, gh, 3 * h, h);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < h; j++) {
                int o = r * gh;
                c[r * h + j] = g[o + h + j] * cp[r * h + j] + g[o + j] * g[o + 2 * h + j];
            }
        }
        act.forward(c, ac, 0, rows, h);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < h; j++) {
                hOut[r * h + j] = g[r * gh + 3 * h + j] * ac[r * h + j];
            }
        }
    }

    /**
     * From the gradients of the output {@code dh} and of the cell state {@code dc}, writes the
     * gradients of the pre-activations {@code dz (rows, 4h)} and of the previous cell state {@code dcp}.
     * {@code z, g, c, ac, cp} are what {@link #forward} read and wrote.
     */
    static void backward(Activation act, Activation rec, float[] z, float[] g, float[] c, float[] ac, float[] cp,
                         float[] dh, float[] dc, int rows, int h, float[] dz, float[] dcp) {
        int gh = 4 * h;
        float[] dAct = new float[rows * h];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < h; j++) {
                int i = r * h + j;
                dz[r * gh + 3 * h + j] = dh[i] * ac[i];
                dAct[i] = dh[i] * g[r * gh + 3 * h + j];
            }
        }
        act.backward(c, ac, dAct, dAct, 0, rows, h);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < h; j++) {
                int i = r * h + j;
                int o = r * gh;
                float d = dAct[i] + dc[i];
                dz[o + j] = d * g[o + 2 * h + j];
                dz[o + h + j] = d * cp[i];
                dz[o + 2 * h + j] = d * g[o + j];
                dcp[i] = d * g[o + h + j];
            }
        }
        BaseCell.actBack(rec, z, g, dz, dz, rows, gh, 0, 2 * h);
        BaseCell.actBack(act, z, g, dz, dz, rows, gh, 2 * h, h);
        BaseCell.actBack(rec, z, g, dz, dz, rows, gh, 3 * h, h);
    }
}
