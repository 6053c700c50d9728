package org.rnn4j.cli.commands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.cli.CliException;
import org.rnn4j.layers.TextVectorization;

/**
 * A character model's vocabulary beside its .keras file: one Unicode code point per line (in id
 * order, from id 2; ids 0 and 1 are padding and [UNK]), so newlines and spaces survive.
 */
final class CharVocabulary {
    private CharVocabulary() {
    }

    static void write(Path file, TextVectorization tv) {
        StringBuilder sb = new StringBuilder();
        List<String> v = tv.getVocabulary();
        for (int i = 2; i < v.size(); i++) {
            sb.append(v.get(i).codePointAt(0)).append('\n');
        }
        try {
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("Cannot write " + file + ": " + e.getMessage());
        }
    }

    static TextVectorization read(Path file) {
        List<String> tokens = new ArrayList<>();
        try {
            int line = 0;
            for (String s : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                try {
                    tokens.add(new String(Character.toChars(Integer.parseInt(s.trim()))));
                } catch (IllegalArgumentException e) {
                    throw new CliException(file + ": line " + line + " is not a character code: '" + s + "'");
                }
            }
        } catch (NoSuchFileException e) {
            throw new CliException("Vocabulary file not found: " + file + " (it is written beside the model by textgen --save)");
        } catch (IOException e) {
            throw new CliException("Cannot read " + file + ": " + e.getMessage());
        }
        return new TextVectorization().split("character").standardize(null).setVocabulary(tokens);
    }
}
