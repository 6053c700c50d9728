package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code fromConfig(layer.config())} rebuilds every non-recurrent layer; Keras 3 maps are read with their number types. */
class LayerFromConfigTest {
    private static <L extends Layer> void roundTrip(L layer, Function<Map<String, Object>, ? extends Layer> from) {
        Layer back = from.apply(layer.config());
        assertSame(layer.getClass(), back.getClass());
        assertEquals(layer.config(), back.config(), layer.className());
    }

    @Test
    void everyLayerRoundTripsItsConfig() {
        roundTrip(new Dense(7).activation("relu").useBias(false).name("d"), Dense::fromConfig);
        roundTrip(new Activation("softmax"), Activation::fromConfig);
        roundTrip(new Dropout(0.25), Dropout::fromConfig);
        roundTrip(new Dropout(0.25).seed(99), Dropout::fromConfig);
        roundTrip(new SpatialDropout1D(0.3).seed(5), SpatialDropout1D::fromConfig);
        roundTrip(new Conv1D(4, 3).padding("causal").dilationRate(2).activation("tanh"), Conv1D::fromConfig);
        roundTrip(new Conv2D(3, 2, 4).strides(2, 1).padding("same").useBias(false), Conv2D::fromConfig);
        roundTrip(new MaxPooling1D(3).strides(1).padding("same"), MaxPooling1D::fromConfig);
        roundTrip(new MaxPooling2D(2, 3), MaxPooling2D::fromConfig);
        roundTrip(new AveragePooling1D(4), AveragePooling1D::fromConfig);
        roundTrip(new AveragePooling2D(2).strides(1).padding("same"), AveragePooling2D::fromConfig);
        roundTrip(new BatchNormalization().momentum(0.9).epsilon(1e-5).center(false), BatchNormalization::fromConfig);
        roundTrip(new Embedding(30, 8).maskZero(true), Embedding::fromConfig);
        roundTrip(new Flatten(), Flatten::fromConfig);
        roundTrip(new GlobalAveragePooling1D().keepdims(true), GlobalAveragePooling1D::fromConfig);
        roundTrip(new GlobalMaxPooling1D(), GlobalMaxPooling1D::fromConfig);
        roundTrip(new Masking(-1.5), Masking::fromConfig);
        roundTrip(new Normalization().invert(true), Normalization::fromConfig);
        roundTrip(new Normalization().meanAndVariance(new float[] {1, 2}, new float[] {4, 9}), Normalization::fromConfig);
        roundTrip(new RepeatVector(4), RepeatVector::fromConfig);
        roundTrip(new Reshape(2, -1, 3), Reshape::fromConfig);
        roundTrip(new TimeDistributed(new Dense(2)), TimeDistributed::fromConfig);
    }

    @Test
    void readsKeras3ConfigsWithAnyNumberType() {
        Map<String, Object> c = new HashMap<>();
        c.put("name", "conv");
        c.put("trainable", false);
        c.put("filters", 4);
        c.put("kernel_size", List.of(3L));
        c.put("strides", List.of(1.0));
        c.put("dilation_rate", 2);
        c.put("padding", "causal");
        c.put("groups", 1);
        c.put("data_format", "channels_last");
        c.put("activation", "relu");
        c.put("kernel_initializer", Map.of("module", "keras.initializers", "class_name", "GlorotUniform",
                "config", Map.of()));
        Conv1D conv = Conv1D.fromConfig(c);
        assertEquals("conv", conv.name());
        assertFalse(conv.isTrainable());
        assertEquals(4, conv.filters());
        assertArrayEquals(new int[] {3}, conv.kernelSize());
        assertArrayEquals(new int[] {2}, conv.dilationRate());
        assertEquals("causal", conv.padding());
        assertEquals("relu", conv.activation().name());

        Dense d = Dense.fromConfig(Map.of("units", 5.0, "activation",
                Map.of("module", "keras.activations", "class_name", "function", "config", "tanh")));
        assertEquals(5, d.units());
        assertEquals("tanh", d.activation().name());
        Reshape r = Reshape.fromConfig(Map.of("target_shape", List.of(-1, 4)));
        assertArrayEquals(new int[] {-1, 4}, r.targetShape());
        BatchNormalization bn = BatchNormalization.fromConfig(Map.of("axis", List.of(-1), "momentum", 0.5,
                "epsilon", 0.01, "gamma_initializer", Map.of("class_name", "Ones", "config", Map.of())));
        assertEquals(0.5, bn.momentum());
        assertEquals(0.01, bn.epsilon());
        assertEquals(0.5, Masking.fromConfig(Map.of("mask_value", 0.5)).maskValue());
        assertEquals(3, MaxPooling1D.fromConfig(Map.of("pool_size", 3)).strides()[0], "strides default to the pool");
    }

    @Test
    void rejectsWhatWouldChangeTheNumbers() {
        assertMessage(() -> Dense.fromConfig(Map.of("units", 3, "frobnicate", 2)), "frobnicate");
        assertMessage(() -> Dense.fromConfig(Map.of("units", 2.5)), "units");
        assertMessage(() -> Dense.fromConfig(Map.of("activation", "relu")), "missing option units");
        // groups must divide filters; data_format is channels_last or channels_first.
        assertMessage(() -> Conv1D.fromConfig(Map.of("filters", 2, "kernel_size", 3, "groups", 3)), "groups");
        assertMessage(() -> Conv2D.fromConfig(Map.of("filters", 2, "kernel_size", List.of(3, 3),
                "data_format", "channels_middle")), "data_format");
        assertMessage(() -> BatchNormalization.fromConfig(Map.of("axis", 1)), "axis");
        assertMessage(() -> BatchNormalization.fromConfig(Map.of("renorm", true)), "renorm");
        assertMessage(() -> Activation.fromConfig(Map.of("name", "a")), "missing option activation");
        assertMessage(() -> AveragePooling1D.fromConfig(Map.of()), "pool_size");
        assertMessage(() -> TimeDistributed.fromConfig(Map.of("layer", Map.of("class_name", "Dense",
                "config", Map.of("units", 2)))), "deserializer");
        Dense inner = new Dense(3);
        TimeDistributed td = TimeDistributed.fromConfig(Map.of("layer", Map.of("class_name", "Dense",
                "config", Map.of("units", 3))), m -> inner);
        assertSame(inner, td.layer());
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(part), x.getMessage());
    }
}
