package org.rnn4j.kernels;

/**
 * Up-sampling of channels_last images {@code (batch, h, w, c)} by integer factors: nearest (each
 * pixel repeated, Keras's {@code ops.repeat}) and bilinear with TensorFlow's half-pixel centers
 * ({@code tf.image.resize}, the op Keras's UpSampling2D calls), forward and adjoint.
 */
public final class Resize {
    private Resize() {
    }

    /** {@code y[b, oh, ow, :] = x[b, oh / sh, ow / sw, :]}. */
    public static void nearest(float[] x, int batch, int h, int w, int c, int sh, int sw, float[] y) {
        int oh = h * sh;
        int ow = w * sw;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < oh; i++) {
                int src = (b * h + i / sh) * w;
                int dst = (b * oh + i) * ow;
                for (int j = 0; j < ow; j++) {
                    System.arraycopy(x, (src + j / sw) * c, y, (dst + j) * c, c);
                }
            }
        }
    }

    /** The adjoint of {@link #nearest}: {@code dx} (overwritten) sums each pixel's copies. */
    public static void nearestBackward(float[] dy, int batch, int h, int w, int c, int sh, int sw, float[] dx) {
        java.util.Arrays.fill(dx, 0, batch * h * w * c, 0f);
        int oh = h * sh;
        int ow = w * sw;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < oh; i++) {
                int src = (b * h + i / sh) * w;
                int dst = (b * oh + i) * ow;
                for (int j = 0; j < ow; j++) {
                    int d = (src + j / sw) * c;
                    int g = (dst + j) * c;
                    for (int k = 0; k < c; k++) {
                        dx[d + k] += dy[g + k];
                    }
                }
            }
        }
    }

    /** TensorFlow's half-pixel weights of one axis: lower index, upper index and lerp per output. */
    public static final class Axis {
        public final int[] lower;
        public final int[] upper;
        public final float[] lerp;

        public Axis(int in, int out) {
            lower = new int[out];
            upper = new int[out];
            lerp = new float[out];
            float scale = (float) in / out;
            for (int i = 0; i < out; i++) {
                float v = (i + 0.5f) * scale - 0.5f;
                float f = (float) Math.floor(v);
                lower[i] = Math.max((int) f, 0);
                upper[i] = Math.min((int) Math.ceil(v), in - 1);
                lerp[i] = v - f;
            }
        }
    }

    /** Bilinear resize to {@code (ay.lower.length, ax.lower.length)}, in TensorFlow's arithmetic order. */
    public static void bilinear(float[] x, int batch, int h, int w, int c, Axis ay, Axis ax, float[] y) {
        int oh = ay.lower.length;
        int ow = ax.lower.length;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < oh; i++) {
                int top = (b * h + ay.lower[i]) * w;
                int bot = (b * h + ay.upper[i]) * w;
                float yl = ay.lerp[i];
                for (int j = 0; j < ow; j++) {
                    int l = ax.lower[j];
                    int r = ax.upper[j];
                    float xl = ax.lerp[j];
                    int o = ((b * oh + i) * ow + j) * c;
                    for (int k = 0; k < c; k++) {
                        float tl = x[(top + l) * c + k];
                        float tr = x[(top + r) * c + k];
                        float bl = x[(bot + l) * c + k];
                        float br = x[(bot + r) * c + k];
                        float t = tl + (tr - tl) * xl;
                        float bo = bl + (br - bl) * xl;
                        y[o + k] = t + (bo - t) * yl;
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #bilinear}; {@code dx} is overwritten. */
    public static void bilinearBackward(float[] dy, int batch, int h, int w, int c, Axis ay, Axis ax, float[] dx) {
        java.util.Arrays.fill(dx, 0, batch * h * w * c, 0f);
        int oh = ay.lower.length;
        int ow = ax.lower.length;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < oh; i++) {
                int top = (b * h + ay.lower[i]) * w;
                int bot = (b * h + ay.upper[i]) * w;
                float yl = ay.lerp[i];
                for (int j = 0; j < ow; j++) {
                    int l = ax.lower[j];
                    int r = ax.upper[j];
                    float xl = ax.lerp[j];
                    int o = ((b * oh + i) * ow + j) * c;
                    for (int k = 0; k < c; k++) {
                        float g = dy[o + k];
                        float gt = g * (1 - yl);
                        float gb = g * yl;
                        dx[(top + l) * c + k] += gt * (1 - xl);
                        dx[(top + r) * c + k] += gt * xl;
                        dx[(bot + l) * c + k] += gb * (1 - xl);
                        dx[(bot + r) * c + k] += gb * xl;
                    }
                }
            }
        }
    }
}
