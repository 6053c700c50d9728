package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.rnn4j.cli.io.Bundled;

class TextAndClassifyTest {
    @Test
    void textgenLossFallsAndSampleUsesCorpusCharacters() {
        int chars = 8000;
        CliTestSupport.Run r = CliTestSupport.run("textgen", "--chars", String.valueOf(chars), "--epochs", "3", "--units", "32",
                "--stride", "2", "--length", "120", "--prompt", "KING:");
        assertEquals(0, r.exitCode(), r.err());
        Matcher m = Pattern.compile("sample after epoch (\\d+) \\(loss ([0-9.]+)\\)").matcher(r.out());
        List<Double> losses = new ArrayList<>();
        while (m.find()) {
            losses.add(Double.parseDouble(m.group(2)));
        }
        assertEquals(3, losses.size(), r.out());
        assertTrue(losses.get(2) < losses.get(0), "loss did not fall: " + losses);
        String out = r.out();
        String sample = out.substring(out.indexOf("KING:", out.indexOf("Sample (temperature")) + "KING:".length()).strip();
        assertTrue(sample.length() >= 100, sample);
        String corpus = Bundled.text(Bundled.SHAKESPEARE).substring(0, chars);
        for (char c : sample.toCharArray()) {
            assertTrue(corpus.indexOf(c) >= 0, "sample character '" + c + "' is not in the corpus");
        }
    }

    @Test
    void textgenSavesAndLoadsItsModelAndCharacters(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path corpus = dir.resolve("abc.txt");
        java.nio.file.Files.writeString(corpus, "abc cab\nbca ".repeat(100));
        java.nio.file.Path model = dir.resolve("m.keras");
        CliTestSupport.Run trained = CliTestSupport.run("textgen", "--text", corpus.toString(), "--epochs", "1", "--units", "8",
                "--length", "10", "--save", model.toString());
        assertEquals(0, trained.exitCode(), trained.err());
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("m.keras.vocab")));
        CliTestSupport.Run loaded = CliTestSupport.run("textgen", "--load", model.toString(), "--prompt", "ab", "--length", "50");
        assertEquals(0, loaded.exitCode(), loaded.err());
        String out = loaded.out();
        assertTrue(out.contains(", 5 characters"), out); // a, b, c, space, newline
        String sample = out.substring(out.indexOf("\nab", out.indexOf("Sample (temperature")) + 3);
        assertTrue(sample.length() >= 50, sample);
        for (char c : sample.substring(0, 50).toCharArray()) {
            assertTrue("abc \n".indexOf(c) >= 0, "sample character '" + c + "' is not in the corpus");
        }
    }

    @Test
    void classifyBeatsTheMajorityBaseline() {
        CliTestSupport.Run r = CliTestSupport.run("classify", "--epochs", "2");
        assertEquals(0, r.exitCode(), r.err());
        Pattern row = Pattern.compile("  (Embedding \\+ LSTM|majority class \\('ham'\\) baseline)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)");
        Matcher m = row.matcher(r.out());
        assertTrue(m.find(), r.out());
        double modelAcc = Double.parseDouble(m.group(2));
        double modelF1 = Double.parseDouble(m.group(3));
        assertTrue(m.find(), r.out());
        double baseAcc = Double.parseDouble(m.group(2));
        double baseMacroF1 = Double.parseDouble(m.group(4));
        assertTrue(modelF1 > 0.7, "spam F1 " + modelF1);
        assertTrue(modelAcc > baseAcc, modelAcc + " vs " + baseAcc);
        assertTrue(modelF1 > baseMacroF1, modelF1 + " vs baseline macro-F1 " + baseMacroF1);
    }
}
