package org.rnn4j.cli.forecast;

import java.time.LocalDate;
import java.util.List;
import org.rnn4j.cli.io.CsvTable;
import org.rnn4j.cli.io.MissingPolicy;

/**
 * The demo's inputs from the Beijing hourly file: TEMP, DEWP, PRES, wind as a vector, hour of day
 * and day of year as sin/cos. The file's {@code Iws} is a running total of wind speed that restarts
 * whenever the combined direction {@code cbwd} changes, so the hourly speed is its increment
 * within a run (or the value itself at a restart); with {@code cbwd} (NW/NE/SE, cv = calm or
 * variable) it gives wind components u (east) and v (north); cv counts as no direction.
 */
public final class WeatherFeatures {
    public static final List<String> NAMES = List.of("TEMP", "DEWP", "PRES", "wind_u", "wind_v",
            "hour_sin", "hour_cos", "day_sin", "day_cos");
    public static final int TARGET = 0;

    /** {@code [rows][features]} in {@link #NAMES} order. */
    public final float[][] features;
    public final float[] temperature;
    public final String[] timestamps;

    private WeatherFeatures(float[][] features, float[] temperature, String[] timestamps) {
        this.features = features;
        this.temperature = temperature;
        this.timestamps = timestamps;
    }

    public static WeatherFeatures from(CsvTable t) {
        // Only pm2.5 has NA in this file, and it is not used; any other gap is an error.
        CsvTable.NumericColumns num = t.numeric(List.of("year", "month", "day", "hour", "TEMP", "DEWP", "PRES", "Iws"),
                MissingPolicy.ERROR);
        int cbwd = t.columnIndex("cbwd");
        int n = num.numRows();
        float[][] f = new float[n][NAMES.size()];
        float[] temp = new float[n];
        String[] ts = new String[n];
        double previousIws = 0;
        String previousDir = null;
        for (int r = 0; r < n; r++) {
            double[] v = num.values()[r];
            String dir = t.cell(r, cbwd);
            double iws = v[7];
            double speed = dir.equals(previousDir) ? Math.max(0, iws - previousIws) : iws;
            previousIws = iws;
            previousDir = dir;
            double[] unit = direction(dir);
            int hour = (int) v[3];
            LocalDate date = LocalDate.of((int) v[0], (int) v[1], (int) v[2]);
            double dayAngle = 2 * Math.PI * (date.getDayOfYear() - 1) / 365.25;
            double hourAngle = 2 * Math.PI * hour / 24.0;
            f[r] = new float[] {(float) v[4], (float) v[5], (float) v[6], (float) (unit[0] * speed), (float) (unit[1] * speed),
                (float) Math.sin(hourAngle), (float) Math.cos(hourAngle), (float) Math.sin(dayAngle), (float) Math.cos(dayAngle)};
            temp[r] = (float) v[4];
            ts[r] = String.format("%s %02d:00", date, hour);
        }
        return new WeatherFeatures(f, temp, ts);
    }

    /** Unit vector the wind blows from -> components (u east, v north); NW wind blows toward the south-east. */
    private static double[] direction(String cbwd) {
        double s = Math.sqrt(0.5);
        switch (cbwd) {
            case "NW":
                return new double[] {s, -s};
            case "NE":
                return new double[] {-s, -s};
            case "SE":
                return new double[] {-s, s};
            case "SW":
                return new double[] {s, s};
            default:
                return new double[] {0, 0};
        }
    }
}
