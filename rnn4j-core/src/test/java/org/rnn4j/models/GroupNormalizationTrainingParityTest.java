package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.layers.normalization.GroupNormalization;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/** GroupNormalization -> Dense trained two steps with Adam gives Keras 3's weights and losses (keras-train/group_norm). */
class GroupNormalizationTrainingParityTest {
    @Test
    void trainsTwoStepsEqualToKeras() throws Exception {
        KerasTrainRefs refs = new KerasTrainRefs("group_norm");
        SymbolicTensor in = Input.of(6, 4).name("series");
        SymbolicTensor h = new GroupNormalization().groups(2).name("group_norm").call(in);
        Model model = new Model(List.of(in), List.of(new Dense(2).name("out").call(h)));
        refs.loadInitialWeights(model);
        List<Tensor> x = refs.arrays("x");
        List<Tensor> y = refs.arrays("y");
        Tensor p0 = refs.arrays("p0_").get(0);
        assertTrue(model.predict(x).get(0).maxAbsDiff(p0) < 1e-5, "prediction before training");
        model.compile(CompileOptions.optimizer(new Adam(0.01)).loss("mse"));
        for (int step = 1; step <= 2; step++) {
            var logs = model.trainOnBatch(x, y);
            KerasTrainRefs.assertLogs(refs.logs(step), logs, 1e-5, "group_norm step " + step);
            refs.assertWeightsAfter(model, step, 1e-5);
        }
    }
}
