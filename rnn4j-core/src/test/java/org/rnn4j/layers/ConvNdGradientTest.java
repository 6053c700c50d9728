package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * Finite-difference gradient checks of the N-d convolution and pooling paths: Conv3D, grouped
 * and channels_first convolutions, 3D and channels_first pooling, global 2D/3D pooling,
 * depthwise and separable convolutions; and their weight shapes and parameter counts.
 */
class ConvNdGradientTest {
    private static <L extends Layer> L built(L layer, int... in) {
        layer.build(in, new Rng(1));
        return layer;
    }

    private static Tensor x(long seed, int... shape) {
        return GradientCheck.randn(seed, 1f, shape);
    }

    @Test
    void conv3dGradients() {
        GradientCheck.check(built(new Conv3D(2, 2), 3, 4, 3, 2), x(1, 2, 3, 4, 3, 2), null, true);
        GradientCheck.check(built(new Conv3D(3, 3, 2, 2).strides(2, 1, 2).padding("same").activation("tanh"),
                5, 3, 4, 2), x(2, 1, 5, 3, 4, 2), null, true);
        GradientCheck.check(built(new Conv3D(2, 2).dilationRate(2, 1, 1).useBias(false), 5, 3, 3, 1),
                x(3, 1, 5, 3, 3, 1), null, true);
        GradientCheck.check(built(new Conv3D(2, 2).dataFormat("channels_first").padding("same"), 2, 3, 4, 3),
                x(4, 1, 2, 3, 4, 3), null, true);
        GradientCheck.check(built(new Conv3D(4, 2).groups(2), 3, 3, 3, 4), x(5, 1, 3, 3, 3, 4), null, true);
    }

    @Test
    void groupedAndChannelsFirstConvGradients() {
        GradientCheck.check(built(new Conv1D(4, 3).groups(2).padding("same"), 6, 4), x(6, 2, 6, 4), null, true);
        GradientCheck.check(built(new Conv1D(3, 3).dataFormat("channels_first").padding("causal").dilationRate(2)
                .activation("tanh"), 4, 9), x(7, 2, 4, 9), null, true, 3e-3, 1e-3);
        GradientCheck.check(built(new Conv2D(6, 2).groups(3).dataFormat("channels_first"), 3, 4, 4),
                x(8, 2, 3, 4, 4), null, true);
        GradientCheck.check(built(new Conv2D(3, 2, 3).dataFormat("channels_first").strides(2, 1), 2, 5, 4),
                x(9, 2, 2, 5, 4), null, true);
    }

    @Test
    void poolingGradients() {
        GradientCheck.check(built(new MaxPooling3D(), 4, 5, 4, 2), PoolingTest.distinct(10, 2, 4, 5, 4, 2), null, true);
        GradientCheck.check(built(new MaxPooling3D(2, 3, 2).strides(1, 2, 2).padding("same"), 3, 5, 4, 2),
                PoolingTest.distinct(11, 1, 3, 5, 4, 2), null, true);
        GradientCheck.check(built(new AveragePooling3D(3, 3, 2).strides(2, 2, 1).padding("same"), 5, 4, 3, 2),
                x(12, 1, 5, 4, 3, 2), null, true);
        GradientCheck.check(built(new AveragePooling3D(2).dataFormat("channels_first"), 2, 4, 4, 3),
                x(13, 1, 2, 4, 4, 3), null, true);
        GradientCheck.check(built(new MaxPooling1D(2).dataFormat("channels_first").padding("same"), 3, 5),
                PoolingTest.distinct(14, 2, 3, 5), null, true);
        GradientCheck.check(built(new AveragePooling2D(2, 3).strides(1, 1).padding("same")
                .dataFormat("channels_first"), 2, 4, 5), x(15, 2, 2, 4, 5), null, true);
    }

