package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.layers.Layer;
import org.rnn4j.optimizers.Optimizers;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.MiniJson;

/**
 * Convolution, pooling, resizing/padding/cropping, activation and ConvLSTM3D layers train two steps to Keras
 * 3's weights and losses within 1e-5 (#13). Each case in keras-train/ is one chain of layers; the
 * chain is rebuilt here from the layers' own Keras configs (config.json), so what is tested is
 * exactly what Keras ran, and mostly with plain SGD, whose first step exposes any wrong gradient.
 * The "constraints" case has Keras weight constraints, applied by the optimizer after each step;
 * "conv_lstm_weight_losses" has ConvLSTM2D weight regularizers (in the loss) and constraints.
 */
class LayerTrainingParityTest {
    @SuppressWarnings("unchecked")
    private static Sequential chainOf(KerasTrainRefs refs) throws Exception {
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(Files.readString(refs.dir.resolve("config.json")));
        List<Map<String, Object>> layers = (List<Map<String, Object>>) ((Map<String, Object>) root.get("config")).get("layers");
        Sequential model = new Sequential();
        int[] inputShape = null;
        for (Map<String, Object> l : layers) {
            String cls = (String) l.get("class_name");
            Map<String, Object> config = (Map<String, Object>) l.get("config");
            if (cls.equals("InputLayer")) {
                List<Object> batchShape = (List<Object>) config.get("batch_shape");
                inputShape = batchShape.subList(1, batchShape.size()).stream()
                        .mapToInt(d -> ((Number) d).intValue()).toArray();
                continue;
            }
            Layer layer = LayerRegistry.fromConfig(cls, config);
            model.add(layer);
        }
        return model.build(inputShape);
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "conv1d_causal_dilated", "conv2d_grouped", "conv3d", "conv1d_transpose", "conv2d_transpose",
        "depthwise_separable_1d", "depthwise_separable_2d", "pooling1d", "pooling2d", "pooling3d",
        "resize_pad_crop_1d", "resize_pad_crop_2d", "activation_layers", "activation_layers_seq", "conv_lstm3d", "constraints",
        "conv_lstm_weight_losses"})
    void trainsTwoStepsEqualToKeras(String name) throws Exception {
        KerasTrainRefs refs = new KerasTrainRefs(name);
        Sequential model = chainOf(refs);
        refs.loadInitialWeights(model);
        Tensor x = refs.arrays("x").get(0);
        Tensor y = refs.arrays("y").get(0);
        Tensor p0 = refs.arrays("p0_").get(0);
        Tensor pred = model.predict(x);
        assertTrue(pred.maxAbsDiff(p0) < 1e-5, name + ": prediction before training, max diff " + pred.maxAbsDiff(p0));
        Map<String, Object> compile = (Map<String, Object>) MiniJson.parse(Files.readString(refs.dir.resolve("compile.json")));
        model.compile(CompileOptions.optimizer(Optimizers.fromConfig(compile.get("optimizer"))).loss("mse"));
        for (int step = 1; step <= 2; step++) {
            Map<String, Double> logs = model.trainOnBatch(x, y);
            KerasTrainRefs.assertLogs(refs.logs(step), logs, 1e-5, name + " step " + step);
            refs.assertWeightsAfter(model, step, 1e-5);
        }
        assertEquals(refs.arrays("w_init_").size(), model.weights().size(), name + ": weight count");
    }
}
