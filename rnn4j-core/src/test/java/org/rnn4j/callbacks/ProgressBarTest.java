package org.rnn4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final String FULL = "\u2501".repeat(20);

    /** A clock set by the test. */
    private static final class FakeClock implements java.util.function.LongSupplier {
        long now;

        FakeClock(long unused) {
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    private static Map<String, Double> logs(double loss, double valLoss) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss);
        m.put("val_loss", valLoss);
        return m;
    }

    @Test
    void nonTerminalPrintsOnePlainLinePerEpoch() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        FakeClock clock = new FakeClock(0);
        ProgressBar bar = new ProgressBar(32, 1, out, false, clock);
        for (int i = 1; i <= 32; i++) {
            clock.now = i * 61_000_000L; // 61 ms per step
            bar.update(i, logs(0.02134, 0.019), false);
        }
        clock.now += 100_000_000L; // validation takes 100 ms: elapsed 2.05 s, per step (2.052 - 0.061) / 31
        bar.update(32, logs(0.021349, 0.0190), true);
        String text = buf.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        assertEquals(1, lines.length, text);
                assertEquals("32/32 " + FULL + " 2s 64ms/step - loss: 0.0213 - val_loss: 0.0190", lines[0].strip());
        assertTrue(!text.contains("\u001b") && !text.contains("\r"), "no escape codes in a log file");
    }

    @Test
    void terminalRedrawsInPlaceWithKerasStyling() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        FakeClock clock = new FakeClock(0);
        ProgressBar bar = new ProgressBar(4, 1, out, true, clock);
        clock.now = 100_000_000L;
        bar.update(1, logs(1.5, 0), false);
        clock.now = 120_000_000L; // within 50 ms of the last redraw: skipped, as Keras does
        bar.update(2, logs(1.4, 0), false);
        clock.now = 200_000_000L;
        bar.update(3, logs(1.25, 0), false);
        clock.now = 300_000_000L;
        bar.update(4, logs(1.0, 0), true);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(3, text.split("\r", -1).length - 1, text);
        assertTrue(text.endsWith(System.lineSeparator()));
        String second = text.split("\r")[2];
        String plain = second.replaceAll("\u001b\\[[0-9;]*m", "");
        assertEquals("3/4 " + "\u2501".repeat(20) + " 0s 50ms/step - loss: 1.2500 - val_loss: 0.0000e+00", plain.strip());
        assertTrue(second.contains("\u001b[32m" + "\u2501".repeat(15) + "\u001b[0m"), second);
    }

    @Test
    void verboseTwoPrintsOneSummaryLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        FakeClock clock = new FakeClock(0);
        ProgressBar bar = new ProgressBar(10, 2, out, true, clock);
        for (int i = 1; i <= 10; i++) {
            clock.now = i * 1_800_000_000L;
            bar.update(i, logs(0.5, 0.25), false);
        }
        bar.update(10, logs(0.5, 0.25), true);
        assertEquals("10/10 - 18s - 2s/step - loss: 0.5000 - val_loss: 0.2500", buf.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void valuesAndTimesAreFormattedAsKeras() {
        assertEquals("0.0213", ProgressBar.formatValue(0.02134));
        assertEquals("1.2346e-04", ProgressBar.formatValue(0.000123456));
        assertEquals("-5.0000e-04", ProgressBar.formatValue(-0.0005));
        assertEquals("123.4560", ProgressBar.formatValue(123.456));
        assertEquals("0.0000e+00", ProgressBar.formatValue(0));
        assertEquals("nan", ProgressBar.formatValue(Double.NaN));
        // Python rounds the exact binary value: 0.00015 is stored just below, so .4e keeps 1.5000e-04
        assertEquals("1.5000e-04", ProgressBar.formatValue(0.00015));
        assertEquals(" 61ms/step", ProgressBar.formatTime(0.061));
        assertEquals(" 2s/step", ProgressBar.formatTime(2.4));
        assertEquals(" 850us/step", ProgressBar.formatTime(0.00085));
        assertEquals("2:05", ProgressBar.eta(125.7));
        assertEquals("1:00:05", ProgressBar.eta(3605));
        assertEquals("42s", ProgressBar.eta(42.9));
    }

    @Test
    void epochHeaderOnlyWithSeveralEpochs() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        ProgbarLogger logger = new ProgbarLogger(out, false, new FakeClock(1_000_000L));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("verbose", 1);
        params.put("epochs", 20);
        params.put("steps", 3);
        logger.setParams(params);
        logger.onEpochBegin(0, Map.of());
        logger.onBatchEnd(0, logs(1, 1));
        logger.onEpochEnd(0, logs(1, 1));
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("Epoch 1/20", lines[0].strip());
        assertTrue(lines[1].startsWith("3/3 " + FULL + " 0s "), lines[1]);
        assertEquals(2, lines.length);
    }
}
