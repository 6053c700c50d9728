package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * Keras 3.15's keras/src/layers/reshaping/{up_sampling1d,up_sampling2d,zero_padding2d,cropping2d}_test.py:
 * the assertions with literal expected values (values, shapes, configs), same inputs shapes and
 * options; where Keras compares with NumPy on random inputs (np.repeat, slices), the same
 * comparison on our own random inputs. Keras's shapes include the batch axis, rnn4j's
 * computeOutputShape takes and gives per-sample shapes, and -1 stands for Keras's None.
 */
class KerasResize2DPortTest {
    private static Tensor run(Layer layer, Tensor x) {
        layer.build(java.util.Arrays.copyOfRange(x.shape(), 1, x.rank()), new Rng(1));
        return layer.forward(x);
    }

    private static Tensor arange(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = i;
        }
        return t;
    }

    // ---------------------------------------------------------------- up_sampling1d_test.py

    @Test
    void upSampling1dLayer() {
        UpSampling1D l = new UpSampling1D(2);
        Tensor y = run(l, GradientCheck.randn(1, 1f, 3, 5, 4));
        assertArrayEquals(new int[] {3, 10, 4}, y.shape());
        assertEquals(0, l.weights().size(), "no weights");
    }

    @Test
    void upSampling1dCorrectness() {
        Tensor y = run(new UpSampling1D(2), arange(2, 2, 3));
        float[] want = {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7, 8, 6, 7, 8, 9, 10, 11, 9, 10, 11};
        assertArrayEquals(new int[] {2, 4, 3}, y.shape());
        assertArrayEquals(want, y.data(), 1e-6f);
        Tensor ones = run(new UpSampling1D(3), Tensor.full(1f, 2, 1, 5));
        assertArrayEquals(new int[] {2, 3, 5}, ones.shape());
        for (float v : ones.data()) {
            assertEquals(1f, v, 1e-6f);
        }
    }

    @Test
    void upSampling1dDynamicShapes() {
        assertArrayEquals(new int[] {4, 3}, new UpSampling1D(2).computeOutputShape(new int[] {2, 3}));
        assertArrayEquals(new int[] {8, 3}, new UpSampling1D(4).computeOutputShape(new int[] {2, 3}));
        assertArrayEquals(new int[] {-1, 3}, new UpSampling1D(2).computeOutputShape(new int[] {-1, 3}));
        assertArrayEquals(new int[] {-1, 3}, new UpSampling1D(4).computeOutputShape(new int[] {-1, 3}));
        assertArrayEquals(new int[] {6, -1}, new UpSampling1D(2).computeOutputShape(new int[] {3, -1}));
        assertArrayEquals(new int[] {12, -1}, new UpSampling1D(4).computeOutputShape(new int[] {3, -1}));
    }

    @Test
    void upSampling1dInvalidSize() {
        for (int size : new int[] {0, -2}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new UpSampling1D(size));
            assertTrue(e.getMessage().contains("should be a positive integer"), e.getMessage());
        }
        // Keras's TypeError for a non-integer size: rnn4j's config reader rejects it by name
        for (Object size : List.of(2.5, "2", true)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> UpSampling1D.fromConfig(Map.of("size", size)));
            assertTrue(e.getMessage().contains("size"), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- up_sampling2d_test.py

    /** np.repeat along rows then cols. */
    private static float expectedNearest(Tensor x, boolean channelsFirst, int lr, int lc, int b, int c, int r, int col) {
        return channelsFirst ? x.get(b, c, r / lr, col / lc) : x.get(b, r / lr, col / lc, c);
    }

    @Test
    void upSampling2dNearestAndBilinearShapesAndValues() {
        int rows = 11;
        int cols = 12;
        int stack = 2;
        for (String df : List.of("channels_first", "channels_last")) {
            boolean cf = df.equals("channels_first");
            Tensor x = cf ? GradientCheck.randn(2, 1f, 2, stack, rows, cols) : GradientCheck.randn(2, 1f, 2, rows, cols, stack);
            for (int lc : new int[] {2, 3}) {
                int lr = 2;
                // run_layer_test's basic case: size (2, 2)
                assertArrayEquals(cf ? new int[] {2, 22, 24} : new int[] {22, 24, 2},
                        new UpSampling2D(2, 2).dataFormat(df).computeOutputShape(java.util.Arrays.copyOfRange(x.shape(), 1, 4)));
                Tensor y = run(new UpSampling2D(lr, lc).dataFormat(df), x);
                assertEquals(lr * rows, y.dim(cf ? 2 : 1));
                assertEquals(lc * cols, y.dim(cf ? 3 : 2));
                for (int b = 0; b < 2; b++) {
                    for (int c = 0; c < stack; c++) {
                        for (int r = 0; r < lr * rows; r++) {
                            for (int col = 0; col < lc * cols; col++) {
                                float got = cf ? y.get(b, c, r, col) : y.get(b, r, col, c);
                                assertEquals(expectedNearest(x, cf, lr, lc, b, c, r, col), got, 1e-6f);
                            }
                        }
                    }
                }
                // Keras's bilinear test also runs with set_image_data_format(df) first; rnn4j has no
                // global image data format, so both variants are the explicit data_format case
                Tensor z = run(new UpSampling2D(lr, lc).dataFormat(df).interpolation("bilinear"), x);
                assertEquals(lr * rows, z.dim(cf ? 2 : 1));
                assertEquals(lc * cols, z.dim(cf ? 3 : 2));
            }
        }
    }

    @Test
    void upSampling2dCorrectness() {
        Tensor y = run(new UpSampling2D(1, 2), arange(2, 2, 1, 3));
        assertArrayEquals(new int[] {2, 2, 2, 3}, y.shape());
        float[] want = {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7, 8, 6, 7, 8, 9, 10, 11, 9, 10, 11};
        assertArrayEquals(want, y.data(), 1e-6f);
    }

    // ---------------------------------------------------------------- zero_padding2d_test.py

    /** Every element whose index on {@code axis} is {@code index} (negative counts from the end) is 0. */
    private static void assertZeroAt(Tensor t, int axis, int index) {
        int[] s = t.shape();
        int k = index < 0 ? s[axis] + index : index;
        int[] at = new int[4];
        for (int i = 0; i < t.size(); i++) {
            int rem = i;
            for (int a = 3; a >= 0; a--) {
                at[a] = rem % s[a];
                rem /= s[a];
            }
            if (at[axis] == k) {
                assertEquals(0f, t.data()[i], 1e-6f, "axis " + axis + " index " + index);
            }
        }
    }

    /** outputs[..., top:-bottom, left:-right ...] equals the input. */
    private static void assertInterior(Tensor out, Tensor in, boolean cf, int top, int left) {
        int[] s = in.shape();
        for (int b = 0; b < s[0]; b++) {
            for (int i = 0; i < s[1]; i++) {
                for (int j = 0; j < s[2]; j++) {
                    for (int k = 0; k < s[3]; k++) {
                        float got = cf ? out.get(b, i, j + top, k + left) : out.get(b, i + top, j + left, k);
                        assertEquals(in.get(b, i, j, k), got, 1e-6f);
                    }
                }
            }
        }
    }

    @Test
    void zeroPadding2dAsymmetric() {
        Tensor x = GradientCheck.randn(3, 1f, 1, 2, 3, 4);
        for (String df : List.of("channels_first", "channels_last")) {
            boolean cf = df.equals("channels_first");
            Tensor y = run(new ZeroPadding2D(1, 2, 3, 4).dataFormat(df), x);
            int rowAxis = cf ? 2 : 1;
            for (int index : new int[] {0, -1, -2}) {
                assertZeroAt(y, rowAxis, index);
            }
            for (int index : new int[] {0, 1, 2, -1, -2, -3, -4}) {
                assertZeroAt(y, rowAxis + 1, index);
            }
            assertInterior(y, x, cf, 1, 3);
        }
    }

    @Test
    void zeroPadding2dSamePaddingAsPairsPairAndInt() {
        Tensor x = GradientCheck.randn(4, 1f, 1, 2, 3, 4);
        List<Object> paddings = List.of(List.of(List.of(2, 2), List.of(2, 2)), List.of(2, 2), 2);
        for (Object padding : paddings) {
            for (String df : List.of("channels_first", "channels_last")) {
                boolean cf = df.equals("channels_first");
                Tensor y = run(ZeroPadding2D.fromConfig(Map.of("padding", padding, "data_format", df)), x);
                int rowAxis = cf ? 2 : 1;
                for (int index : new int[] {0, 1, -1, -2}) {
                    assertZeroAt(y, rowAxis, index);
                    assertZeroAt(y, rowAxis + 1, index);
                }
                assertInterior(y, x, cf, 2, 2);
            }
        }
    }

    @Test
    void zeroPadding2dDynamicSpatialDim() {
        assertArrayEquals(new int[] {5, -1, 4}, new ZeroPadding2D(1, 2, 3, 4).computeOutputShape(new int[] {2, -1, 4}));
    }

    @Test
    void zeroPadding2dInvalidPadding() {
        List<Object> bad = List.of(List.of(1), List.of(1, 2, 3), "1", List.of(List.of(1, 2), List.of(3, 4, 5)),
                List.of(List.of(1, 2), List.of(3, -4)), List.of(List.of(1, 2), "3"));
        for (Object p : bad) {
            assertThrows(IllegalArgumentException.class, () -> ZeroPadding2D.fromConfig(Map.of("padding", p)), String.valueOf(p));
        }
    }

    @Test
    void zeroPadding2dConfig() {
        for (String df : List.of("channels_first", "channels_last")) {
            ZeroPadding2D l = new ZeroPadding2D(1, 2).dataFormat(df);
            Map<String, Object> c = l.config();
            assertEquals(Set.of("data_format", "dtype", "name", "padding", "trainable"), c.keySet());
            assertEquals(df, c.get("data_format"));
            assertEquals(List.of(List.of(1, 1), List.of(2, 2)), c.get("padding"));
            assertEquals(l.name(), c.get("name"));
            assertEquals(true, c.get("trainable"));
        }
    }

    // ---------------------------------------------------------------- cropping2d_test.py

    @Test
    void cropping2dKeepsTheExpectedRanges() {
        // {cropping, expected ranges ((row from, to), (col from, to))} as in Keras's product
        Object[][] cases = {
            {List.of(List.of(1, 2), List.of(3, 4)), new int[] {1, 5, 3, 5}},
            {List.of(List.of(2, 2), List.of(2, 2)), new int[] {2, 5, 2, 7}},
            {List.of(2, 2), new int[] {2, 5, 2, 7}},
            {2, new int[] {2, 5, 2, 7}},
            {List.of(List.of(0, 2), List.of(0, 4)), new int[] {0, 5, 0, 5}},
            {List.of(List.of(1, 0), List.of(3, 0)), new int[] {1, 7, 3, 9}},
            {List.of(List.of(1, 0), List.of(3, 4)), new int[] {1, 7, 3, 5}},
            {List.of(List.of(1, 2), List.of(3, 0)), new int[] {1, 5, 3, 9}},
        };
        for (Object[] cs : cases) {
            int[] r = (int[]) cs[1];
            for (String df : List.of("channels_first", "channels_last")) {
                boolean cf = df.equals("channels_first");
                Tensor x = cf ? GradientCheck.randn(5, 1f, 3, 5, 7, 9) : GradientCheck.randn(5, 1f, 3, 7, 9, 5);
                Tensor y = run(Cropping2D.fromConfig(Map.of("cropping", cs[0], "data_format", df)), x);
                int rows = r[1] - r[0];
                int cols = r[3] - r[2];
                assertArrayEquals(cf ? new int[] {3, 5, rows, cols} : new int[] {3, rows, cols, 5}, y.shape(), cs[0] + " " + df);
                for (int b = 0; b < 3; b++) {
                    for (int c = 0; c < 5; c++) {
                        for (int i = 0; i < rows; i++) {
                            for (int j = 0; j < cols; j++) {
                                float want = cf ? x.get(b, c, i + r[0], j + r[2]) : x.get(b, i + r[0], j + r[2], c);
                                float got = cf ? y.get(b, c, i, j) : y.get(b, i, j, c);
                                assertEquals(want, got, 1e-6f);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void cropping2dDynamicSpatialDim() {
        assertArrayEquals(new int[] {4, -1, 5}, new Cropping2D(1, 2, 3, 4).computeOutputShape(new int[] {7, -1, 5}));
    }

    @Test
    void cropping2dMoreThanAvailable() {
        // Input(batch_shape=(3, 7, 9, 5)) in both data formats
        int[][] croppings = {{3, 6, 0, 0}, {0, 0, 5, 4}};
        for (int[] c : croppings) {
            for (String df : List.of("channels_first", "channels_last")) {
                assertThrows(IllegalArgumentException.class,
                        () -> new Cropping2D(c[0], c[1], c[2], c[3]).dataFormat(df).computeOutputShape(new int[] {7, 9, 5}));
            }
        }
    }

    @Test
    void cropping2dInvalidArgument() {
        List<Object> bad = List.of(List.of(1), List.of(1, 2, 3), "1", List.of(List.of(1, 2), List.of(3, 4, 5)),
                List.of(List.of(1, 2), List.of(3, -4)), List.of(List.of(1, 2), "3"));
        for (Object p : bad) {
            assertThrows(IllegalArgumentException.class, () -> Cropping2D.fromConfig(Map.of("cropping", p)), String.valueOf(p));
        }
    }

    @Test
    void cropping2dExcessiveCroppingMessage() {
        int[][] croppings = {{4, 5, 0, 0}, {0, 0, 5, 5}, {6, 3, 0, 0}, {0, 0, 7, 3}};
        for (int[] c : croppings) {
            for (String df : List.of("channels_first", "channels_last")) {
                Tensor x = GradientCheck.randn(6, 1f, 3, 8, 9, 5);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> run(new Cropping2D(c[0], c[1], c[2], c[3]).dataFormat(df), x));
                assertTrue(e.getMessage().contains("Values in `cropping` argument should be smaller than the "
                        + "corresponding spatial dimension of the input."), e.getMessage());
            }
        }
    }
}
