package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * The rest of Keras 3.15's conv_transpose_test.py for the 1D/2D transposes: test_conv1d_transpose,
 * test_conv2d_transpose (random inputs, kernel and bias against the file's NumPy reference,
 * atol 1e-5), test_conv1d_transpose_consistency (all-ones input, kernel 1..k) and
 * test_shape_inference_static_unknown_shape. The NumPy reference is written out below as the
 * test defines it: scatter every input step through the kernel into a long buffer, then cut the
 * output window at Keras's left padding (backend_utils' rule for JAX).
 */
class KerasConvTransposeNumpyPortTest {
    /** Keras's output length of one spatial axis (_get_output_shape_given_tf_padding). */
    static int outputLength(int in, int k, int s, String padding, Integer op) {
        if (padding.equals("valid")) {
            return (in - 1) * s + k + (op == null ? Math.max(k, s) - k : op);
        }
        return op == null ? in * s : (in - 1) * s + k % 2 + op;
    }

    /** Keras's left padding for JAX (_convert_conv_transpose_padding_args_from_keras_to_jax). */
    static int leftPad(int k, int s, String padding, Integer op) {
        if (padding.equals("valid")) {
            return k - 1;
        }
        int padLen = op == null ? s + k - 2 : k + k % 2 - 2 + op;
        return Math.min(padLen / 2 + padLen % 2, k - 1);
    }

