package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForecastCommandTest {
    private static double value(String out, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "\\s+([0-9.]+)").matcher(out);
        assertTrue(m.find(), "no line '" + label + "' in output");
        return Double.parseDouble(m.group(1));
    }

    @ParameterizedTest
    @CsvSource({"airline_passengers_monthly_1949-1960.csv,Passengers", "shampoo_sales_monthly_3y.csv,Sales",
        "quebec_car_sales_monthly_1960-1968.csv,Sales", "us_retail_clothing_sales_RSCCASN_monthly_1992-2023.csv,RSCCASN"})
    void forecastsEachBundledSalesSeries(String file, String column, @TempDir Path dir) {
        Path model = dir.resolve("m.keras");
        CliTestSupport.Run r = CliTestSupport.run("forecast", "--csv", "bundled:sales/" + file, "--target", column,
                "--epochs", "8", "--model", "lstm:8", "--out", model.toString());
        assertEquals(0, r.exitCode(), r.err());
        double mae = value(r.out(), "model (lstm:8)");
        assertTrue(Double.isFinite(mae) && mae > 0, "model MAE " + mae);
        assertTrue(value(r.out(), "baseline: last value") > 0);
        assertTrue(Files.isRegularFile(model));
    }

    @Test
    void changeModeForecastsLevelsFromPredictedChanges(@TempDir Path dir) {
        CliTestSupport.Run r = CliTestSupport.run("forecast", "--csv", "bundled:sales/airline_passengers_monthly_1949-1960.csv",
                "--target", "Passengers", "--predict", "change", "--window", "24", "--epochs", "6", "--model", "lstm:8",
                "--out", dir.resolve("c.keras").toString());
        assertEquals(0, r.exitCode(), r.err());
        double mae = value(r.out(), "model (lstm:8)");
        // Levels are rebuilt as last value + change, so the error is on the scale of the series' monthly moves
        // (persistence is about 46), not of its level (about 400).
        assertTrue(mae > 0 && mae < 150, "model MAE " + mae);
        assertTrue(r.out().contains("output: the change of 'Passengers' 1 step(s) after the window's last row"), r.out());
        CliTestSupport.Run bad = CliTestSupport.run("forecast", "--csv", "bundled:sales/shampoo_sales_monthly_3y.csv",
                "--target", "Sales", "--predict", "delta");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--predict must be level or change"), bad.err());
    }

    @Test
    void forecastsAUserCsvWithCrlfMissingValuesAndExtraFeatures(@TempDir Path dir) throws Exception {
        StringBuilder sb = new StringBuilder("day,temp,humidity\r\n");
        for (int i = 0; i < 160; i++) {
            double temp = 10 + 5 * Math.sin(2 * Math.PI * i / 7.0);
            String hum = i == 40 ? "NA" : Double.toString(50 + 10 * Math.cos(2 * Math.PI * i / 7.0));
            sb.append(i).append(',').append(temp).append(',').append(hum).append(i < 159 ? "\r\n" : "");
        }
        Path csv = dir.resolve("mine.csv");
        Files.writeString(csv, sb.toString());
        CliTestSupport.Run bad = CliTestSupport.run("forecast", "--csv", csv.toString(), "--target", "temp", "--features", "humidity");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("row 41 (line 42), column 'humidity'"), bad.err());

        Path plot = dir.resolve("f.png");
        CliTestSupport.Run r = CliTestSupport.run("forecast", "--csv", csv.toString(), "--target", "temp", "--features",
                "humidity", "--missing", "ffill", "--window", "14", "--season", "7", "--model", "gru:8", "--epochs", "10",
                "--out", dir.resolve("mine.keras").toString(), "--plot", plot.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Missing values: 1 filled"), r.out());
        assertTrue(r.out().contains("forecasting 'temp' 1 step(s) ahead from 14 steps of temp, humidity"), r.out());
        assertTrue(value(r.out(), "model (gru:8)") > 0);
        assertTrue(Files.size(plot) > 1000);
        assertTrue(Files.isRegularFile(dir.resolve("mine.keras")));
    }
}
