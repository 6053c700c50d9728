package org.rnn4j.activations;

/** log(softmax(x)) over each row, computed stably. */
final class LogSoftmax implements Activation {
    @Override
    public String name() {
        return "log_softmax";
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
                sum += Math.exp(x[o + j] - max);
            }
            float lse = (float) (max + Math.log(sum));
            for (int j = 0; j < cols; j++) {
                y[o + j] = x[o + j] - lse;
            }
        }
    }

    @Override
    public void backward(float[] x, float[] y, float[] dy, float[] dx, int off, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = off + r * cols;
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += dy[o + j];
            }
            for (int j = 0; j < cols; j++) {
                dx[o + j] = (float) (dy[o + j] - Math.exp(y[o + j]) * sum);
            }
        }
    }

    @Override
    public boolean derivativeFromOutput() {
        return true;
    }
}
