package org.rnn4j.layers.conv;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.Conv2D;
import org.rnn4j.layers.Conv3D;
import org.rnn4j.layers.DepthwiseConv1D;
import org.rnn4j.layers.DepthwiseConv2D;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.SeparableConv1D;
import org.rnn4j.layers.SeparableConv2D;
import org.rnn4j.util.Rng;

/**
 * The error cases of Keras 3.15's conv_test.py (test_bad_init_args,
 * test_conv_symbolic_invalid_configuration, test_conv_raises_exception_on_zero_dims),
 * separable_conv_test.py and depthwise_conv_test.py (test_bad_init_args,
 * test_invalid_output_shape_raises): the same arguments are refused, by a message naming the option.
 */
class KerasConvErrorsPortTest {
    private static void refused(Executable e, String part) {
        Exception x = assertThrows(RuntimeException.class, e);
        assertTrue(x.getMessage().contains(part), x.getMessage());
    }

    private static void build(Layer l, int... in) {
        l.build(in, new Rng(1));
    }

    @Test
    void convBadInitArgs() {
        refused(() -> new Conv1D(0, 1), "filters");
        refused(() -> new Conv2D(2, 1, 0), "kernelSize");
        refused(() -> new Conv2D(2, 2).strides(1, 0), "strides");
        refused(() -> build(new Conv2D(2, 2).strides(2).dilationRate(2, 1), 8, 8, 1), "dilationRate");
        refused(() -> new Conv2D(5, 2).groups(0), "groups");
        refused(() -> new Conv2D(5, 2).groups(2), "groups");
    }

    @Test
    void convSymbolicInvalidConfiguration() {
        // kernel 2 dilated by 10 spans 11 > 10 input steps
        refused(() -> build(new Conv1D(1, 2).dilationRate(10), 10, 3), "needs input size >= 11");
        refused(() -> build(new Conv2D(1, 2).dilationRate(10), 10, 10, 3), "needs input size >= 11");
        refused(() -> build(new Conv3D(1, 2).dilationRate(10), 10, 10, 10, 3), "needs input size >= 11");
    }

    @Test
    void convRaisesOnZeroDims() {
        refused(() -> build(new Conv2D(6, 5), 4, 4, 4), "needs input size >= 5");
    }

    @Test
    void separableBadInitArgsAndOutputShape() {
        refused(() -> new SeparableConv1D(1, 1).depthMultiplier(0), "depthMultiplier");
        refused(() -> new SeparableConv1D(0, 1), "filters");
        refused(() -> new SeparableConv2D(2, 1, 0), "kernelSize");
        refused(() -> new SeparableConv2D(2, 2).strides(1, 0), "strides");
        refused(() -> build(new SeparableConv1D(64, 11).strides(5), 10, 12), "needs a larger input");
        refused(() -> build(new SeparableConv2D(8, 5).strides(2, 2), 4, 4, 3), "needs a larger input");
    }

    @Test
    void depthwiseBadInitArgsAndOutputShape() {
        refused(() -> new DepthwiseConv1D(1).depthMultiplier(0), "depthMultiplier");
        refused(() -> new DepthwiseConv2D(1, 0), "kernelSize");
        refused(() -> new DepthwiseConv2D(2).strides(1, 0), "strides");
        refused(() -> build(new DepthwiseConv1D(11).strides(5), 10, 3), "needs a larger input");
        refused(() -> build(new DepthwiseConv2D(5).strides(2, 2), 4, 4, 3), "needs a larger input");
    }
}
