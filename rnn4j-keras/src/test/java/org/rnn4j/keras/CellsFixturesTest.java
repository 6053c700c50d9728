package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Npy;
import org.rnn4j.layers.Variable;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/**
 * Real Keras 3.15 files with RNN(StackedRNNCells([LSTMCell, GRUCell])), RNN([cells]) and
 * stateful recurrent layers (made by tools/keras-refs/cells_refs.py): predictions within 1e-5,
 * two Adam steps equal to Keras's weights and losses within 1e-5, consecutive stateful batches
 * and reset_states as Keras, and a save through our writer that loads back to the same outputs.
 */
class CellsFixturesTest {
    @TempDir
    Path tmp;

    private static Path dir(String name) throws Exception {
        return Path.of(CellsFixturesTest.class.getResource("cells/" + name + "/model.keras").toURI()).getParent();
    }

    private static void close(Tensor want, Tensor got, double tol, String what) {
        assertEquals(List.of(want.shape().length), List.of(got.shape().length), what);
        float d = want.maxAbsDiff(got);
        assertTrue(d < tol, what + ": max diff " + d);
    }

    private static void trainTwoSteps(Model m, Path d, Tensor x) throws Exception {
        Tensor y = Npy.read(d.resolve("y.npy"));
        m.compile(new Adam(0.01), "mse");
        for (int step = 1; step <= 2; step++) {
            Map<String, Double> logs = m.trainOnBatch(x, y);
            double want = Double.parseDouble(Files.readString(d.resolve("loss_" + step + ".txt")).trim());
            assertEquals(want, logs.get("loss"), 1e-5, "loss of step " + step);
            List<Variable> ws = m.weights();
            for (int i = 0; i < ws.size(); i++) {
                close(Npy.read(d.resolve("w_step" + step + "_" + i + ".npy")), ws.get(i).value(), 1e-5,
                        "weight " + i + " (" + ws.get(i).name() + ") after step " + step);
            }
        }
    }

    @Test
    void stackedCellsPredictAndTrainAsKeras() throws Exception {
        for (String name : new String[] {"stacked", "stacked_list", "conv_lstm2d", "conv_lstm1d"}) {
            Path d = dir(name);
            Model m = KerasModels.load(d.resolve("model.keras"));
            Tensor x = Npy.read(d.resolve("x.npy"));
            Tensor p = m.predict(x);
            close(Npy.read(d.resolve("p0.npy")), p, 1e-5, name + " predict");
            Path saved = tmp.resolve(name + ".keras");
            KerasModels.save(m, saved);
            Model back = KerasModels.load(saved);
            assertEquals(0f, back.predict(x).maxAbsDiff(p), name + " reloaded from our .keras");
            trainTwoSteps(m, d, x);
        }
    }

    @Test
    void statefulLayersCarryStatesAcrossBatchesAndResetAsKeras() throws Exception {
        Path d = dir("stateful");
        Model m = KerasModels.load(d.resolve("model.keras"));
        Tensor x = Npy.read(d.resolve("x.npy"));
        Tensor x2 = Npy.read(d.resolve("x2.npy"));
        assertTrue(Npy.read(d.resolve("p_reset.npy")).maxAbsDiff(Npy.read(d.resolve("p_batch2.npy"))) > 1e-3,
                "the fixture's carried states matter");
        close(Npy.read(d.resolve("p_batch1.npy")), m.predict(x, 2), 1e-5, "first batch");
        close(Npy.read(d.resolve("p_batch2.npy")), m.predict(x2, 2), 1e-5, "second batch, states carried");
        m.resetStates();
        close(Npy.read(d.resolve("p_reset.npy")), m.predict(x2, 2), 1e-5, "after resetStates");
        m.resetStates();
        trainTwoSteps(m, d, x);
    }

    /** Our saved copies load in Python Keras 3 and predict Keras's numbers (skipped without the venv). */
    @Test
    void savedCopiesPredictTheSameInPythonKeras() throws Exception {
        Path py = FunctionalFixturesTest.peersPython();
        Path tool = FunctionalFixturesTest.tool();
        org.junit.jupiter.api.Assumptions.assumeTrue(py != null && tool != null,
                "no Python venv with Keras 3 (shared/bench/setup-peers.sh, or set RNN4J_PEERS_PY)");
        String[][] cases = {{"stacked", "p0.npy"}, {"stacked_list", "p0.npy"}, {"stateful", "p_batch1.npy"},
            {"conv_lstm2d", "p0.npy"}, {"conv_lstm1d", "p0.npy"}};
        for (String[] c : cases) {
            Path d = dir(c[0]);
            Path saved = tmp.resolve(c[0] + ".keras");
            KerasModels.save(KerasModels.load(d.resolve("model.keras")), saved);
            Path out = tmp.resolve(c[0] + "-out");
            Process p = new ProcessBuilder(py.toString(), tool.toString(), saved.toString(), out.toString(),
                    d.resolve("x.npy").toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS), c[0] + ": keras_predict.py timed out");
            assertEquals(0, p.exitValue(), c[0] + ": Python Keras could not use our file:\n" + log);
            close(Npy.read(d.resolve(c[1])), Npy.read(out.resolve("y0.npy")), 1e-5, c[0] + " in Python Keras");
        }
    }
}
