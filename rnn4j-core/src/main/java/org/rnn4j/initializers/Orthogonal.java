package org.rnn4j.initializers;

import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's Orthogonal: a normal matrix of shape (prod(shape[:-1]), shape[-1]) made orthogonal by
 * QR (Q's columns sign-corrected by diag(R)), transposed when it has fewer rows than columns.
 */
public final class Orthogonal implements Initializer {
    private final double gain;

    public Orthogonal(double gain) {
        this.gain = gain;
    }

    @Override
    public String name() {
        return "orthogonal";
    }

    @Override
    public void fill(Tensor w, Rng rng) {
        int[] shape = w.shape();
        int cols = shape[shape.length - 1];
        int rows = w.size() / Math.max(1, cols);
        int big = Math.max(rows, cols);
        int small = Math.min(rows, cols);
        // a: big x small, orthonormalise its columns (modified Gram-Schmidt == QR with positive diag(R)).
        double[][] q = new double[small][big];
        for (int j = 0; j < small; j++) {
            for (int i = 0; i < big; i++) {
                q[j][i] = rng.normal();
            }
        }
        for (int j = 0; j < small; j++) {
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < big; i++) {
                    dot += q[j][i] * q[p][i];
                }
                for (int i = 0; i < big; i++) {
                    q[j][i] -= dot * q[p][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < big; i++) {
                norm += q[j][i] * q[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < big; i++) {
                q[j][i] /= norm;
            }
        }
        float[] d = w.data();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                // Q is big x small; when rows < cols the result is Q transposed.
                double v = rows >= cols ? q[c][r] : q[r][c];
                d[r * cols + c] = (float) (gain * v);
            }
        }
    }
}
