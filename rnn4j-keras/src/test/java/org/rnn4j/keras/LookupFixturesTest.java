package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * CategoryEncoding and IntegerLookup models made by real Keras 3 (tools/keras-refs/lookup_refs.py,
 * test resources {@code lookup-fixtures/<case>/}): each loads (vocabulary from the config, or from
 * the zip's assets for adapted layers; tf_idf weights from the config or the weights file),
 * predicts Keras's numbers, reloads our saved copy to the same bits, and our copy predicts the
 * same in Python Keras (when the venv of shared/bench/setup-peers.sh exists; skipped, never faked).
 */
class LookupFixturesTest {
    private static Path work;

    static Path fixtures() throws Exception {
        return Path.of(LookupFixturesTest.class.getResource("/lookup-fixtures").toURI());
    }

    static List<String> cases() throws Exception {
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.list(fixtures())) {
            s.filter(p -> Files.isRegularFile(p.resolve("model.keras"))).forEach(p -> names.add(p.getFileName().toString()));
        }
        return new ArrayList<>(names);
    }

    @BeforeAll
    static void tempDir() throws Exception {
        work = Files.createTempDirectory("rnn4j-lookup-");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        try (Stream<Path> w = Files.walk(work)) {
            w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void everyCaseLoadsPredictsKerasAndReloadsBitForBit() throws Exception {
        List<String> all = cases();
        assertTrue(all.size() >= 15, "fixtures: " + all);
        for (String c : all) {
            Path dir = fixtures().resolve(c);
            Model m = KerasModels.load(dir.resolve("model.keras"));
            List<Tensor> xs = RegistrySamplesTest.read(dir, "x");
            List<Tensor> got = m.predict(xs);
            RegistrySamplesTest.assertClose(RegistrySamplesTest.read(dir, "y"), got, c);
            Path copy = work.resolve("reload").resolve(c);
            Files.createDirectories(copy);
            m.save(copy.resolve("model.keras"));
            List<Tensor> again = KerasModels.load(copy.resolve("model.keras")).predict(xs);
            assertArrayEquals(got.get(0).data(), again.get(0).data(), c + ": our copy reloads bit for bit");
        }
    }

    /** An adapted layer's vocabulary is written back as Keras writes it: assets/<layer path>/vocabulary.txt. */
    @Test
    void adaptedVocabularyIsSavedAsAnAsset() throws Exception {
        Path copy = work.resolve("asset.keras");
        KerasModels.load(fixtures().resolve("int_adapted/model.keras")).save(copy);
        try (ZipFile ours = new ZipFile(copy.toFile());
                ZipFile theirs = new ZipFile(fixtures().resolve("int_adapted/model.keras").toFile())) {
            String entry = "assets/layers/integer_lookup/vocabulary.txt";
            assertTrue(ours.getEntry(entry) != null, "our copy lacks " + entry);
            assertEquals(new String(theirs.getInputStream(theirs.getEntry(entry)).readAllBytes(), StandardCharsets.UTF_8),
                    new String(ours.getInputStream(ours.getEntry(entry)).readAllBytes(), StandardCharsets.UTF_8));
        }
    }

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
        Path dir = work.resolve("py");
        Map<String, List<Tensor>> ours = new TreeMap<>();
        for (String c : cases()) {
            Path src = fixtures().resolve(c);
            Model m = KerasModels.load(src.resolve("model.keras"));
            Path copy = dir.resolve(c);
            Files.createDirectories(copy);
            m.save(copy.resolve("model.keras"));
            Files.copy(src.resolve("x0.npy"), copy.resolve("x0.npy"));
            ours.put(c, m.predict(RegistrySamplesTest.read(src, "x")));
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
            try {
                RegistrySamplesTest.assertClose(e.getValue(), RegistrySamplesTest.read(copy, "py_y"), e.getKey() + " in Python Keras");
            } catch (AssertionError a) {
                failures.add(a.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
