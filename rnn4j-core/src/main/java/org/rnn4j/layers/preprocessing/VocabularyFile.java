package org.rnn4j.layers.preprocessing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The format of Keras's {@code vocabulary.txt} asset: UTF-8, one token a line, special tokens first. */
final class VocabularyFile {
    /** The asset's name in a {@code .keras} file. */
    static final String NAME = "vocabulary.txt";

    private VocabularyFile() {
    }

    /** The file of these lines (no newline after the last, as Keras writes it). */
    static byte[] write(List<String> lines) {
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    /** The lines of a file, trailing empty lines dropped. */
    static List<String> read(byte[] file) {
        List<String> lines = new ArrayList<>(Arrays.asList(new String(file, StandardCharsets.UTF_8).split("\n", -1)));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
