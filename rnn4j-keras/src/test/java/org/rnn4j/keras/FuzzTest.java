package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Npy;
import org.rnn4j.models.Sequential;
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

    private record Seed(String name, byte[] bytes, Map<String, byte[]> entries, Tensor[] xs, int[] yShape, boolean graph) {
    }

    private static Seed seed(Path file, String name, Tensor[] xs, int[] yShape, boolean graph) throws Exception {
        boolean zip = name.endsWith(".keras");
        return new Seed(name, Files.readAllBytes(file), zip ? ZipTools.entries(file) : null, xs, yShape, graph);
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
            int kind = rnd.nextInt(6);
            byte[] data = mutate(s, kind, rnd);
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

    private static byte[] mutate(Seed s, int kind, Random rnd) throws Exception {
        byte[] b = s.bytes().clone();
        switch (kind) {
            case 0: // flip a few bytes anywhere
                for (int k = 1 + rnd.nextInt(8); k > 0; k--) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
                return b;
            case 1: // truncate
                return Arrays.copyOf(b, rnd.nextInt(b.length));
            case 2: // overwrite a run with 0xff or random bytes (huge sizes and addresses)
                int at = rnd.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + rnd.nextInt(16));
                boolean ff = rnd.nextBoolean();
                for (int k = 0; k < len; k++) {
                    b[at + k] = ff ? (byte) 0xff : (byte) rnd.nextInt(256);
                }
                return b;
            case 3: // dense flips in the HDF5 metadata / zip header region
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    b[rnd.nextInt(Math.min(b.length, 4096))] ^= (byte) (1 + rnd.nextInt(255));
                }
                return b;
            default:
                if (s.entries() == null) {
                    // .h5: corrupt the model_config text in place (JSON edits keep the length)
                    return mutateText(b, rnd);
                }
                Map<String, byte[]> e = new LinkedHashMap<>(s.entries());
                if (kind == 4) {
                    e.put("config.json", mutateJson(new String(e.get("config.json"), StandardCharsets.UTF_8), rnd)
                            .getBytes(StandardCharsets.UTF_8));
                } else {
                    byte[] w = e.get("model.weights.h5").clone();
                    if (rnd.nextInt(4) == 0) {
                        w = Arrays.copyOf(w, rnd.nextInt(w.length));
                    } else {
                        for (int k = 1 + rnd.nextInt(6); k > 0; k--) {
                            w[rnd.nextInt(Math.min(w.length, 3000))] ^= (byte) (1 + rnd.nextInt(255));
                        }
                    }
                    e.put("model.weights.h5", w);
                }
                return ZipTools.zip(e);
        }
    }

    private static final String[] NUMBERS = {"0", "-1", "2147483648", "99999999999999999999", "1e308", "NaN", "3"};
    private static final String[] TOKENS = {"null", "[]", "{}", "\"x\"", "true", "[null, null]", "-7"};

    /** Replaces a number, a value or a few characters of a JSON document. */
    static String mutateJson(String json, Random rnd) {
        StringBuilder sb = new StringBuilder(json);
        int pos = rnd.nextInt(sb.length());
        switch (rnd.nextInt(4)) {
            case 0: { // replace the next number
                int i = pos;
                while (i < sb.length() && !Character.isDigit(sb.charAt(i))) {
                    i++;
                }
                int j = i;
                while (j < sb.length() && (Character.isDigit(sb.charAt(j)) || sb.charAt(j) == '.')) {
                    j++;
                }
                if (i < sb.length()) {
                    sb.replace(i, j, NUMBERS[rnd.nextInt(NUMBERS.length)]);
                }
                return sb.toString();
            }
            case 1: { // replace the value after the next colon
                int i = sb.indexOf(": ", pos);
                if (i < 0) {
                    return sb.deleteCharAt(pos).toString();
                }
                int j = i + 2;
                char c = j < sb.length() ? sb.charAt(j) : ' ';
                int end = c == '"' ? sb.indexOf("\"", j + 1) + 1 : Math.max(j, indexOfAny(sb, j, ",}]"));
                sb.replace(j, Math.max(j, end), TOKENS[rnd.nextInt(TOKENS.length)]);
                return sb.toString();
            }
            case 2: // delete a character
                return sb.deleteCharAt(pos).toString();
            default: { // swap a class name
                int i = sb.indexOf("\"class_name\": \"", pos);
                if (i < 0) {
                    return sb.insert(pos, '{').toString();
                }
                String[] names = {"LSTM", "Dense", "Flatten", "Lambda", "Sequential", "InputLayer", "Dropout"};
                int j = i + "\"class_name\": \"".length();
                int end = sb.indexOf("\"", j);
                sb.replace(j, end, names[rnd.nextInt(names.length)]);
                return sb.toString();
            }
        }
    }

    private static int indexOfAny(StringBuilder sb, int from, String chars) {
        for (int i = from; i < sb.length(); i++) {
            if (chars.indexOf(sb.charAt(i)) >= 0) {
                return i;
            }
        }
        return sb.length();
    }

    /** Edits digits or punctuation of the model_config attribute inside an .h5 without moving bytes. */
    private static byte[] mutateText(byte[] b, Random rnd) {
        byte[] key = "\"units\": ".getBytes(StandardCharsets.US_ASCII);
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i + key.length < b.length; i++) {
            if (b[i] == key[0] && Arrays.equals(Arrays.copyOfRange(b, i, i + key.length), key)) {
                hits.add(i + key.length);
            }
        }
        if (hits.isEmpty()) {
            b[rnd.nextInt(b.length)] ^= 0x20;
            return b;
        }
        int at = hits.get(rnd.nextInt(hits.size()));
        byte[] choices = {'0', '9', '-', ']', '"', '{', ' '};
        b[at] = choices[rnd.nextInt(choices.length)];
        return b;
    }
}
