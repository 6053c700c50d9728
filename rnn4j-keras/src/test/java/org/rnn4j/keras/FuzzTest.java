package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
    static final int CASES = 1200;
    static final Duration PER_CASE = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private record Seed(String name, byte[] bytes, Map<String, byte[]> entries, Tensor x, int[] yShape) {
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
                Path p = dir.resolve(name + ext);
                out.add(new Seed(name + ext, Files.readAllBytes(p), ext.equals(".keras") ? ZipTools.entries(p) : null,
                        x, yShape));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static boolean supported(Map<String, Object> c) {
        for (Object l : (List<Object>) c.get("layers")) {
            String s = (String) l;
            if (!LayerFactory.supported().contains(s.substring(s.indexOf('(') + 1, s.lastIndexOf(')')))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void mutatedFilesEndInACleanExceptionOrACorrectLoad() throws Exception {
        List<Seed> seeds = seeds();
        assertTrue(seeds.size() >= 4, "need fixture files to mutate");
        Random rnd = new Random(20261129L);
        int loaded = 0;
        int refused = 0;
        long start = System.nanoTime();
        for (int i = 0; i < CASES; i++) {
            Seed s = seeds.get(i % seeds.size());
            int kind = rnd.nextInt(6);
            byte[] data = mutate(s, kind, rnd);
            String what = "case " + i + " (" + s.name() + ", mutation " + kind + ")";
            Path file = tmp.resolve("fuzz" + (s.name().endsWith(".h5") ? ".h5" : ".keras"));
            Files.write(file, data);
            Boolean ok = assertTimeoutPreemptively(PER_CASE, () -> {
                try {
                    Sequential m = KerasModels.load(file);
                    assertArrayEquals(s.yShape(), m.predict(s.x()).shape(), what + ": loaded but wrong output shape");
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
            if (ok) {
                loaded++;
            } else {
                refused++;
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("FuzzTest: " + CASES + " cases from " + seeds.size() + " fixture files in " + ms + " ms: "
                + loaded + " loaded, " + refused + " refused with KerasFormatException");
        assertTrue(refused > CASES / 10, "the mutations should break most files");
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
