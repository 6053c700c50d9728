package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * The Conv3DTranspose assertions of Keras 3.15's keras/src/layers/convolutional/conv_transpose_test.py:
 * test_conv3d_transpose_basic (output shape, 2 trainable / 0 non-trainable weights, no masking),
 * the 3D case of test_output_padding_serialization, the Conv3DTranspose line of test_bad_init_args
 * and test_conv3d_transpose (random input, kernel and bias against the file's np_conv3d_transpose,
 * atol 1e-5). Forward, gradients and config against TensorFlow itself are in ConvTransposeRefsTest
 * (cases c3_*); the finite-difference checks below cover what those cases leave out.
 */
class KerasConv3DTransposePortTest {
    private static int[] built(Conv3DTranspose l, int... inputWithBatch) {
        l.build(java.util.Arrays.copyOfRange(inputWithBatch, 1, inputWithBatch.length), new Rng(1));
        assertEquals(2, l.weights().size(), "kernel and bias");
        assertEquals(l.countParams(), l.trainableParams(), "no non-trainable weights");
        assertFalse(l.supportsMasking(), "supports_masking=False");
        return l.outputShape();
    }

    @Test
    void conv3dTransposeBasic() {
        assertArrayEquals(new int[] {16, 16, 16, 5}, built(new Conv3DTranspose(5, 2).strides(2), 2, 8, 8, 8, 4));
        assertArrayEquals(new int[] {23, 23, 23, 6}, built(new Conv3DTranspose(6, 2).strides(3).padding("same")
                .outputPadding(2), 2, 8, 8, 8, 4));
        assertArrayEquals(new int[] {16, 9, 17, 6}, built(new Conv3DTranspose(6, 2, 2, 3).strides(2, 1, 2),
                2, 8, 8, 8, 4));
    }

    @Test
    void outputPaddingSerialization() {
        Conv3DTranspose l = new Conv3DTranspose(2, 3).strides(2).outputPadding(1);
        Map<String, Object> config = l.config();
        assertTrue(config.containsKey("output_padding"));
        Conv3DTranspose revived = Conv3DTranspose.fromConfig(config);
        assertArrayEquals(l.outputPadding(), revived.outputPadding());
        int[] in = {5, 5, 5, 3};
        assertArrayEquals(l.computeOutputShape(in), revived.computeOutputShape(in));
        assertArrayEquals(new int[] {12, 12, 12, 2}, revived.computeOutputShape(in), "(5-1)*2 + 3 + 1");
    }

