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
import org.rnn4j.tensor.StringTensor;
import org.rnn4j.tensor.Tensor;

/**
 * CategoryEncoding, IntegerLookup and StringLookup models (string inputs) made by real Keras 3 (tools/keras-refs/lookup_refs.py,
 * test resources {@code lookup-fixtures/<case>/}): each loads (vocabulary from the config, or from
 * the zip's assets for adapted layers; tf_idf weights from the config or the weights file),
 * predicts Keras's numbers (Keras's strings for an inverted StringLookup), reloads our saved copy to
 * the same bits, and our copy predicts the
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

    /** The inputs x0.npy, x1.npy...: float/int arrays as Tensors, unicode arrays as StringTensors. */
    static List<Object> inputs(Path dir) throws java.io.IOException {
        List<Object> out = new ArrayList<>();
        for (int i = 0; Files.exists(dir.resolve("x" + i + ".npy")); i++) {
            Path f = dir.resolve("x" + i + ".npy");
            out.add(org.rnn4j.io.Npy.header(f).descr().startsWith("<U") ? org.rnn4j.io.Npy.readStrings(f)
                    : org.rnn4j.io.Npy.read(f));
        }
        return out;
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
        assertTrue(all.size() >= 22, "fixtures: " + all);
        for (String c : all) {
            Path dir = fixtures().resolve(c);
            Model m = KerasModels.load(dir.resolve("model.keras"));
            List<Object> xs = inputs(dir);
            List<Object> got = m.predictOutputs(xs);
            assertSameOutputs(dir, "y", got, c);
            Path copy = work.resolve("reload").resolve(c);
            Files.createDirectories(copy);
            m.save(copy.resolve("model.keras"));
            List<Object> again = KerasModels.load(copy.resolve("model.keras")).predictOutputs(xs);
            if (got.get(0) instanceof Tensor t) {
                assertArrayEquals(t.data(), ((Tensor) again.get(0)).data(), c + ": our copy reloads bit for bit");
            } else {
                assertEquals(strings((StringTensor) got.get(0)), strings((StringTensor) again.get(0)), c + ": our copy reloads");
            }
        }
    }

    private static List<String> strings(StringTensor s) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            out.add(s.get(i));
        }
        return out;
    }

    /**
     * {@code got} equals the case's {@code <prefix><k>.npy}: numbers within
     * {@link RegistrySamplesTest#TOLERANCE}, strings (a unicode array, from an inverted StringLookup) exactly.
     */
    static void assertSameOutputs(Path dir, String prefix, List<Object> got, String what) throws java.io.IOException {
        int k = 0;
        for (; Files.exists(dir.resolve(prefix + k + ".npy")); k++) {
            Path f = dir.resolve(prefix + k + ".npy");
            assertTrue(k < got.size(), what + ": fewer outputs than " + prefix + "*.npy");
            if (org.rnn4j.io.Npy.header(f).descr().startsWith("<U")) {
                StringTensor want = org.rnn4j.io.Npy.readStrings(f);
                assertTrue(got.get(k) instanceof StringTensor, what + ": output " + k + " should be strings");
                StringTensor s = (StringTensor) got.get(k);
                assertArrayEquals(want.shape(), s.shape(), what + ": output " + k + " shape");
                assertEquals(strings(want), strings(s), what + ": output " + k);
            } else {
                assertTrue(got.get(k) instanceof Tensor, what + ": output " + k + " should be numbers");
                RegistrySamplesTest.assertClose(List.of(org.rnn4j.io.Npy.read(f)), List.of((Tensor) got.get(k)),
                        what + " output " + k);
            }
        }
        assertEquals(k, got.size(), what + ": outputs");
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
        Map<String, List<Object>> ours = new TreeMap<>();
        for (String c : cases()) {
            Path src = fixtures().resolve(c);
            Model m = KerasModels.load(src.resolve("model.keras"));
            Path copy = dir.resolve(c);
            Files.createDirectories(copy);
            m.save(copy.resolve("model.keras"));
            Files.copy(src.resolve("x0.npy"), copy.resolve("x0.npy"));
            ours.put(c, m.predictOutputs(inputs(src)));
        }
        Process p = new ProcessBuilder(py.toString(), tool.toString(), dir.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "keras_predict_many.py timed out");
        assertEquals(0, p.exitValue(), "keras_predict_many.py failed:\n" + log);
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, List<Object>> e : ours.entrySet()) {
            Path copy = dir.resolve(e.getKey());
            if (Files.exists(copy.resolve("py_error.txt"))) {
                String err = Files.readString(copy.resolve("py_error.txt"));
                failures.add(e.getKey() + ": Python Keras cannot load our file: " + err.substring(Math.max(0, err.length() - 400)));
                continue;
            }
            try {
                assertSameOutputs(copy, "py_y", e.getValue(), e.getKey() + " in Python Keras");
            } catch (AssertionError a) {
                failures.add(a.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
