package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/** Models compiled with the losses added for #13 train two steps to Keras 3's weights and logs (keras-train/loss_*). */
class LossTrainingParityTest {
    private static void trainTwoSteps(String name, String activation, String loss) throws Exception {
        KerasTrainRefs refs = new KerasTrainRefs(name);
        SymbolicTensor in = Input.of(5).name("x");
        SymbolicTensor h = new Dense(4).activation("tanh").name("hidden").call(in);
        Dense out = new Dense(3).name("out");
        if (activation != null) {
            out.activation(activation);
        }
        Model model = new Model(List.of(in), List.of(out.call(h)));
        refs.loadInitialWeights(model);
        List<Tensor> x = refs.arrays("x");
        List<Tensor> y = refs.arrays("y");
        assertTrue(model.predict(x).get(0).maxAbsDiff(refs.arrays("p0_").get(0)) < 1e-5, name + ": prediction");
        model.compile(CompileOptions.optimizer(new Adam(0.01)).loss(loss));
        for (int step = 1; step <= 2; step++) {
            var logs = model.trainOnBatch(x, y);
            KerasTrainRefs.assertLogs(refs.logs(step), logs, 1e-5, name + " step " + step);
            refs.assertWeightsAfter(model, step, 1e-5);
        }
    }

    @Test
    void hingeMatchesKeras() throws Exception {
        trainTwoSteps("loss_hinge", null, "hinge");
    }

    @Test
    void klDivergenceMatchesKeras() throws Exception {
        trainTwoSteps("loss_kl_divergence", "softmax", "kl_divergence");
    }

    @Test
    void diceMatchesKeras() throws Exception {
        trainTwoSteps("loss_dice", "sigmoid", "dice");
    }
}