    @Test
    void badInitArgs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Conv3DTranspose(8, 3)
                .strides(1).outputPadding(1).computeOutputShape(new int[] {4, 4, 4, 1}));
        assertTrue(e.getMessage().contains("must be strictly less than strides"), e.getMessage());
        assertTrue(e.getMessage().contains("Conv3DTranspose"), e.getMessage());
    }

    /** np_conv3d_transpose, channels_last, dilation 1: x (n, d1, d2, d3, cin), kernel (k1, k2, k3, cout, cin). */
    static float[] reference(Tensor x, Tensor kernel, float[] bias, int[] s, String padding, Integer op) {
        int n = x.dim(0);
        int cin = x.dim(4);
        int cout = kernel.dim(3);
        int[] in = {x.dim(1), x.dim(2), x.dim(3)};
        int[] k = {kernel.dim(0), kernel.dim(1), kernel.dim(2)};
        int[] out = new int[3];
        int[] buf = new int[3];
        int[] side = new int[3];
        for (int a = 0; a < 3; a++) {
            out[a] = KerasConvTransposeNumpyPortTest.outputLength(in[a], k[a], s[a], padding, op);
            buf[a] = out[a] + k[a];
            side[a] = k[a] - 1 - KerasConvTransposeNumpyPortTest.leftPad(k[a], s[a], padding, op);
        }
        double[] acc = new double[n * buf[0] * buf[1] * buf[2] * cout];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < in[0]; i++) {
                for (int j = 0; j < in[1]; j++) {
                    for (int l = 0; l < in[2]; l++) {
                        for (int p = 0; p < k[0]; p++) {
                            for (int q = 0; q < k[1]; q++) {
                                for (int r = 0; r < k[2]; r++) {
                                    int at = (((b * buf[0] + i * s[0] + p) * buf[1] + j * s[1] + q) * buf[2]
                                            + l * s[2] + r) * cout;
                                    for (int o = 0; o < cout; o++) {
                                        double sum = 0;
                                        for (int c = 0; c < cin; c++) {
                                            sum += kernel.get(p, q, r, o, c) * x.get(b, i, j, l, c);
                                        }
                                        acc[at + o] += sum;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] y = new float[n * out[0] * out[1] * out[2] * cout];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < out[0]; i++) {
                for (int j = 0; j < out[1]; j++) {
                    for (int l = 0; l < out[2]; l++) {
                        int from = (((b * buf[0] + i + side[0]) * buf[1] + j + side[1]) * buf[2] + l + side[2]) * cout;
                        int to = (((b * out[0] + i) * out[1] + j) * out[2] + l) * cout;
                        for (int o = 0; o < cout; o++) {
                            y[to + o] = (float) (acc[from + o] + bias[o]);
                        }
                    }
                }
            }
        }
        return y;
    }

    private static void correctnessCase(long seed, int filters, int[] k, int[] s, String padding, Integer op) {
        Conv3DTranspose l = new Conv3DTranspose(filters, k[0], k[1], k[2]).strides(s[0], s[1], s[2]).padding(padding);
        if (op != null) {
            l.outputPadding(op);
        }
        Tensor x = GradientCheck.randn(seed, 1f, 2, 8, 8, 8, 4);
        l.build(new int[] {8, 8, 8, 4}, new Rng(1));
        assertArrayEquals(new int[] {k[0], k[1], k[2], filters, 4}, l.weights().get(0).value().shape(),
                "Keras's kernel layout");
        Tensor kernel = GradientCheck.randn(seed + 1, 1f, k[0], k[1], k[2], filters, 4);
        float[] bias = GradientCheck.randn(seed + 2, 1f, filters).data();
        l.weights().get(0).assign(kernel);
        l.weights().get(1).assign(Tensor.of(bias, filters));
        Tensor y = l.forward(x);
        float[] want = reference(x, kernel, bias, s, padding, op);
        assertEquals(want.length, y.size(), "size");
        for (int i = 0; i < want.length; i++) {
            float d = Math.abs(want[i] - y.data()[i]);
            assertTrue(d <= 1e-5 + 1e-6 * Math.abs(want[i]), "element " + i + " want " + want[i] + " got " + y.data()[i]);
        }
    }

    @Test
    void conv3dTransposeMatchesTheNumpyReference() {
        correctnessCase(31, 5, new int[] {2, 2, 2}, new int[] {2, 2, 2}, "valid", null);
        correctnessCase(32, 6, new int[] {2, 2, 2}, new int[] {3, 3, 3}, "same", 2);
        correctnessCase(33, 6, new int[] {2, 2, 3}, new int[] {2, 1, 2}, "valid", null);
    }

    private static void gradCheck(Conv3DTranspose l, Tensor x) {
        l.build(java.util.Arrays.copyOfRange(x.shape(), 1, x.rank()), new Rng(7));
        GradientCheck.check(l, x, null, true);
    }

    @Test
    void gradientCheckAcrossOptions() {
        gradCheck(new Conv3DTranspose(2, 2, 3, 2).strides(2, 1, 2).padding("same").activation("tanh"),
                GradientCheck.randn(41, 1f, 2, 2, 3, 2, 2));
        gradCheck(new Conv3DTranspose(3, 2).dilationRate(1, 2, 2).useBias(false),
                GradientCheck.randn(42, 1f, 1, 3, 3, 3, 2));
        gradCheck(new Conv3DTranspose(2, 3).strides(2).outputPadding(1, 0, 1).dataFormat("channels_first")
                .activation("sigmoid"), GradientCheck.randn(43, 1f, 1, 2, 2, 3, 2));
    }

    @Test
    void channelsFirstIsTheTransposeOfChannelsLast() {
        Conv3DTranspose last = new Conv3DTranspose(3, 2, 3, 2).strides(2, 1, 3).padding("same");
        Conv3DTranspose first = new Conv3DTranspose(3, 2, 3, 2).strides(2, 1, 3).padding("same")
                .dataFormat("channels_first");
        Tensor x = GradientCheck.randn(51, 1f, 2, 3, 2, 4, 2);
        last.build(new int[] {3, 2, 4, 2}, new Rng(5));
        first.build(new int[] {2, 3, 2, 4}, new Rng(6));
        for (int i = 0; i < 2; i++) {
            first.weights().get(i).assign(last.weights().get(i).value());
        }
        Tensor want = Permute.transpose(last.forward(x), new int[] {0, 4, 1, 2, 3});
        Tensor got = first.forward(Permute.transpose(x, new int[] {0, 4, 1, 2, 3}));
        assertArrayEquals(want.shape(), got.shape());
        assertArrayEquals(want.data(), got.data(), 1e-6f);
    }
}
