package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;

/** Functional models trained two steps in Java give Keras 3's weights and logs (references in keras-train/). */
class FunctionalTrainingParityTest {
    @Test
    void twoOutputsWithLossWeightsAndPerOutputMetricsMatchKeras() throws Exception {
        KerasTrainRefs refs = new KerasTrainRefs("two_output");
        SymbolicTensor in = Input.of(7, 3);
        SymbolicTensor h = new GRU(6).name("gru").call(in);
        SymbolicTensor reg = new Dense(2).name("reg").call(h);
        SymbolicTensor cls = new Dense(3).activation("softmax").name("cls").call(h);
        Model model = new Model(List.of(in), List.of(reg, cls));
        assertEquals(List.of("reg", "cls"), model.outputNames());
        refs.loadInitialWeights(model);
        List<Tensor> x = refs.arrays("x");
        List<Tensor> y = refs.arrays("y");
        List<Tensor> p0 = refs.arrays("p0_");
        List<Tensor> pred = model.predict(x);
        for (int k = 0; k < 2; k++) {
            assertTrue(pred.get(k).maxAbsDiff(p0.get(k)) < 1e-5, "prediction " + k);
        }
        model.compile(CompileOptions.optimizer(new SGD(0.1, 0.9, false))
                .loss("reg", "mse").loss("cls", "categorical_crossentropy")
                .lossWeight("reg", 1.0).lossWeight("cls", 0.5)
                .outputMetrics("cls", "accuracy").outputMetrics("reg", "mae"));
        for (int step = 1; step <= 2; step++) {
            var logs = model.trainOnBatch(x, y);
            KerasTrainRefs.assertLogs(refs.logs(step), logs, 1e-5, "step " + step);
            refs.assertWeightsAfter(model, step, 1e-5);
        }
    }
}
