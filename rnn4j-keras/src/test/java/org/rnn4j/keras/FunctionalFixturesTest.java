package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.rnn4j.io.Npy;
import org.rnn4j.models.Model;
import org.rnn4j.models.SummaryStyle;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;

/**
 * Every case of shared/fixtures/keras-functional (Keras 3.15.1 functional models: several inputs
 * and outputs, merges, shared layers, recurrent states, a nested Sequential, attention) loads from
 * each format it has and predicts Keras's outputs within 1e-5; its Keras 3 summary rows (name,
 * type, output shape, params, connected to) equal Keras's; and the copy rnn4j saves loads in Python
 * Keras 3 ({@code tools/keras-refs/keras_predict.py}) with the same predictions. Cases that need a
 * layer this build does not have are skipped with the reason; the Python check is skipped when the
 * venv of shared/bench/setup-peers.sh (or {@code RNN4J_PEERS_PY}) is absent, never faked.
 */
class FunctionalFixturesTest {
    static final float TOLERANCE = 1e-5f;

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases() throws IOException {
        Map<String, Object> index = (Map<String, Object>) Fixtures.json(Fixtures.dir("keras-functional").resolve("index.json"));
        return (List<Map<String, Object>>) index.get("cases");
    }

    /** Why a case cannot run in this build (a layer class or feature not merged yet), or null. */
    @SuppressWarnings("unchecked")
    static String missing(Map<String, Object> c) {
        List<String> absent = new ArrayList<>();
        for (String cls : (List<String>) c.get("layers")) {
            if (!cls.equals("InputLayer") && !cls.equals("Sequential") && !cls.equals("Functional") && !LayerRegistry.has(cls)) {
                absent.add(cls);
            }
        }
        if (!absent.isEmpty()) {
            return "needs layer class(es) " + absent + ", not in this build yet (see LayerRegistry.OPTIONAL)";
        }
        if (String.valueOf(c.get("description")).contains("initial_state") && !LayerRegistry.recurrentStatesSupported()) {
            return "needs recurrent layers with return_state / initial_state inputs, not in this build yet";
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static List<Tensor> inputs(Map<String, Object> c, Path dir) throws IOException {
        List<Tensor> xs = new ArrayList<>();
        for (Map<String, Object> in : (List<Map<String, Object>>) c.get("inputs")) {
            xs.add(Npy.read(dir.resolve((String) in.get("file"))));
        }
        return xs;
    }

    @SuppressWarnings("unchecked")
    static List<Tensor> outputs(Map<String, Object> c, Path dir) throws IOException {
        List<Tensor> ys = new ArrayList<>();
        for (Map<String, Object> out : (List<Map<String, Object>>) c.get("outputs")) {
            ys.add(Npy.read(dir.resolve((String) out.get("file"))));
        }
        return ys;
    }

    static void assertClose(List<Tensor> want, List<Tensor> got, String what) {
        assertEquals(want.size(), got.size(), what + ": number of outputs");
        for (int j = 0; j < want.size(); j++) {
            assertArrayEquals(want.get(j).shape(), got.get(j).shape(), what + ": shape of output " + j);
            float diff = got.get(j).maxAbsDiff(want.get(j));
            assertTrue(diff <= TOLERANCE, what + ": output " + j + " max |diff| " + diff);
        }
    }

    @SuppressWarnings("unchecked")
    @TestFactory
    Stream<DynamicTest> everyCaseLoadsFromEachFormatAndPredictsKeras() throws IOException {
        Path dir = Fixtures.dir("keras-functional");
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> c : cases()) {
            String name = (String) c.get("name");
            for (String format : (List<String>) c.get("formats")) {
                tests.add(DynamicTest.dynamicTest(name + "." + format, () -> {
                    String why = missing(c);
                    Assumptions.assumeTrue(why == null, why);
                    Model m = KerasModels.load(dir.resolve(name + "." + format));
                    assertEquals(((List<?>) c.get("inputs")).size(), m.inputs().size());
                    assertEquals(((Number) c.get("count_params")).longValue(), m.countParams(), name + ": count_params");
                    assertClose(outputs(c, dir), m.predict(inputs(c, dir)), name + "." + format);
                }));
            }
        }
        return tests.stream();
    }

    /** The rows of Keras's box summary (4 columns for graphs, 3 for chains), continuation lines joined. */
    static List<List<String>> rows(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> cur = null;
        boolean body = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("┡")) {
                body = true;
            } else if (body && line.startsWith("│")) {
                String[] cells = line.split("│", -1);
                if (cur == null) {
                    cur = new ArrayList<>();
                    for (int i = 1; i < cells.length - 1; i++) {
                        cur.add("");
                    }
                }
                for (int i = 1; i < cells.length - 1; i++) {
                    String t = cells[i].trim();
                    if (!t.isEmpty()) {
                        cur.set(i - 1, cur.get(i - 1).isEmpty() ? t : cur.get(i - 1) + " " + t);
                    }
                }
            } else if (body && (line.startsWith("├") || line.startsWith("└"))) {
                if (cur != null) {
                    rows.add(cur);
                }
                cur = null;
                if (line.startsWith("└")) {
                    break;
                }
            }
        }
        return rows;
    }

    /**
     * Keras's rows without its auto-generated mask ops ({@code NotEqual} of an Embedding with
     * mask_zero): rnn4j layers derive masks themselves, so those are not nodes of our graph.
     */
    static List<List<String>> withoutMaskOps(List<List<String>> rows) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> r : rows) {
            if (r.get(0).contains("(NotEqual)")) {
                continue;
            }
            List<String> c = new ArrayList<>(r);
            if (c.size() > 3) {
                List<String> kept = new ArrayList<>();
                for (String part : c.get(3).split(", ")) {
                    if (!part.startsWith("not_equal")) {
                        kept.add(part.replaceAll(",$", ""));
                    }
                }
                c.set(3, String.join(", ", kept));
            }
            out.add(c);
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> summaryRowsEqualKeras() throws IOException {
        Path dir = Fixtures.dir("keras-functional");
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> c : cases()) {
            String name = (String) c.get("name");
            tests.add(DynamicTest.dynamicTest(name, () -> {
                String why = missing(c);
                Assumptions.assumeTrue(why == null, why);
                Model m = KerasModels.load(dir.resolve(name + ".keras"));
                String expected = Files.readString(dir.resolve(name + ".summary.txt"), StandardCharsets.UTF_8);
                String ours = m.summaryString(SummaryStyle.KERAS3);
                assertEquals(withoutMaskOps(rows(expected)), withoutMaskOps(rows(ours)), name + "\n" + ours);
                if (!expected.contains("NotEqual")) {
                    // the whole table, to the character
                    assertEquals(expected.substring(0, expected.indexOf(" Total params")), ours.substring(0, ours.indexOf(" Total params")));
                }
                // the classic table has the same layers, each with its connections
                String classic = m.summaryString(SummaryStyle.CLASSIC);
                for (List<String> r : withoutMaskOps(rows(expected))) {
                    String layerName = r.get(0).substring(0, r.get(0).indexOf(" (")).replaceAll("[…].*", "");
                    assertTrue(classic.contains(layerName), name + ": classic summary lacks " + layerName + "\n" + classic);
                    if (r.size() > 3 && !r.get(3).equals("-")) {
                        for (String part : r.get(3).replaceAll("[…]", "").split(", ")) {
                            assertTrue(classic.contains(part), name + ": classic summary lacks " + part + "\n" + classic);
                        }
                    }
                }
            }));
        }
        return tests.stream();
    }

    /** The venv python of shared/bench/setup-peers.sh ({@code RNN4J_PEERS_PY}, {@code PEERS_VENV}, or its default), or null. */
    static Path peersPython() {
        List<String> candidates = new ArrayList<>();
        if (System.getenv("RNN4J_PEERS_PY") != null) {
            candidates.add(System.getenv("RNN4J_PEERS_PY"));
        }
        if (System.getenv("PEERS_VENV") != null) {
            candidates.add(System.getenv("PEERS_VENV") + "/bin/python");
        }
        candidates.add(System.getProperty("user.home") + "/.cache/rnn4j-peers/bin/python");
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static Path tool() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path t = p.resolve("tools/keras-refs/keras_predict.py");
            if (Files.isRegularFile(t)) {
                return t;
            }
        }
        return null;
    }

    /** Our saved copy of every loadable case predicts Keras's numbers in Python Keras 3. */
    @TestFactory
    Stream<DynamicTest> savedCopyPredictsTheSameInPythonKeras() throws IOException {
        Path dir = Fixtures.dir("keras-functional");
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> c : cases()) {
            String name = (String) c.get("name");
            tests.add(DynamicTest.dynamicTest(name, () -> {
                String why = missing(c);
                Assumptions.assumeTrue(why == null, why);
                Path py = peersPython();
                Assumptions.assumeTrue(py != null, "no Python venv with Keras 3 (shared/bench/setup-peers.sh, or set RNN4J_PEERS_PY)");
                Path tool = tool();
                Assumptions.assumeTrue(tool != null, "tools/keras-refs/keras_predict.py not found");
                Model m = KerasModels.load(dir.resolve(name + ".keras"));
                Path tmp = Files.createTempDirectory("rnn4j-fn-");
                try {
                    Path saved = tmp.resolve(name + ".keras");
                    m.save(saved);
                    // and our own loader reads our file back to the same numbers
                    assertClose(m.predict(inputs(c, dir)), KerasModels.load(saved).predict(inputs(c, dir)), name + " reloaded");
                    List<String> cmd = new ArrayList<>(List.of(py.toString(), tool.toString(), saved.toString(), tmp.resolve("out").toString()));
                    for (Map<String, Object> in : (List<Map<String, Object>>) c.get("inputs")) {
                        cmd.add(dir.resolve((String) in.get("file")).toString());
                    }
                    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(p.waitFor(300, TimeUnit.SECONDS), name + ": keras_predict.py timed out");
                    assertEquals(0, p.exitValue(), name + ": Python Keras could not use our file:\n" + log);
                    List<Tensor> got = new ArrayList<>();
                    for (int j = 0; j < ((List<?>) c.get("outputs")).size(); j++) {
                        got.add(Npy.read(tmp.resolve("out").resolve("y" + j + ".npy")));
                    }
                    assertClose(outputs(c, dir), got, name + " in Python Keras");
                } finally {
                    try (Stream<Path> w = Files.walk(tmp)) {
                        w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                    }
                }
            }));
        }
        return tests.stream();
    }
}