    /**
     * np_conv2d_transpose, channels_last, dilation 1: x (n, h, w, cin), kernel (kh, kw, cout, cin).
     * The 1D reference is the same with w = kw = 1.
     */
    static float[] reference(Tensor x, Tensor kernel, float[] bias, int[] s, String padding, Integer[] op) {
        int n = x.dim(0);
        int h = x.dim(1);
        int w = x.dim(2);
        int cin = x.dim(3);
        int kh = kernel.dim(0);
        int kw = kernel.dim(1);
        int cout = kernel.dim(2);
        int ho = outputLength(h, kh, s[0], padding, op[0]);
        int wo = outputLength(w, kw, s[1], padding, op[1]);
        int bh = ho + kh;
        int bw = wo + kw;
        double[] buf = new double[n * bh * bw * cout];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    for (int a = 0; a < kh; a++) {
                        for (int c = 0; c < kw; c++) {
                            for (int o = 0; o < cout; o++) {
                                double sum = 0;
                                for (int q = 0; q < cin; q++) {
                                    sum += kernel.get(a, c, o, q) * x.get(b, i, j, q);
                                }
                                buf[((b * bh + i * s[0] + a) * bw + j * s[1] + c) * cout + o] += sum;
                            }
                        }
                    }
                }
            }
        }
        int padH = kh - 1 - leftPad(kh, s[0], padding, op[0]);
        int padW = kw - 1 - leftPad(kw, s[1], padding, op[1]);
        float[] out = new float[n * ho * wo * cout];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < ho; i++) {
                for (int j = 0; j < wo; j++) {
                    for (int o = 0; o < cout; o++) {
                        out[((b * ho + i) * wo + j) * cout + o] =
                                (float) (buf[((b * bh + i + padH) * bw + j + padW) * cout + o] + bias[o]);
                    }
                }
            }
        }
        return out;
    }

    private static void assertClose(float[] want, Tensor got, double atol, String what) {
        assertEquals(want.length, got.size(), what + ": size");
        for (int i = 0; i < want.length; i++) {
            float d = Math.abs(want[i] - got.data()[i]);
            assertTrue(d <= atol + 1e-6 * Math.abs(want[i]), what + ": element " + i + " want " + want[i] + " got " + got.data()[i]);
        }
    }

    private static void setWeights(Layer l, Tensor kernel, float[] bias) {
        System.arraycopy(kernel.data(), 0, l.weights().get(0).value().data(), 0, kernel.size());
        if (bias != null) {
            System.arraycopy(bias, 0, l.weights().get(1).value().data(), 0, bias.length);
        }
    }

    private static void conv1dCase(long seed, int filters, int k, int s, String padding, Integer op) {
        Conv1DTranspose l = new Conv1DTranspose(filters, k).strides(s).padding(padding);
        if (op != null) {
            l.outputPadding(op);
        }
        Tensor x = GradientCheck.randn(seed, 1f, 2, 8, 4);
        l.build(new int[] {8, 4}, new Rng(1));
        assertArrayEquals(new int[] {k, filters, 4}, l.weights().get(0).value().shape(), "Keras's kernel layout");
        Tensor kernel = GradientCheck.randn(seed + 1, 1f, k, filters, 4);
        float[] bias = GradientCheck.randn(seed + 2, 1f, filters).data();
        setWeights(l, kernel, bias);
        Tensor y = l.forward(x);
        float[] want = reference(x.reshape(2, 8, 1, 4), kernel.reshape(k, 1, filters, 4), bias, new int[] {s, 1}, padding,
                new Integer[] {op, null});
        assertClose(want, y, 1e-5, "conv1d_transpose k=" + k + " s=" + s + " " + padding + " op=" + op);
    }

    @Test
    void conv1dTransposeMatchesTheNumpyReference() {
        conv1dCase(1, 5, 2, 2, "valid", null);
        conv1dCase(2, 6, 2, 3, "same", 2);
        conv1dCase(3, 6, 2, 2, "valid", null);
    }

    private static void conv2dCase(long seed, int filters, int kh, int kw, int sh, int sw, String padding, Integer op) {
        Conv2DTranspose l = new Conv2DTranspose(filters, kh, kw).strides(sh, sw).padding(padding);
        if (op != null) {
            l.outputPadding(op, op);
        }
        Tensor x = GradientCheck.randn(seed, 1f, 2, 14, 14, 4);
        l.build(new int[] {14, 14, 4}, new Rng(1));
        assertArrayEquals(new int[] {kh, kw, filters, 4}, l.weights().get(0).value().shape(), "Keras's kernel layout");
        Tensor kernel = GradientCheck.randn(seed + 1, 1f, kh, kw, filters, 4);
        float[] bias = GradientCheck.randn(seed + 2, 1f, filters).data();
        setWeights(l, kernel, bias);
        Tensor y = l.forward(x);
        float[] want = reference(x, kernel, bias, new int[] {sh, sw}, padding, new Integer[] {op, op});
        assertClose(want, y, 1e-5, "conv2d_transpose " + kh + "x" + kw + " s=" + sh + "," + sw + " " + padding);
    }

    @Test
    void conv2dTransposeMatchesTheNumpyReference() {
        conv2dCase(11, 5, 2, 2, 2, 2, "valid", null);
        conv2dCase(12, 6, 7, 7, 16, 16, "same", 2);
        conv2dCase(13, 6, 2, 3, 2, 1, "valid", null);
        conv2dCase(14, 2, 7, 7, 16, 16, "valid", null);
    }

    @Test
    void conv1dTransposeConsistencyOnOnes() {
        int cases = 0;
        for (int k = 1; k <= 4; k++) {
            for (int s = 1; s <= 4; s++) {
                for (String padding : new String[] {"same", "valid"}) {
                    for (Integer op : new Integer[] {null, 1, 2, 3, 4}) {
                        if (op != null && op >= s) {
                            continue; // Keras skips output_padding >= strides
                        }
                        Conv1DTranspose l = new Conv1DTranspose(1, k).strides(s).padding(padding);
                        if (op != null) {
                            l.outputPadding(op);
                        }
                        l.build(new int[] {3, 1}, new Rng(1));
                        Tensor kernel = Tensor.zeros(k, 1, 1);
                        for (int i = 0; i < k; i++) {
                            kernel.data()[i] = i + 1;
                        }
                        setWeights(l, kernel, new float[1]);
                        Tensor x = Tensor.full(1f, 1, 3, 1);
                        float[] want = reference(x.reshape(1, 3, 1, 1), kernel.reshape(k, 1, 1, 1), new float[1],
                                new int[] {s, 1}, padding, new Integer[] {op, null});
                        assertClose(want, l.forward(x), 1e-5, "k=" + k + " s=" + s + " " + padding + " op=" + op);
                        cases++;
                    }
                }
            }
        }
        // per kernel size and padding: 4 strides without output_padding + 3 + 2 + 1 with it
        assertEquals(4 * 2 * 10, cases, "cases run");
    }

    @Test
    void shapeInferenceWithUnknownSpatialSizes() {
        for (int k = 1; k <= 4; k++) {
            for (int s = 1; s <= 4; s++) {
                for (String padding : new String[] {"same", "valid"}) {
                    for (Integer op : new Integer[] {null, 1, 2, 3, 4}) {
                        if (op != null && op >= s) {
                            continue;
                        }
                        Conv2DTranspose l = new Conv2DTranspose(2, k).strides(s).padding(padding);
                        if (op != null) {
                            l.outputPadding(op, op);
                        }
                        assertArrayEquals(new int[] {-1, -1, 2}, l.computeOutputShape(new int[] {-1, -1, 3}),
                                "k=" + k + " s=" + s + " " + padding + " op=" + op);
                    }
                }
            }
        }
    }
}
