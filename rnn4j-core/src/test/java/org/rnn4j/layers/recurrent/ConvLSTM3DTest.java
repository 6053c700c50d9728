package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * ConvLSTM3D: weight layout as Keras, finite-difference gradients, config round trip, and the
 * literal-valued assertions of Keras 3.15's keras/src/layers/rnn/conv_lstm3d_test.py (same
 * inputs, options and assertAllClose's default tolerance).
 */
class ConvLSTM3DTest {
    @Test
    void weightsAsKeras() {
        ConvLSTM l = ConvLSTM.conv3d(3, 2, 3, 2).padding("same").returnSequences(true).returnState(true);
        assertTrue(l.name().startsWith("conv_lstm3d"), l.name());
        l.build(new int[] {4, 3, 5, 6, 2}, new Rng(1));
        assertEquals("ConvLSTM3D", l.className());
        assertArrayEquals(new int[] {4, 3, 5, 6, 3}, l.outputShape());
        assertArrayEquals(new int[] {3, 5, 6, 3}, l.outputShapes().get(1));
        assertArrayEquals(new int[] {2, 3, 2, 2, 12}, l.weights().get(0).shape());
        assertArrayEquals(new int[] {2, 3, 2, 3, 12}, l.weights().get(1).shape());
        assertArrayEquals(new int[] {12}, l.weights().get(2).shape());
        assertEquals(1.0f, l.weights().get(2).value().data()[3], "unit_forget_bias: the forget block starts at 1");
        ConvLSTM strided = ConvLSTM.conv3d(2, 2, 2, 2).strides(1, 2, 2);
        strided.build(new int[] {2, 3, 5, 4, 1}, new Rng(1));
        assertArrayEquals(new int[] {2, 2, 2, 2}, strided.outputShape());
    }

    @Test
    void gradients() {
        long seed = 31;
        ConvLSTM[] layers = {
            ConvLSTM.conv3d(2, 2, 2, 2).returnSequences(true),
            ConvLSTM.conv3d(2, 2, 3, 2).padding("same").strides(1, 1, 2).goBackwards(true),
            ConvLSTM.conv3d(2, 2, 1, 2).dilationRate(2, 1, 1).padding("same").unitForgetBias(false).useBias(false)};
        int[][] shapes = {{3, 3, 3, 2, 2}, {2, 2, 3, 4, 1}, {2, 3, 2, 2, 2}};
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
        ConvLSTM l = ConvLSTM.conv3d(3, 2, 1, 3).strides(1, 1, 2).padding("same").returnSequences(true).name("clstm3");
        Map<String, Object> cfg = StatefulAndConfigTest.longs(l.config());
        assertEquals(java.util.List.of(2, 1, 3), l.config().get("kernel_size"));
        ConvLSTM back = (ConvLSTM) LayerRegistry.fromConfig("ConvLSTM3D", cfg);
        assertEquals(l.config().toString(), back.config().toString());
        l.build(new int[] {2, 3, 4, 5, 2}, new Rng(1));
        back.build(new int[] {2, 3, 4, 5, 2}, new Rng(2));
        for (int k = 0; k < 3; k++) {
            back.weights().get(k).assign(l.weights().get(k).value().copy());
        }
        Tensor x = GradientCheck.randn(4, 1f, 2, 2, 3, 4, 5, 2);
        assertEquals(0f, l.forward(x, null, false, new LayerContext()).maxAbsDiff(back.forward(x, null, false, new LayerContext())));
    }

    // ---------------------------------------------------------------- conv_lstm3d_test.py

    @Test
    void basics() {
        ConvLSTM same = ConvLSTM.conv3d(5, 3, 3, 3).padding("same");
        same.build(new int[] {2, 4, 4, 4, 3}, new Rng(1));
        assertArrayEquals(new int[] {4, 4, 4, 5}, same.outputShape());
        assertEquals(3, same.weights().size());
        // Keras's second case adds recurrent_dropout=0.5, which rnn4j's ConvLSTM does not support
        // (see README); its expected shape is the same as this valid-padding case's last step
        ConvLSTM seq = ConvLSTM.conv3d(5, 3, 3, 3).padding("valid").returnSequences(true);
        seq.build(new int[] {2, 8, 8, 8, 3}, new Rng(1));
        assertArrayEquals(new int[] {2, 6, 6, 6, 5}, seq.outputShape());
        assertEquals(3, seq.weights().size());
    }

    @Test
    void correctness() {
        Tensor x = Tensor.zeros(2, 3, 4, 4, 4, 5);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = i / 100f;
        }
        ConvLSTM l = ConvLSTM.conv3d(2, 3, 3, 3);
        l.build(new int[] {3, 4, 4, 4, 5}, new Rng(1));
        // Constant(0.01) kernel, Constant(0.02) recurrent kernel, Constant(0.03) bias; with
        // unit_forget_bias (the default) Keras's bias starts at 1 in the forget block
        Arrays.fill(l.weights().get(0).value().data(), 0.01f);
        Arrays.fill(l.weights().get(1).value().data(), 0.02f);
        float[] b = l.weights().get(2).value().data();
        Arrays.fill(b, 0.03f);
        Arrays.fill(b, 2, 4, 1f);
        Tensor y = l.forward(x, null, false, new LayerContext());
        assertArrayEquals(new int[] {2, 2, 2, 2, 2}, y.shape());
        double[] first = {0.99149036, 0.99180907, 0.99258363, 0.9927925, 0.99413764, 0.99420583, 0.9943788, 0.9944278};
        float[] want = new float[32];
        for (int i = 0; i < 8; i++) {
            want[2 * i] = (float) first[i];
            want[2 * i + 1] = (float) first[i];
            want[16 + 2 * i] = 0.9950547f;
            want[16 + 2 * i + 1] = 0.9950547f;
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], y.data()[i], 1e-6 + 1e-6 * Math.abs(want[i]), "element " + i);
        }
    }

    @Test
    void stridesWithDilationAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvLSTM.conv3d(1, 1, 1, 1)
                .strides(2).padding("same").dilationRate(1, 2, 2).returnState(true).build(new int[] {2, 4, 4, 4, 1}, new Rng(1)));
        assertTrue(e.getMessage().contains("Specifying `strides > 1` is not compatible with `dilation_rate > 1`"), e.getMessage());
        Map<String, Object> cfg = new java.util.HashMap<>(StatefulAndConfigTest.longs(ConvLSTM.conv3d(1, 1, 1, 1).config()));
        cfg.put("strides", java.util.List.of(2L, 2L, 2L));
        cfg.put("dilation_rate", java.util.List.of(1L, 2L, 2L));
        Exception c = assertThrows(Exception.class, () -> LayerRegistry.fromConfig("ConvLSTM3D", cfg));
        assertTrue(String.valueOf(c.getMessage()).contains("is not compatible with `dilation_rate > 1`"), c.getMessage());
    }
}
