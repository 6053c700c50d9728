package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Forward values from real Keras 3.15 (TensorFlow backend): the same layers, the same random
 * weights, the same inputs, within 1e-5 max-abs.
 */
class KerasConvGoldenTest {
    private static final Map<String, KerasGolden.Case> CASES = new java.util.HashMap<>();

    static {
        CASES.putAll(KerasGolden.load("keras_conv_golden.txt"));
        // The shared fixtures' weights and inputs with the output of their conv-family prefix.
        CASES.putAll(KerasGolden.load("keras_fixture_parts.txt"));
    }

    private static void check(String name, Supplier<List<Layer>> layers) {
        KerasGolden.Case c = CASES.get(name);
        assertTrue(c != null, "no golden case " + name);
        Sequential model = new Sequential();
        for (Layer l : layers.get()) {
            model.add(l);
        }
        model.build(Shapes.dropFirst(c.x().shape()));
        var weights = model.weights();
        assertEquals(c.weights().size(), weights.size(), name + ": weight count");
        for (int i = 0; i < weights.size(); i++) {
            assertArrayEquals(c.weights().get(i).shape(), weights.get(i).shape(), name + ": weight " + i + " shape");
            weights.get(i).assign(c.weights().get(i));
        }
        Tensor y = model.predict(c.x());
        assertArrayEquals(c.y().shape(), y.shape(), name + ": output shape");
        float diff = y.maxAbsDiff(c.y());
        assertTrue(diff < 1e-5f, name + ": max abs diff " + diff);
    }

    @Test
    void conv1d() {
        check("conv1d_valid", () -> List.of(new Conv1D(4, 3)));
        check("conv1d_same_strides2_relu", () -> List.of(new Conv1D(3, 4).strides(2).padding("same").activation("relu")));
        check("conv1d_causal_dilation2", () -> List.of(new Conv1D(2, 3).padding("causal").dilationRate(2).activation("tanh")));
        check("conv1d_valid_strides3_nobias", () -> List.of(new Conv1D(3, 2).strides(3).useBias(false)));
    }

    @Test
    void conv2d() {
        check("conv2d_valid_strides21", () -> List.of(new Conv2D(3, 2, 3).strides(2, 1)));
        check("conv2d_same_strides2", () -> List.of(new Conv2D(4, 3).strides(2).padding("same").activation("sigmoid")));
        check("conv2d_same_k4", () -> List.of(new Conv2D(2, 4, 2).padding("same")));
        check("conv2d_same_dilation2", () -> List.of(new Conv2D(2, 2).padding("same").dilationRate(2)));
    }

    @Test
    void maxPooling() {
        check("maxpool1d_default", () -> List.of(new MaxPooling1D()));
        check("maxpool1d_same_p3s2", () -> List.of(new MaxPooling1D(3).strides(2).padding("same")));
        check("maxpool2d_default", () -> List.of(new MaxPooling2D()));
        check("maxpool2d_same_p3s2", () -> List.of(new MaxPooling2D(3).strides(2).padding("same")));
        check("maxpool2d_valid_p23s1", () -> List.of(new MaxPooling2D(2, 3).strides(1)));
    }

    @Test
    void averagePooling() {
        check("avgpool1d_p2", () -> List.of(new AveragePooling1D(2)));
        check("avgpool1d_same_p3s2", () -> List.of(new AveragePooling1D(3).strides(2).padding("same")));
        check("avgpool2d_p2", () -> List.of(new AveragePooling2D(2)));
        check("avgpool2d_same_p3s2", () -> List.of(new AveragePooling2D(3).strides(2).padding("same")));
    }

    @Test
    void embedding() {
        check("embedding", () -> List.of(new Embedding(10, 4)));
        check("embedding_mask_gap", () -> List.of(new Embedding(10, 3).maskZero(true), new GlobalAveragePooling1D()));
    }

    @Test
    void timeDistributedConvPoolFlatten() {
        check("td_conv2d_pool_flatten", () -> List.of(new TimeDistributed(new Conv2D(3, 2).activation("relu")),
                new TimeDistributed(new MaxPooling2D()), new TimeDistributed(new Flatten())));
    }

    @Test
    void globalPoolingRepeatReshapeActivation() {
        check("gmp_gap_repeat", () -> List.of(new Conv1D(3, 2), new GlobalMaxPooling1D(), new RepeatVector(2),
                new Reshape(3, 2), new Activation("softmax")));
        check("spatialdropout_gap", () -> List.of(new SpatialDropout1D(0.3), new GlobalAveragePooling1D().keepdims(true)));
    }

    @Test
    void maskingFeedsMaskAwareLayersAndConvDropsTheMask() {
        check("masking_gap", () -> List.of(new Masking(), new Activation("tanh"), new GlobalAveragePooling1D()));
        check("masking_conv_gap", () -> List.of(new Masking(), new Conv1D(2, 1), new GlobalAveragePooling1D()));
        check("masking_lstm", () -> List.of(new Masking(), new LSTM(3)));
        // Conv1D drops the Embedding's mask, so the LSTM sees every step.
        check("embedding_mask_conv_drop", () -> List.of(new Embedding(10, 3).maskZero(true),
                new Conv1D(2, 2).padding("same"), new LSTM(2)));
    }

    @Test
    void sharedFixturePrefixes() {
        check("fixture_conv2d_pool_flatten", () -> List.of(new Conv2D(3, 2).activation("relu"), new MaxPooling2D(),
                new Flatten(), new Dense(2)));
        check("fixture_td_conv2d_lstm", () -> List.of(new TimeDistributed(new Conv2D(2, 2).activation("relu")),
                new TimeDistributed(new MaxPooling2D()), new TimeDistributed(new Flatten())));
        check("fixture_conv1d_pool_lstm", () -> List.of(new Conv1D(4, 3).activation("relu"), new MaxPooling1D(2)));
        check("fixture_td_dense", () -> List.of(new TimeDistributed(new Dense(3))));
        check("fixture_embedding_mask_lstm", () -> List.of(new Embedding(10, 4).maskZero(true)));
    }
}
