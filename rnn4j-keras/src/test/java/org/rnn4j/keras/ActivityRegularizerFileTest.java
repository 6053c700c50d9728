package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Npy;
import org.rnn4j.models.CompileOptions;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;

/**
 * A real Keras 3 file whose layers carry {@code activity_regularizer} (Conv1D, LSTM, Dense) and an
 * ActivityRegularization layer (core's keras-train/activity_regularizers): it loads with the
 * regularizers, trains two steps to Keras's losses and weights, and saves them back.
 */
class ActivityRegularizerFileTest {
    private static final Path DIR = Path.of("..", "rnn4j-core", "src", "test", "resources", "keras-train",
            "activity_regularizers");

    private static double kerasLoss(String key) throws Exception {
        String json = Files.readString(DIR.resolve("logs.json"));
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\\{\\s*\"loss\"\\s*:\\s*([-0-9.eE+]+)").matcher(json);
        assertTrue(m.find(), key + " in logs.json");
        return Double.parseDouble(m.group(1));
    }

    private static void trainsLikeKeras(Model model) throws Exception {
        Tensor x = Npy.read(DIR.resolve("x0.npy"));
        Tensor y = Npy.read(DIR.resolve("y0.npy"));
        model.compile(CompileOptions.optimizer(new SGD(0.1)).loss("mse"));
        assertEquals(kerasLoss("evaluate0"), model.evaluate(x, y, 8).get("loss"), 1e-5, "evaluate");
        for (int step = 1; step <= 2; step++) {
            assertEquals(kerasLoss("step" + step), model.trainOnBatch(x, y).get("loss"), 1e-5, "step " + step);
        }
        List<Tensor> w = model.getWeights();
        for (int k = 0; k < w.size(); k++) {
            Tensor want = Npy.read(DIR.resolve("w_step2_" + k + ".npy"));
            assertTrue(w.get(k).maxAbsDiff(want) < 1e-5, "weight " + k + " after step 2");
        }
    }

    @Test
    void loadsTrainsAndSavesTheRegularizers(@TempDir Path tmp) throws Exception {
        Model model = Models.load(DIR.resolve("model.keras"));
        assertNotNull(model.getLayer("conv").activityRegularizer());
        assertNotNull(model.getLayer("out").activityRegularizer());
        Path copy = tmp.resolve("copy.keras");
        Models.save(model, copy);
        trainsLikeKeras(model);
        Model reloaded = Models.load(copy);
        assertNotNull(reloaded.getLayer("lstm").activityRegularizer(), "saved and read back");
        trainsLikeKeras(reloaded);
    }

    /** Python Keras loads our copy with the regularizers: its evaluate() loss is Keras's original one. */
    @Test
    void pythonKerasEvaluatesOurCopyWithTheRegularizers(@TempDir Path tmp) throws Exception {
        Path py = FunctionalFixturesTest.peersPython();
        org.junit.jupiter.api.Assumptions.assumeTrue(py != null, "no Python venv with Keras 3 (shared/bench/setup-peers.sh)");
        Path copy = tmp.resolve("copy.keras");
        Models.save(Models.load(DIR.resolve("model.keras")), copy);
        String script = "import os,sys\nos.environ.setdefault('KERAS_BACKEND','tensorflow')\n"
                + "os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL','3')\nimport numpy as np, keras\n"
                + "m=keras.saving.load_model(sys.argv[1], compile=False)\n"
                + "print('regularized', sum(l.activity_regularizer is not None for l in m.layers))\n"
                + "m.compile(optimizer='sgd', loss='mse')\n"
                + "x=np.load(sys.argv[2]); y=np.load(sys.argv[3])\n"
                + "print('loss', m.evaluate(x, y, batch_size=8, verbose=0))\n";
        Process p = new ProcessBuilder(py.toString(), "-c", script, copy.toString(),
                DIR.resolve("x0.npy").toAbsolutePath().toString(), DIR.resolve("y0.npy").toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS), "python timed out");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("regularized 4"), "Conv1D, LSTM, ActivityRegularization and Dense: " + out);
        Matcher m = Pattern.compile("loss ([-0-9.eE+]+)").matcher(out);
        assertTrue(m.find(), out);
        assertEquals(kerasLoss("evaluate0"), Double.parseDouble(m.group(1)), 1e-5, "Python Keras on our file");
    }
}