    @Test
    void globalPoolingGradients() {
        GradientCheck.check(built(new GlobalMaxPooling2D(), 3, 4, 3), PoolingTest.distinct(16, 2, 3, 4, 3), null, true);
        GradientCheck.check(built(new GlobalMaxPooling3D().dataFormat("channels_first").keepdims(true), 3, 2, 3, 2),
                PoolingTest.distinct(17, 2, 3, 2, 3, 2), null, true);
        GradientCheck.check(built(new GlobalAveragePooling2D().dataFormat("channels_first"), 3, 4, 3),
                x(18, 2, 3, 4, 3), null, true);
        GradientCheck.check(built(new GlobalAveragePooling3D().keepdims(true), 2, 3, 2, 3), x(19, 2, 2, 3, 2, 3),
                null, true);
        Mask mask = new Mask(new boolean[] {true, true, false, true, false, true, false, false, false, false}, 2, 5);
        GradientCheck.check(built(new GlobalAveragePooling1D().dataFormat("channels_first"), 3, 5), x(20, 2, 3, 5),
                mask, true);
        GradientCheck.check(built(new GlobalMaxPooling1D().dataFormat("channels_first").keepdims(true), 3, 5),
                PoolingTest.distinct(21, 2, 3, 5), null, true);
    }

    @Test
    void depthwiseAndSeparableGradients() {
        GradientCheck.check(built(new DepthwiseConv1D(3).depthMultiplier(2), 6, 3), x(22, 2, 6, 3), null, true);
        GradientCheck.check(built(new DepthwiseConv1D(2).padding("same").dataFormat("channels_first")
                .activation("tanh"), 3, 5), x(23, 2, 3, 5), null, true);
        GradientCheck.check(built(new DepthwiseConv2D(2, 3).strides(1, 2).depthMultiplier(3), 4, 5, 2),
                x(24, 1, 4, 5, 2), null, true);
        GradientCheck.check(built(new SeparableConv1D(4, 3).depthMultiplier(2).padding("same").activation("tanh"),
                6, 3), x(25, 2, 6, 3), null, true);
        GradientCheck.check(built(new SeparableConv1D(2, 2).strides(2).dataFormat("channels_first"), 3, 7),
                x(26, 2, 3, 7), null, true);
        GradientCheck.check(built(new SeparableConv2D(3, 2).depthMultiplier(2).padding("same"), 4, 3, 2),
                x(27, 2, 4, 3, 2), null, true);
    }

    @Test
    void weightShapesAndParamCounts() {
        // Keras: Conv3D(4, 3) on 2 channels = 3*3*3*2*4 + 4; groups divide the kernel's input axis.
        Conv3D c3 = built(new Conv3D(4, 3), 5, 5, 5, 2);
        assertEquals(220, c3.weights().get(0).value().size() + c3.weights().get(1).value().size());
        Conv1D g = built(new Conv1D(6, 3).groups(3), 8, 6);
        assertArrayEquals(new int[] {3, 2, 6}, g.weights().get(0).shape());
        Conv2D cf = built(new Conv2D(5, 3).dataFormat("channels_first"), 4, 8, 8);
        assertArrayEquals(new int[] {3, 3, 4, 5}, cf.weights().get(0).shape());
        assertArrayEquals(new int[] {5, 6, 6}, cf.computeOutputShape(new int[] {4, 8, 8}));
        SeparableConv1D s = built(new SeparableConv1D(8, 3).depthMultiplier(2), 10, 4);
        assertEquals("depthwise_kernel", s.weights().get(0).name());
        assertArrayEquals(new int[] {3, 4, 2}, s.weights().get(0).shape());
        assertArrayEquals(new int[] {1, 8, 8}, s.weights().get(1).shape());
        assertArrayEquals(new int[] {8}, s.weights().get(2).shape());
        DepthwiseConv2D d = built(new DepthwiseConv2D(3).depthMultiplier(2), 6, 6, 4);
        assertArrayEquals(new int[] {3, 3, 4, 2}, d.weights().get(0).shape());
        assertArrayEquals(new int[] {8}, d.weights().get(1).shape());
        assertArrayEquals(new int[] {4, 4, 8}, d.computeOutputShape(new int[] {6, 6, 4}));
    }

    @Test
    void groupsMustDivideChannelsAndFilters() {
        assertThrows(IllegalArgumentException.class, () -> new Conv1D(5, 3).groups(2));
        Conv1D l = new Conv1D(4, 3).groups(2);
        assertThrows(LayerShapeException.class, () -> l.build(new int[] {8, 3}, new Rng(1)));
    }
}
