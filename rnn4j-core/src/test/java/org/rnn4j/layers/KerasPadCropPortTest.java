package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * Literal-valued assertions of Keras 3.15's reshaping/zero_padding1d_test.py and
 * cropping1d_test.py, same inputs shapes, options and expected slices.
 */
class KerasPadCropPortTest {
    private static final Tensor X = GradientCheck.randn(7, 1f, 1, 2, 3);

    private static float at(Tensor t, int i, int j) {
        return t.data()[i * t.dim(2) + j];
    }

    @Test
    void zeroPadding1dChannelsLastAndFirst() {
        Tensor last = new ZeroPadding1D(1, 2).forward(X);
        assertArrayEquals(new int[] {1, 5, 3}, last.shape());
        for (int j = 0; j < 3; j++) {
            for (int row : new int[] {0, 3, 4}) {
                assertEquals(0f, at(last, row, j));
            }
            for (int s = 0; s < 2; s++) {
                assertEquals(at(X, s, j), at(last, s + 1, j));
            }
        }
        Tensor first = new ZeroPadding1D(1, 2).dataFormat("channels_first").forward(X);
        assertArrayEquals(new int[] {1, 2, 6}, first.shape());
        for (int c = 0; c < 2; c++) {
            for (int col : new int[] {0, 4, 5}) {
                assertEquals(0f, at(first, c, col));
            }
            for (int s = 0; s < 3; s++) {
                assertEquals(at(X, c, s), at(first, c, s + 1));
            }
        }
    }

    @Test
    void zeroPadding1dSamePaddingAsTupleAndInt() {
        for (ZeroPadding1D l : List.of(new ZeroPadding1D(2, 2), new ZeroPadding1D(2))) {
            Tensor y = l.forward(X);
            for (int j = 0; j < 3; j++) {
                for (int row : new int[] {0, 1, 4, 5}) {
                    assertEquals(0f, at(y, row, j));
                }
                for (int s = 0; s < 2; s++) {
                    assertEquals(at(X, s, j), at(y, s + 2, j));
                }
            }
        }
    }

    @Test
    void zeroPadding1dDynamicSpatialDim() {
        assertArrayEquals(new int[] {-1, 3}, new ZeroPadding1D(1, 2).computeOutputShape(new int[] {-1, 3}));
        assertArrayEquals(new int[] {5, 3}, new ZeroPadding1D(1, 2).computeOutputShape(new int[] {2, 3}));
    }

    @Test
    void zeroPadding1dInvalidPadding() {
        for (Object p : List.of(List.of(1), List.of(1, 2, 3), "1")) {
            assertThrows(IllegalArgumentException.class, () -> ZeroPadding1D.fromConfig(Map.of("padding", p)));
        }
    }

    @Test
    void zeroPadding1dConfig() {
        for (String df : List.of("channels_first", "channels_last")) {
            Map<String, Object> c = new ZeroPadding1D(1, 2).dataFormat(df).config();
            assertEquals(df, c.get("data_format"));
            assertEquals(List.of(1, 2), c.get("padding"));
        }
    }

    @Test
    void cropping1d() {
        Tensor x = GradientCheck.randn(8, 1f, 3, 5, 7);
        int[][] cases = {{1, 2, 1, 3}, {1, 1, 1, 4}, {0, 1, 0, 4}, {1, 0, 1, 5}};
        for (int[] k : cases) {
            check(new Cropping1D(k[0], k[1]).forward(x), x, k[2], k[3]);
        }
        check(new Cropping1D(1).forward(x), x, 1, 4);
    }

    private static void check(Tensor y, Tensor x, int from, int to) {
        assertArrayEquals(new int[] {3, to - from, 7}, y.shape());
        for (int b = 0; b < 3; b++) {
            for (int s = from; s < to; s++) {
                for (int c = 0; c < 7; c++) {
                    assertEquals(x.data()[(b * 5 + s) * 7 + c], y.data()[(b * (to - from) + s - from) * 7 + c]);
                }
            }
        }
    }

    @Test
    void cropping1dDynamicAndErrors() {
        assertArrayEquals(new int[] {-1, 7}, new Cropping1D(1, 2).computeOutputShape(new int[] {-1, 7}));
        for (Object p : List.of(List.of(1), List.of(1, 2, 3), "1")) {
            assertThrows(IllegalArgumentException.class, () -> Cropping1D.fromConfig(Map.of("cropping", p)));
        }
        for (int[] k : new int[][] {{2, 3}, {3, 3}}) {
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> new Cropping1D(k[0], k[1]).computeOutputShape(new int[] {5, 7}));
            assertTrue(e.getMessage().contains("must be smaller than the input length"), e.getMessage());
        }
    }
}
