package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job's --quick path end to end: metric lines, the model beating every baseline, the two PNGs, the model file. */
class DemoCommandTest {
    private static double mae(String out, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "\\s+([0-9.]+) degrees C").matcher(out);
        assertTrue(m.find(), "no line '" + label + "' in output");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void quickDemoBeatsBothBaselinesAndWritesCharts(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo-out");
        CliTestSupport.Run r = CliTestSupport.run("demo", "--quick", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        String o = r.out();
        assertTrue(o.contains("Model: \"forecaster\""), "no model summary");
        assertTrue(o.contains("Epoch 1/3"), "no progress bar");
        double model = mae(o, "LSTM forecaster");
        double last = mae(o, "baseline: last value");
        double sameHour = mae(o, "baseline: same hour yesterday");
        double threeDays = mae(o, "baseline: same hour, mean of last 3 days");
        assertTrue(model < last && model < sameHour && model < threeDays,
                "model MAE " + model + " vs baselines " + last + ", " + sameHour + ", " + threeDays);
        assertTrue(o.contains("Beats every baseline: yes"));
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        for (String f : new String[] {"forecast.png", "loss.png"}) {
            Path p = out.resolve(f);
            assertTrue(Files.size(p) > 5000, f + " is too small to be a chart");
            assertArrayEquals(png, Arrays.copyOf(Files.readAllBytes(p), 4), f + " is not a PNG");
        }
        assertTrue(Files.size(out.resolve("forecaster.keras")) > 1000);
    }
}
