package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** tf.keras 2's TFOpLambda nodes (legacy .h5 configs) fail with one error naming the TF function. */
class TfOpLambdaTest {
    private static final String CONFIG = """
            {"class_name": "Functional", "config": {"name": "model", "layers": [
              {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32", "name": "input_1"},
               "name": "input_1", "inbound_nodes": []},
              {"class_name": "Dense", "config": {"name": "dense", "units": 4, "activation": "linear", "use_bias": true},
               "name": "dense", "inbound_nodes": [[["input_1", 0, 0, {}]]]},
              {"class_name": "TFOpLambda", "config": {"name": "tf.__operators__.add", "trainable": true, "dtype": "float32",
                 "function": "__operators__.add"},
               "name": "tf.__operators__.add", "inbound_nodes": [[["dense", 0, 0, {"y": ["input_1", 0, 0], "name": null}]]]},
              {"class_name": "Dense", "config": {"name": "out", "units": 1, "activation": "linear", "use_bias": true},
               "name": "out", "inbound_nodes": [[["tf.__operators__.add", 0, 0, {}]]]}],
             "input_layers": [["input_1", 0, 0]], "output_layers": [["out", 0, 0]]}}
            """;

    @Test
    void aTfOpLambdaNodeNamesItsFunction() throws Exception {
        ModelSpec spec = ModelConfigReader.read(Json.parse(CONFIG, "config"));
        KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasLoader.buildConfig(spec));
        assertTrue(e.getMessage().contains("'__operators__.add' (TFOpLambda)") && e.getMessage().contains("tf.__operators__.add")
                && e.getMessage().contains("Keras 3"), e.getMessage());
    }
}
