package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.util.Rng;

/**
 * Literal-valued assertions of Keras 3.15's keras/src/layers/convolutional/conv_transpose_test.py
 * (test_conv1d/2d_transpose_basic, test_output_padding_serialization, test_bad_init_args), same
 * configs and expected values. Keras rejects bad arguments in the constructor; rnn4j rejects the
 * value combinations when the layer is built, with the same message text.
 */
class KerasConvTransposePortTest {
    private static int[] built(Layer l, int... inputWithBatch) {
        int[] in = java.util.Arrays.copyOfRange(inputWithBatch, 1, inputWithBatch.length);
        l.build(in, new Rng(1));
        assertEquals(2, l.weights().size(), "kernel and bias");
        return l.outputShape();
    }

    @Test
    void conv1dTransposeBasic() {
        assertArrayEquals(new int[] {16, 5}, built(new Conv1DTranspose(5, 2).strides(2), 2, 8, 4));
        assertArrayEquals(new int[] {23, 6}, built(new Conv1DTranspose(6, 2).strides(3).padding("same")
                .outputPadding(2), 2, 8, 4));
        assertArrayEquals(new int[] {16, 6}, built(new Conv1DTranspose(6, 2).strides(2), 2, 8, 4));
    }

    @Test
    void conv2dTransposeBasic() {
        assertArrayEquals(new int[] {16, 16, 5}, built(new Conv2DTranspose(5, 2).strides(2), 2, 8, 8, 4));
        assertArrayEquals(new int[] {23, 23, 6}, built(new Conv2DTranspose(6, 2).strides(3).padding("same")
                .outputPadding(2, 2), 2, 8, 8, 4));
        assertArrayEquals(new int[] {6, 16, 10}, built(new Conv2DTranspose(6, 2, 3).strides(2, 1)
                .dataFormat("channels_first"), 2, 4, 8, 8));
        assertArrayEquals(new int[] {224, 224, 2}, built(new Conv2DTranspose(2, 7).strides(16), 1, 14, 14, 2));
    }

    @Test
    void outputPaddingSerialization() {
        Conv1DTranspose a = new Conv1DTranspose(2, 3).strides(2).outputPadding(1);
        Map<String, Object> ca = a.config();
        assertTrue(ca.containsKey("output_padding"));
        Conv1DTranspose ra = Conv1DTranspose.fromConfig(ca);
        assertArrayEquals(a.outputPadding(), ra.outputPadding());
        assertArrayEquals(a.computeOutputShape(new int[] {8, 3}), ra.computeOutputShape(new int[] {8, 3}));
        Conv2DTranspose b = new Conv2DTranspose(2, 3).strides(2).outputPadding(1, 1);
        Conv2DTranspose rb = Conv2DTranspose.fromConfig(b.config());
        assertArrayEquals(b.outputPadding(), rb.outputPadding());
        assertArrayEquals(b.computeOutputShape(new int[] {5, 5, 3}), rb.computeOutputShape(new int[] {5, 5, 3}));
    }

    private static void rejects(String fragment, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void badInitArgs() {
        rejects("filters must be positive, got 0", () -> new Conv1DTranspose(0, 1));
        rejects("kernelSize values must be >= 1", () -> new Conv2DTranspose(2, 1, 0));
        rejects("strides values must be >= 1", () -> new Conv2DTranspose(2, 2).strides(1, 0));
        String op = "must be strictly less than strides";
        rejects(op, () -> new Conv1DTranspose(2, 3).strides(2).outputPadding(2).computeOutputShape(new int[] {4, 1}));
        rejects(op, () -> new Conv2DTranspose(2, 3).strides(2).outputPadding(3, 3)
                .computeOutputShape(new int[] {4, 4, 1}));
        rejects(op, () -> new Conv2DTranspose(2, 3).strides(2, 3).outputPadding(1, 3)
                .computeOutputShape(new int[] {4, 4, 1}));
        rejects("strides > 1 are not supported together with dilationRate > 1", () -> new Conv2DTranspose(2, 2)
                .strides(2).dilationRate(2, 1).computeOutputShape(new int[] {4, 4, 1}));
        rejects(op, () -> new Conv1DTranspose(2, 2).strides(2).outputPadding(2).computeOutputShape(new int[] {4, 1}));
        rejects(op, () -> new Conv2DTranspose(16, 3).strides(1, 1).outputPadding(1, 1)
                .computeOutputShape(new int[] {4, 4, 1}));
    }
}
