package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Npy;
import org.rnn4j.tensor.Tensor;

/**
 * Feeds mutated and truncated versions of fixture files to the loader. Every one must end in a
 * {@link KerasFormatException} or a model that predicts with the right output shape, within a
 * per-case time limit; anything else (another exception, an Error, a hang) fails the test.
 */
class FuzzTest {
    static final int CASES = Integer.getInteger("rnn4j.fuzz.cases", 1000);
    static final Duration PER_CASE = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private record Seed(String name, ModelFileMutator mutator, Tensor[] xs, int[] yShape, boolean graph) {
    }

    private static Seed seed(Path file, String name, Tensor[] xs, int[] yShape, boolean graph) throws Exception {
        return new Seed(name, new ModelFileMutator(file), xs, yShape, graph);
    }

    private List<Seed> seeds() throws Exception {
        Path dir = Fixtures.dir("keras");
        List<Seed> out = new ArrayList<>();
        for (Map<String, Object> c : Fixtures.kerasCases()) {
            String name = (String) c.get("name");
            if (!supported(c)) {
                continue;
            }
            Tensor x = Npy.read(dir.resolve(name + ".x.npy"));
            int[] yShape = Npy.read(dir.resolve(name + ".y.npy")).shape();
            for (String ext : new String[] {".keras", ".h5"}) {
                out.add(seed(dir.resolve(name + ext), name + ext, new Tensor[] {x}, yShape, false));
            }
        }
        // Keras 3 Functional files kept as test resources: chains, and a two-input graph.
        Path res = Path.of(FuzzTest.class.getResource("func_chain.keras").toURI()).getParent();
        for (String name : new String[] {"func_chain", "masked_chain", "norm_lstm", "seq2seq", "misc"}) {
            boolean graph = name.equals("seq2seq");
            Tensor[] xs = graph
                    ? new Tensor[] {Npy.read(res.resolve(name + ".x0.npy")), Npy.read(res.resolve(name + ".x1.npy"))}
                    : new Tensor[] {Npy.read(res.resolve(name + ".x.npy"))};
            int[] yShape = Npy.read(res.resolve(name + ".y.npy")).shape();
            for (String ext : new String[] {".keras", ".h5"}) {
                out.add(seed(res.resolve(name + ext), name + ext, xs, yShape, graph));
            }
        }
        // Two small tf.keras / Keras 2 files: fixed-length byte-string attributes, ':0' weight names.
        Path wild = Fixtures.dir("keras2-wild");
        for (String name : new String[] {"k212_embed_sdrop_lstm", "tf23_circuit_gru"}) {
            out.add(seed(wild.resolve(name + ".h5"), name + ".h5", new Tensor[] {Npy.read(wild.resolve(name + ".x.npy"))},
                    Npy.read(wild.resolve(name + ".y.npy")).shape(), false));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static boolean supported(Map<String, Object> c) {
        for (Object l : (List<Object>) c.get("layers")) {
            String s = (String) l;
            if (!org.rnn4j.saving.LayerRegistry.has(s.substring(s.indexOf('(') + 1, s.lastIndexOf(')')))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void mutatedFilesEndInACleanExceptionOrACorrectLoad() throws Exception {
        List<Seed> seeds = seeds();
        assertTrue(seeds.size() >= 4, "need fixture files to mutate");
        Random rnd = new Random(Long.getLong("rnn4j.fuzz.seed", 20261129L));
        int loaded = 0;
        int refused = 0;
        long slowestMs = 0;
        String slowest = "";
        long start = System.nanoTime();
        for (int i = 0; i < CASES; i++) {
            Seed s = seeds.get(i % seeds.size());
            int kind = rnd.nextInt(6);   // kinds 0 to 5: single edits (6, several config edits, is the CLI's)
            byte[] data = s.mutator().mutate(kind, rnd);
            String what = "case " + i + " (" + s.name() + ", mutation " + kind + ")";
            Path file = tmp.resolve("fuzz" + (s.name().endsWith(".h5") ? ".h5" : ".keras"));
            Files.write(file, data);
            if (Integer.getInteger("rnn4j.fuzz.only", -1) >= 0 && Integer.getInteger("rnn4j.fuzz.only") != i) {
                continue;
            }
            if (System.getProperty("rnn4j.fuzz.dump") != null) {
                // Keep the input of a case being investigated: -Drnn4j.fuzz.only=N -Drnn4j.fuzz.dump=/dir
                Files.write(Path.of(System.getProperty("rnn4j.fuzz.dump")).resolve("case" + i + "-" + file.getFileName()), data);
            }
            long caseStart = System.nanoTime();
            Boolean ok = assertTimeoutPreemptively(PER_CASE, () -> {
                try {
                    org.rnn4j.models.Model m = KerasModels.load(file);
                    // A mutation may legitimately change the declared input shape (e.g. the number of
                    // time steps, which no weight depends on); then the original x does not fit.
                    if (m.inputs().size() == s.xs().length && sameShapes(m.inputShapesOfModel(), s.xs())) {
                        assertConsistent(m.predict(List.of(s.xs())).get(0), m.outputs().get(0).shape(), s, what);
                    }
                    return true;
                } catch (KerasFormatException e) {
                    if (e.getMessage() == null || e.getMessage().isBlank()) {
                        fail(what + ": exception without a message");
                    }
                    return false;
                } catch (Throwable t) {
                    throw new AssertionError(what + ": not a clean failure: " + t, t);
                }
            }, what + " took longer than " + PER_CASE);
            long caseMs = (System.nanoTime() - caseStart) / 1_000_000;
            if (caseMs > slowestMs) {
                slowestMs = caseMs;
                slowest = what;
            }
            if (ok) {
                loaded++;
            } else {
                refused++;
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("FuzzTest: " + CASES + " cases from " + seeds.size() + " fixture files in " + ms + " ms: "
                + loaded + " loaded, " + refused + " refused with KerasFormatException; slowest " + slowestMs + " ms ("
                + slowest + ")");
        assertTrue(Integer.getInteger("rnn4j.fuzz.only", -1) >= 0 || refused > CASES / 10,
                "the mutations should break most files");
    }

    /**
     * A loaded model predicts the shape it declares. A config mutation may change the model itself
     * (e.g. return_sequences), so the reference shape is the model's, not the fixture's.
     */
    private static void assertConsistent(Tensor y, int[] declared, Seed s, String what) {
        int[] got = y.shape();
        boolean ok = got.length == declared.length + 1 && got[0] == s.xs()[0].dim(0);
        for (int k = 0; ok && k < declared.length; k++) {
            ok = declared[k] == -1 || declared[k] == got[k + 1];
        }
        assertTrue(ok, what + ": loaded, but predicts " + Arrays.toString(got) + " while declaring "
                + Arrays.toString(declared));
    }

    private static boolean sameShapes(List<int[]> declared, Tensor[] xs) {
        for (int i = 0; i < xs.length; i++) {
            int[] d = declared.get(i);
            int[] x = Arrays.copyOfRange(xs[i].shape(), 1, xs[i].rank());
            if (d.length != x.length) {
                return false;
            }
            for (int k = 0; k < d.length; k++) {
                if (d[k] != -1 && d[k] != x[k]) {
                    return false;
                }
            }
        }
        return true;
    }
}
