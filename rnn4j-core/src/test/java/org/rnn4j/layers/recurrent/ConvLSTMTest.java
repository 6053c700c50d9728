package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/** ConvLSTM1D/2D: shapes and weight layout as Keras, finite-difference gradients, config round trip. */
class ConvLSTMTest {
    @Test
    void shapesAndWeightsAsKeras() {
        ConvLSTM l = ConvLSTM.conv2d(3, 3, 3).padding("same").returnSequences(true).returnState(true);
        l.build(new int[] {4, 5, 6, 2}, new Rng(1));
        assertArrayEquals(new int[] {4, 5, 6, 3}, l.outputShape());
        assertArrayEquals(new int[] {5, 6, 3}, l.outputShapes().get(1));
        assertArrayEquals(new int[] {3, 3, 2, 12}, l.weights().get(0).shape());
        assertArrayEquals(new int[] {3, 3, 3, 12}, l.weights().get(1).shape());
        assertArrayEquals(new int[] {12}, l.weights().get(2).shape());
        assertEquals(1.0f, l.weights().get(2).value().data()[3], "unit_forget_bias: the forget block starts at 1");
        ConvLSTM one = ConvLSTM.conv1d(2, 3).strides(2);
        one.build(new int[] {3, 7, 4}, new Rng(1));
        assertArrayEquals(new int[] {3, 2}, one.outputShape());
        assertArrayEquals(new int[] {3, 4, 8}, one.weights().get(0).shape());
        assertThrows(LayerShapeException.class, () -> ConvLSTM.conv2d(2, 3, 3).build(new int[] {3, 2, 2, 1}, new Rng(1)));
    }

    @Test
    void gradients() {
        long seed = 11;
        ConvLSTM[] layers = {
            ConvLSTM.conv2d(2, 2, 2).returnSequences(true),
            ConvLSTM.conv2d(2, 3, 2).padding("same").strides(1, 2).goBackwards(true),
            ConvLSTM.conv1d(2, 2).dilationRate(2).padding("same").returnSequences(true),
            ConvLSTM.conv1d(3, 3).unitForgetBias(false).useBias(false)};
        int[][] shapes = {{3, 3, 3, 2}, {2, 3, 4, 1}, {3, 5, 2}, {2, 4, 2}};
        for (int i = 0; i < layers.length; i++) {
            ConvLSTM l = layers[i];
            l.build(shapes[i], new Rng(seed));
            CellParityTest.randomize(l.weights(), seed);
            int[] full = new int[shapes[i].length + 1];
            full[0] = 2;
            System.arraycopy(shapes[i], 0, full, 1, shapes[i].length);
            GradientCheck.check(l, GradientCheck.randn(seed, 0.8f, full), CellParityTest.randomMask(seed, 2, full[1]),
                    true, 3e-3, 1e-3);
            seed++;
        }
    }

    @Test
    void configRoundTrip() throws Exception {
        ConvLSTM l = ConvLSTM.conv2d(3, 2, 3).strides(1, 2).padding("same").returnSequences(true).name("clstm");
        java.util.Map<String, Object> cfg = StatefulAndConfigTest.longs(l.config());
        ConvLSTM back = (ConvLSTM) LayerRegistry.fromConfig("ConvLSTM2D", cfg);
        assertEquals(l.config().toString(), back.config().toString());
        l.build(new int[] {2, 4, 5, 2}, new Rng(1));
        back.build(new int[] {2, 4, 5, 2}, new Rng(2));
        for (int k = 0; k < 3; k++) {
            back.weights().get(k).assign(l.weights().get(k).value().copy());
        }
        Tensor x = GradientCheck.randn(4, 1f, 2, 2, 4, 5, 2);
        assertEquals(0f, l.forwardAll(List.of(x), Collections.singletonList(null), false, new LayerContext()).get(0)
                .maxAbsDiff(back.forward(x, null, false, new LayerContext())));
    }

    @Test
    void weightRegularizersInAFileAreRefusedNotDropped() {
        java.util.Map<String, Object> cfg = StatefulAndConfigTest.longs(ConvLSTM.conv2d(3, 2, 2).name("clstm").config());
        cfg.put("recurrent_regularizer", java.util.Map.of("module", "keras.regularizers", "class_name", "L2",
                "config", java.util.Map.of("l2", 0.01)));
        Exception e = assertThrows(Exception.class, () -> LayerRegistry.fromConfig("ConvLSTM2D", cfg));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("clstm")
                && e.getMessage().contains("recurrent_regularizer") && e.getMessage().contains("not supported yet"),
                e.getMessage());
    }
}
