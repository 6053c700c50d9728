package org.rnn4j.keras;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Hostile versions of a real model file: byte flips, truncation, runs of 0xff or noise (huge sizes
 * and addresses in HDF5 headers), and, inside a {@code .keras} zip, edits of {@code config.json}
 * (numbers replaced by extremes, values by the wrong type, class names swapped) or of the weights
 * file, re-zipped so the zip layer passes and the deeper readers are reached. Used to fuzz the
 * loader: by the CLI's {@code fuzz} command and by this module's FuzzTest.
 *
 * <p>Kinds: 0 byte flips anywhere, 1 truncation, 2 a run of 0xff or noise, 3 flips in the first
 * 4 KiB (HDF5 superblock, zip header), 4 one edit of config.json (of the model_config text in an
 * .h5), 5 flips or truncation of model.weights.h5, 6 several config.json edits.
 */
public final class ModelFileMutator {
    /** The number of mutation kinds: {@link #mutate} takes 0 to {@code KINDS - 1}. */
    public static final int KINDS = 7;
    private static final String[] NUMBERS = {"0", "-1", "2147483648", "99999999999999999999", "1e308", "NaN", "3", "65535"};
    private static final String[] VALUES = {"null", "[]", "{}", "\"x\"", "true", "[null, null]", "-7", "[[[[[[[[1]]]]]]]]"};
    private static final String[] CLASSES = {"LSTM", "Dense", "Flatten", "Lambda", "Sequential", "Functional", "InputLayer",
        "Dropout", "Bidirectional", "TimeDistributed"};

    private final String name;
    private final byte[] bytes;
    /** The zip's entries for a {@code .keras} file, else null. */
    private final Map<String, byte[]> entries;

    /** Mutates the bytes of {@code file} (a {@code .keras} zip is also read entry by entry). */
    public ModelFileMutator(Path file) throws IOException {
        this.name = file.getFileName().toString();
        this.bytes = java.nio.file.Files.readAllBytes(file);
        this.entries = name.endsWith(".keras") ? entries(file) : null;
    }

    /** The file's name. */
    public String name() {
        return name;
    }

    /** A new mutated copy of the file's bytes, of mutation {@code kind} (0 to {@link #KINDS} - 1). */
    public byte[] mutate(int kind, Random rnd) throws IOException {
        byte[] b = bytes.clone();
        switch (kind) {
            case 0:
                for (int k = 1 + rnd.nextInt(8); k > 0; k--) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
                return b;
            case 1:
                return Arrays.copyOf(b, rnd.nextInt(b.length));
            case 2: {
                int at = rnd.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + rnd.nextInt(16));
                boolean ff = rnd.nextBoolean();
                for (int k = 0; k < len; k++) {
                    b[at + k] = ff ? (byte) 0xff : (byte) rnd.nextInt(256);
                }
                return b;
            }
            case 3:
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    b[rnd.nextInt(Math.min(b.length, 4096))] ^= (byte) (1 + rnd.nextInt(255));
                }
                return b;
            default:
                if (entries == null || !entries.containsKey("config.json")) {
                    return flipText(b, rnd);
                }
                Map<String, byte[]> e = new LinkedHashMap<>(entries);
                if (kind == 4 || kind == 6) {
                    String json = new String(e.get("config.json"), StandardCharsets.UTF_8);
                    for (int k = kind == 6 ? 2 + rnd.nextInt(4) : 1; k > 0; k--) {
                        json = mutateJson(json, rnd);
                    }
                    e.put("config.json", json.getBytes(StandardCharsets.UTF_8));
                } else {
                    byte[] w = e.get("model.weights.h5");
                    if (w == null) {
                        return flipText(b, rnd);
                    }
                    w = w.clone();
                    if (rnd.nextInt(4) == 0) {
                        w = Arrays.copyOf(w, rnd.nextInt(w.length));
                    } else {
                        for (int k = 1 + rnd.nextInt(6); k > 0; k--) {
                            w[rnd.nextInt(Math.min(w.length, 3000))] ^= (byte) (1 + rnd.nextInt(255));
                        }
                    }
                    e.put("model.weights.h5", w);
                }
                return zip(e);
        }
    }

    /** Replaces a number, a value, a class name, or a character of a JSON document. */
    public static String mutateJson(String json, Random rnd) {
        StringBuilder sb = new StringBuilder(json);
        if (sb.length() == 0) {
            return "{";
        }
        int pos = rnd.nextInt(sb.length());
        switch (rnd.nextInt(4)) {
            case 0: {
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
            case 1: {
                int i = sb.indexOf(": ", pos);
                if (i < 0) {
                    return sb.deleteCharAt(pos).toString();
                }
                int j = i + 2;
                char c = j < sb.length() ? sb.charAt(j) : ' ';
                int end = c == '"' ? sb.indexOf("\"", j + 1) + 1 : Math.max(j, indexOfAny(sb, j, ",}]"));
                sb.replace(j, Math.max(j, end), VALUES[rnd.nextInt(VALUES.length)]);
                return sb.toString();
            }
            case 2:
                return sb.deleteCharAt(pos).toString();
            default: {
                int i = sb.indexOf("\"class_name\": \"", pos);
                if (i < 0) {
                    return sb.insert(pos, '{').toString();
                }
                int j = i + "\"class_name\": \"".length();
                int end = sb.indexOf("\"", j);
                sb.replace(j, end, CLASSES[rnd.nextInt(CLASSES.length)]);
                return sb.toString();
            }
        }
    }

    /** Flips digits and punctuation near JSON text inside a binary file (an .h5's model_config) without moving bytes. */
    private static byte[] flipText(byte[] b, Random rnd) {
        byte[] choices = {'0', '9', '-', ']', '"', '{', ' ', ','};
        for (int tries = 0; tries < 64; tries++) {
            int i = rnd.nextInt(b.length);
            byte c = b[i];
            if (c == ':' || c == ',' || c == '"' || (c >= '0' && c <= '9') || c == '[' || c == '{') {
                b[i] = choices[rnd.nextInt(choices.length)];
                return b;
            }
        }
        b[rnd.nextInt(b.length)] ^= 0x20;
        return b;
    }

    private static int indexOfAny(StringBuilder sb, int from, String chars) {
        for (int i = from; i < sb.length(); i++) {
            if (chars.indexOf(sb.charAt(i)) >= 0) {
                return i;
            }
        }
        return sb.length();
    }

    private static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : z.stream().toList()) {
                out.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        return out;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return bos.toByteArray();
    }
}
