package org.rnn4j.activations;

/** Softmax over each row (the last axis). */
final class Softmax implements Activation {
    @Override
    public String name() {
        return "softmax";
    }

    @Override
    public void forward(float[] x, float[] y, int off, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = off + r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(x[o + j] - max);
                y[o + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < cols; j++) {
                y[o + j] *= inv;
            }
        }
    }

    @Override
    public void backward(float[] x, float[] y, float[] dy, float[] dx, int off, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = off + r * cols;
            double dot = 0;
            for (int j = 0; j < cols; j++) {
                dot += dy[o + j] * y[o + j];
            }
            for (int j = 0; j < cols; j++) {
                dx[o + j] = (float) (y[o + j] * (dy[o + j] - dot));
            }
        }
    }

    @Override
    public boolean derivativeFromOutput() {
        return true;
    }

    @Override
    public String toString() {
        return name();
    }
}
