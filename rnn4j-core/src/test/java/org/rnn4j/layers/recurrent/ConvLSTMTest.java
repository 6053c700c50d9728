package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.constraints.MaxNorm;
import org.rnn4j.constraints.NonNeg;
import org.rnn4j.constraints.UnitNorm;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.regularizers.L1L2;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.testing.KerasJson;
import org.rnn4j.testing.MiniJson;
import org.rnn4j.util.Rng;

/** ConvLSTM1D/2D: shapes and weight layout as Keras, finite-difference gradients, config round trip, weight losses and constraints. */
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

    /** The two ConvLSTM2D configs Keras 3.15 wrote for the conv_lstm_weight_losses training fixture. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> kerasConfigs() throws Exception {
        String text = new String(ConvLSTMTest.class.getResourceAsStream(
                "/keras-train/conv_lstm_weight_losses/config.json").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(text);
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (Map<String, Object> l : (List<Map<String, Object>>) ((Map<String, Object>) root.get("config")).get("layers")) {
            if (l.get("class_name").equals("ConvLSTM2D")) {
                out.add((Map<String, Object>) l.get("config"));
            }
        }
        assertEquals(2, out.size());
        return out;
    }

    private static final String[] WEIGHT_OPTIONS = {"kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
        "kernel_constraint", "recurrent_constraint", "bias_constraint"};

    @Test
    void weightRegularizersAndConstraintsLoadAndSaveAsKeras() throws Exception {
        List<Map<String, Object>> keras = kerasConfigs();
        ConvLSTM seq = (ConvLSTM) LayerRegistry.fromConfig("ConvLSTM2D", keras.get(0));
        assertEquals(new L1L2(0f, 0.05f).penalty(new float[] {2f}), seq.kernelRegularizer().penalty(new float[] {2f}), 1e-6);
        assertEquals(0.02f, ((L1L2) seq.recurrentRegularizer()).l1(), 1e-8);
        assertEquals(0f, ((L1L2) seq.recurrentRegularizer()).l2());
        assertEquals(0.03f, ((L1L2) seq.biasRegularizer()).l2(), 1e-8);
        assertTrue(seq.constraint("kernel") instanceof MaxNorm && seq.constraint("recurrent_kernel") instanceof UnitNorm
                && seq.constraint("bias") instanceof NonNeg, seq.constraints().toString());
        for (Map<String, Object> k : keras) {
            ConvLSTM l = (ConvLSTM) LayerRegistry.fromConfig("ConvLSTM2D", k);
            Map<String, Object> ours = l.config();
            for (String key : WEIGHT_OPTIONS) {
                KerasJson.assertSame(k.get(key), ours.get(key), k.get("name") + " " + key);
            }
            // and back in: our config loads to the same options
            Map<String, Object> again = LayerRegistry.fromConfig("ConvLSTM2D", StatefulAndConfigTest.longs(ours)).config();
            assertEquals(ours.toString(), again.toString());
            // the weights carry them once built (the trainer adds the penalties, the optimizer projects)
            l.build(new int[] {3, 4, 3, 2}, new Rng(1));
            for (org.rnn4j.layers.Variable v : l.weights()) {
                String key = v.name().equals("recurrent_kernel") ? "recurrent" : v.name();
                assertEquals(k.get(key + "_regularizer") != null, v.regularizer() != null, v.name());
                assertEquals(k.get(key + "_constraint") != null, v.constraint() != null, v.name());
            }
        }
        Map<String, Object> bad = new java.util.LinkedHashMap<>(keras.get(0));
        bad.put("recurrent_regularizer", Map.of("class_name", "OrthogonalRegularizer", "config", Map.of()));
        Exception e = assertThrows(Exception.class, () -> LayerRegistry.fromConfig("ConvLSTM2D", bad));
        assertTrue(e.getMessage().contains("clstm_seq") && e.getMessage().contains("recurrent_regularizer"),
                e.getMessage());
    }
}
