package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.rnn4j.io.Npy;
import org.rnn4j.models.Model;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;

/**
 * Every layer class the core's {@link LayerRegistry} registers, by construction: each has a real
 * Keras 3 sample model (tools/keras-refs/registry_samples.py, in test resources
 * {@code registry-samples/<ClassName>/}) that loads and predicts Keras's numbers within 1e-5; our
 * saved copy reloads to the same bits and, when the venv of shared/bench/setup-peers.sh exists,
 * predicts the same in Python Keras (skipped, never faked, without it). A sample that does not
 * load must fail with the loader's "not supported" error (and only for a class not registered).
 */
class RegistrySamplesTest {
    static final double TOLERANCE = 1e-5;
    private static Path savedCopies;

    static Path samples() throws Exception {
        return Path.of(RegistrySamplesTest.class.getResource("/registry-samples").toURI());
    }

    static Set<String> sampleClasses() throws Exception {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.list(samples())) {
            s.filter(p -> Files.isRegularFile(p.resolve("model.keras"))).forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    static List<Tensor> read(Path dir, String prefix) throws IOException {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; Files.exists(dir.resolve(prefix + i + ".npy")); i++) {
            out.add(Npy.read(dir.resolve(prefix + i + ".npy")));
        }
        return out;
    }

    @BeforeAll
    static void tempDir() throws IOException {
        savedCopies = Files.createTempDirectory("rnn4j-registry-");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> w = Files.walk(savedCopies)) {
            w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void everyRegisteredClassHasASample() throws Exception {
        Set<String> missing = new TreeSet<>(LayerRegistry.supported());
        missing.removeAll(sampleClasses());
        assertTrue(missing.isEmpty(), "registered layer classes without a Keras sample: " + missing
                + "; add a case to tools/keras-refs/registry_samples.py and run it with the venv"
                + " (PY=$(shared/bench/setup-peers.sh); $PY tools/keras-refs/registry_samples.py)");
    }

    /**
     * Every sample: a registered class must load and predict Keras's numbers; a class the registry
     * does not list (nested ones such as cells are found through their container) either loads
     * and is held to the same checks, or fails with the loader's "not supported" error.
     */
    @TestFactory
    Stream<DynamicTest> samplesLoadPredictAndSaveOrFailAsUnsupported() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        Set<String> registered = LayerRegistry.supported();
        for (String cls : sampleClasses()) {
            tests.add(DynamicTest.dynamicTest(cls, () -> {
                Path dir = samples().resolve(cls);
                Model m;
                try {
                    m = KerasModels.load(dir.resolve("model.keras"));
                } catch (KerasFormatException e) {
                    if (registered.contains(cls) || !e.getMessage().contains("is not supported")) {
                        throw e;
                    }
                    return;   // not supported yet, and says so
                }
                List<Object> xs = LookupFixturesTest.inputs(dir);
                List<Tensor> got = m.predictInputs(xs);
                assertClose(read(dir, "y"), got, cls + " from Keras's file");
                Path copy = savedCopies.resolve(cls);
                Files.createDirectories(copy);
                m.save(copy.resolve("model.keras"));
                List<Tensor> again = KerasModels.load(copy.resolve("model.keras")).predictInputs(xs);
                for (int k = 0; k < got.size(); k++) {
                    assertArrayEquals(got.get(k).data(), again.get(k).data(), cls + ": our saved copy reloads bit for bit");
                }
            }));
        }
        return tests.stream();
    }

    /** Saves its own copies (test order is not guaranteed) of every sample that loads, and runs them all in one Python process. */
    @Test
    void savedCopiesPredictTheSameInPythonKeras() throws Exception {
        Path py = FunctionalFixturesTest.peersPython();
        Assumptions.assumeTrue(py != null, "no Python venv with Keras 3 (shared/bench/setup-peers.sh, or set RNN4J_PEERS_PY)");
        Path tool = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null && tool == null; p = p.getParent()) {
            Path t = p.resolve("tools/keras-refs/keras_predict_many.py");
            tool = Files.isRegularFile(t) ? t : null;
        }
        Assumptions.assumeTrue(tool != null, "tools/keras-refs/keras_predict_many.py not found");
        Path dir = Files.createTempDirectory(savedCopies, "py-");
        Map<String, List<Tensor>> ours = new TreeMap<>();
        for (String cls : sampleClasses()) {
            Path src = samples().resolve(cls);
            Model m;
            try {
                m = KerasModels.load(src.resolve("model.keras"));
            } catch (KerasFormatException notSupported) {
                continue;   // checked by the factory above
            }
            Path copy = dir.resolve(cls);
            Files.createDirectories(copy);
            m.save(copy.resolve("model.keras"));
            List<Object> xs = LookupFixturesTest.inputs(src);
            for (int i = 0; i < xs.size(); i++) {
                Files.copy(src.resolve("x" + i + ".npy"), copy.resolve("x" + i + ".npy"));
            }
            ours.put(cls, m.predictInputs(xs));
        }
        Process p = new ProcessBuilder(py.toString(), tool.toString(), dir.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "keras_predict_many.py timed out");
        assertEquals(0, p.exitValue(), "keras_predict_many.py failed:\n" + log);
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, List<Tensor>> e : ours.entrySet()) {
            Path copy = dir.resolve(e.getKey());
            if (Files.exists(copy.resolve("py_error.txt"))) {
                String err = Files.readString(copy.resolve("py_error.txt"));
                failures.add(e.getKey() + ": Python Keras cannot load our file: " + err.substring(Math.max(0, err.length() - 400)));
                continue;
            }
            List<Tensor> theirs = read(copy, "py_y");
            try {
                assertClose(e.getValue(), theirs, e.getKey() + " in Python Keras");
            } catch (AssertionError a) {
                failures.add(a.getMessage());
            }
        }
        assertFalse(ours.isEmpty());
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    static void assertClose(List<Tensor> want, List<Tensor> got, String what) {
        assertEquals(want.size(), got.size(), what + ": outputs");
        for (int k = 0; k < want.size(); k++) {
            assertArrayEquals(want.get(k).shape(), got.get(k).shape(), what + ": output " + k + " shape");
            float d = want.get(k).maxAbsDiff(got.get(k));
            assertTrue(d <= TOLERANCE, what + ": output " + k + " max |diff| " + d);
        }
    }
}
