package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.io.Npy;
import org.rnn4j.models.CompileOptions;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/**
 * A real Keras model with {@code x + y} residuals and {@code keras.ops.mean} nodes (between Dense,
 * LayerNormalization and Conv1D), loaded from its .keras file, trains two Adam steps to Keras's
 * weights and losses within 1e-5 (tools/keras-refs/ops_models.py, train_fixture).
 */
class OpsTrainingParityTest {
    @Test
    void residualsAndMeanTrainTwoStepsLikeKeras() throws Exception {
        Path dir = Path.of(OpsTrainingParityTest.class.getResource("/ops-train/residual_mean").toURI());
        Model m = KerasModels.load(dir.resolve("model.keras"));
        Tensor x = Npy.read(dir.resolve("x0.npy"));
        Tensor t = Npy.read(dir.resolve("t0.npy"));
        float[] losses = Npy.read(dir.resolve("loss.npy")).data();
        m.compile(CompileOptions.optimizer(new Adam(0.01)).loss("mse"));
        assertEquals(8, m.weights().size(), "Dense, LayerNormalization, Conv1D, Dense: 8 variables");
        for (int step = 1; step <= 2; step++) {
            Map<String, Double> logs = m.trainOnBatch(x, t);
            assertEquals(losses[step - 1], logs.get("loss"), 1e-5, "loss of step " + step);
            List<org.rnn4j.layers.Variable> ws = m.weights();
            for (int i = 0; i < ws.size(); i++) {
                Tensor want = Npy.read(dir.resolve("w" + step + "_" + i + ".npy"));
                float d = want.maxAbsDiff(ws.get(i).value());
                assertTrue(d <= 1e-5, "step " + step + ", weight " + i + " (" + ws.get(i).name() + "): max |diff| " + d);
            }
        }
    }
}
