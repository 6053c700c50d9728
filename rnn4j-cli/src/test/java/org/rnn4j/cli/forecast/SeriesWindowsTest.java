package org.rnn4j.cli.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.cli.CliException;
import org.rnn4j.cli.io.Bundled;

class SeriesWindowsTest {
    /** Row r holds (r, 10r); the target is column 0, so every value names its row. */
    private static SeriesWindows series(int n, int window, int horizon) {
        float[][] rows = new float[n][];
        float[] y = new float[n];
        for (int r = 0; r < n; r++) {
            rows[r] = new float[] {r, 10 * r};
            y[r] = r;
        }
        return new SeriesWindows(rows, y, window, horizon, 0.7, 0.15);
    }

    @Test
    void windowsEndHorizonStepsBeforeTheirTargetAndSplitsFollowTime() {
        SeriesWindows w = series(100, 5, 3);
        SeriesWindows.Part train = w.train(1);
        SeriesWindows.Part val = w.validation(1);
        SeriesWindows.Part test = w.test(1);
        assertEquals(7, train.targetRows()[0]);
        assertEquals(69, train.targetRows()[train.size() - 1]);
        assertEquals(70, val.targetRows()[0]);
        assertEquals(85, test.targetRows()[0]);
        assertEquals(99, test.targetRows()[test.size() - 1]);
        for (SeriesWindows.Part p : new SeriesWindows.Part[] {train, val, test}) {
            for (int i = 0; i < p.size(); i++) {
                int t = p.targetRows()[i];
                assertEquals(t, p.y().data()[i]);
                // the window is rows t-7 .. t-3: the last input is 'horizon' rows before the target
                assertEquals(t - 7, p.x().get(i, 0, 0));
                assertEquals(t - 3, p.x().get(i, 4, 0));
                assertEquals(10 * (t - 3), p.x().get(i, 4, 1));
            }
        }
        assertArrayEquals(new int[] {train.size(), 5, 2}, train.x().shape());
    }

    @Test
    void strideThinsWindows() {
        SeriesWindows w = series(100, 5, 3);
        assertEquals((63 + 2) / 3, w.train(3).size());
        assertEquals(10, w.train(3).targetRows()[1]);
    }

    @Test
    void baselines() {
        SeriesWindows w = series(200, 72, 24);
        SeriesWindows.Part test = w.test(1);
        int t = test.targetRows()[0];
        assertEquals(t - 24, w.lastValueBaseline(test)[0]);
        assertEquals(t - 24, w.seasonalBaseline(test, 24)[0]); // same hour yesterday = persistence at horizon 24
        assertEquals(t - 48, w.seasonalMeanBaseline(test, 24, 3)[0], 1e-9); // mean of t-24, t-48, t-72
        SeriesWindows monthly = series(200, 12, 1);
        SeriesWindows.Part mt = monthly.test(1);
        assertEquals(mt.targetRows()[0] - 12, monthly.seasonalBaseline(mt, 12)[0]);
        assertNull(monthly.seasonalMeanBaseline(mt, 12, 3));
    }

    @Test
    void tooShortSeriesIsAUserError() {
        CliException e = assertThrows(CliException.class, () -> series(20, 12, 1));
        assertTrue(e.getMessage().contains("too few"), e.getMessage());
    }

    @Test
    void weatherFeaturesDeriveHourlyWindFromTheRunningTotal() {
        WeatherFeatures wf = WeatherFeatures.from(Bundled.csv(Bundled.WEATHER));
        assertEquals(43824, wf.temperature.length);
        assertEquals(-11f, wf.temperature[0]);
        // Rows 1-2 are NW with Iws 1.79 then 4.92: speeds 1.79 and 3.13, blowing toward the south-east (u>0, v<0).
        double s = Math.sqrt(0.5);
        assertEquals(1.79 * s, wf.features[0][3], 1e-5);
        assertEquals(3.13 * s, wf.features[1][3], 1e-5);
        assertEquals(-3.13 * s, wf.features[1][4], 1e-5);
        assertEquals("2010-01-01 01:00", wf.timestamps[1]);
    }
}
