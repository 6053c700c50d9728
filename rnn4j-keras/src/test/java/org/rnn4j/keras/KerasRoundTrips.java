package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * The checks the sample-model tests share (RegistrySamplesTest, KerasIoExamplesTest, OpsModelsTest):
 * a case directory holds Keras's {@code model.keras}, inputs {@code x<i>.npy} and outputs {@code y<i>.npy}.
 */
final class KerasRoundTrips {
    private KerasRoundTrips() {
    }

    /** Loads a case's model, or returns null for a case that is checked elsewhere (skipped here). */
    @FunctionalInterface
    interface CaseLoader {
        Model load(String name, Path dir) throws Exception;
    }

    /**
     * {@code m} predicts Keras's numbers (within {@link RegistrySamplesTest#TOLERANCE}) on the case's
     * inputs, and our copy saved to {@code copy} reloads to the same bits; returns our outputs.
     */
    static List<Tensor> predictsKerasAndReloads(Model m, Path dir, Path copy, String name, String source)
            throws Exception {
        List<Object> xs = LookupFixturesTest.inputs(dir);   // numbers, or strings for a StringLookup input
        List<Tensor> got = m.predictInputs(xs);
        RegistrySamplesTest.assertClose(RegistrySamplesTest.read(dir, "y"), got, name + " from " + source);
        m.save(copy);
        List<Tensor> again = KerasModels.load(copy).predictInputs(xs);
        assertEquals(got.size(), again.size(), name + ": outputs of our saved copy");
        for (int k = 0; k < got.size(); k++) {
            assertArrayEquals(got.get(k).data(), again.get(k).data(), name + ": our saved copy reloads bit for bit, output " + k);
        }
        return got;
    }

    /**
     * Saves our copy of every case the loader gives a model for into {@code work}, runs them all in
     * one Python Keras process (tools/keras-refs/keras_predict_many.py) and asserts Python predicts
     * what we predict. Skipped, never faked, without the venv of shared/bench/setup-peers.sh.
     */
    static void predictTheSameInPythonKeras(Path cases, Iterable<String> names, CaseLoader loader, Path work)
            throws Exception {
        Path py = FunctionalFixturesTest.peersPython();
        Assumptions.assumeTrue(py != null, "no Python venv with Keras 3 (shared/bench/setup-peers.sh, or set RNN4J_PEERS_PY)");
        Path tool = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null && tool == null; p = p.getParent()) {
            Path t = p.resolve("tools/keras-refs/keras_predict_many.py");
            tool = Files.isRegularFile(t) ? t : null;
        }
        Assumptions.assumeTrue(tool != null, "tools/keras-refs/keras_predict_many.py not found");
        Map<String, List<Tensor>> ours = new TreeMap<>();
        for (String name : names) {
            Path src = cases.resolve(name);
            Model m = loader.load(name, src);
            if (m == null) {
                continue;
            }
            Path copy = work.resolve(name);
            Files.createDirectories(copy);
            m.save(copy.resolve("model.keras"));
            List<Object> xs = LookupFixturesTest.inputs(src);
            for (int i = 0; i < xs.size(); i++) {
                Files.copy(src.resolve("x" + i + ".npy"), copy.resolve("x" + i + ".npy"));
            }
            ours.put(name, m.predictInputs(xs));
        }
        assertFalse(ours.isEmpty(), "no case loads, so nothing runs in Python Keras");
        Process p = new ProcessBuilder(py.toString(), tool.toString(), work.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "keras_predict_many.py timed out");
        assertEquals(0, p.exitValue(), "keras_predict_many.py failed:\n" + log);
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, List<Tensor>> e : ours.entrySet()) {
            Path copy = work.resolve(e.getKey());
            if (Files.exists(copy.resolve("py_error.txt"))) {
                String err = Files.readString(copy.resolve("py_error.txt"));
                failures.add(e.getKey() + ": Python Keras cannot load our file: "
                        + err.substring(Math.max(0, err.length() - 600)));
                continue;
            }
            try {
                RegistrySamplesTest.assertClose(e.getValue(), RegistrySamplesTest.read(copy, "py_y"),
                        e.getKey() + " in Python Keras");
            } catch (AssertionError a) {
                failures.add(a.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
