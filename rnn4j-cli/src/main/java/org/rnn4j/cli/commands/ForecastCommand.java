package org.rnn4j.cli.commands;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.cli.CliException;
import org.rnn4j.cli.Flags;
import org.rnn4j.cli.forecast.Frequency;
import org.rnn4j.cli.forecast.ForecastTrainer;
import org.rnn4j.cli.forecast.ModelSpec;
import org.rnn4j.cli.forecast.SeriesWindows;
import org.rnn4j.cli.io.Bundled;
import org.rnn4j.cli.io.CsvTable;
import org.rnn4j.cli.io.MissingPolicy;
import org.rnn4j.cli.plot.Charts;
import org.rnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Trains a forecaster on any CSV column, split by time, and compares it with naive baselines. */
@Command(name = "forecast", mixinStandardHelpOptions = true,
        description = {"Trains a forecaster on a column of your CSV and compares it with baselines.",
            "Rows must be in time order. Splits by time into train/validation/test (70/15/15 by target), reports test MAE beside naive baselines",
            "and saves a model that takes raw rows (Normalization inside).",
            "Bundled series: --csv bundled:sales/airline_passengers_monthly_1949-1960.csv etc."})
public final class ForecastCommand implements Callable<Integer> {
    @Option(names = "--csv", required = true, description = "CSV file with a header row, or bundled:<name>")
    String csv;

    @Option(names = "--target", required = true, description = "Column to forecast")
    String target;

    @Option(names = "--features", split = ",", description = "Input columns (default: the target only); the target is always included")
    List<String> features;

    @Option(names = "--window", defaultValue = "12", description = "Input steps (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--horizon", defaultValue = "1", description = "Steps ahead to forecast (default: ${DEFAULT-VALUE})")
    int horizon;

    @Option(names = "--stride", defaultValue = "1", description = "Rows between training windows; more than 1 makes epochs shorter on long series (default: ${DEFAULT-VALUE})")
    int stride;

    @Option(names = "--season", description = "Season length for the seasonal baseline (default: from the time column: 24 hourly, 7 daily, 12 monthly, 4 quarterly; else 12)")
    Integer season;

    @Option(names = "--model", defaultValue = "lstm:32", description = "Recurrent layers, kind:units, comma-stacked: lstm:64|gru:64|bilstm:32|simplernn:32, e.g. lstm:64,lstm:32 (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--epochs", defaultValue = "60", description = "Epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "16", description = "Batch size (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "0.003", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--predict", defaultValue = "level", description = {"level: the model outputs the target's value;",
        "change: it outputs the change since the last value (better for trending series; add the last value)",
        "(default: ${DEFAULT-VALUE})"})
    String predict;

    @Option(names = "--missing", defaultValue = "error", description = "Missing values (NA, empty): error, ffill, drop or a number (default: ${DEFAULT-VALUE})")
    String missing;

    @Option(names = "--out", defaultValue = "forecaster.keras", description = "Where to save the model; an existing file is kept unless --force (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing --out file")
    boolean force;

    @Option(names = "--plot", description = "Also write a PNG of forecast vs actual over the test period")
    Path plot;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        PrintStream o = System.out;
        // Every flag is checked before any data is read.
        ModelSpec spec = ModelSpec.parse(model);
        Flags.atLeast("--window", window, 1);
        Flags.atLeast("--horizon", horizon, 1);
        Flags.atLeast("--stride", stride, 1);
        if (season != null) {
            Flags.atLeast("--season", season, 1);
        }
        Flags.atLeast("--epochs", epochs, 1);
        Flags.atLeast("--batch-size", batchSize, 1);
        Flags.positive("--learning-rate", learningRate);
        if (!predict.equals("level") && !predict.equals("change")) {
            throw new CliException("--predict must be level or change, got '" + predict + "'");
        }
        boolean change = predict.equals("change");
        MissingPolicy missingPolicy = MissingPolicy.parse(missing);
        Flags.newOutput("--out", savedPath(out), force);
        if (plot != null) {
            Flags.newOutput("--plot", plot, true);
        }
        CsvTable table = csv.startsWith("bundled:") ? Bundled.csv(csv.substring("bundled:".length())) : CsvTable.read(Path.of(csv));
        List<String> cols = new ArrayList<>();
        cols.add(table.header().get(table.columnIndex(target)));
        if (features != null) {
            for (String f : features) {
                String name = table.header().get(table.columnIndex(f.trim()));
                if (!cols.contains(name)) {
                    cols.add(name);
                }
            }
        }
        CsvTable.NumericColumns num = table.numeric(cols, missingPolicy);
        int n = num.numRows();
        float[][] rows = new float[n][cols.size()];
        float[] y = new float[n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < cols.size(); c++) {
                rows[r][c] = (float) num.values()[r][c];
            }
            y[r] = rows[r][0];
        }
        o.printf("%s: %,d rows; forecasting '%s' %d step(s) ahead from %d steps of %s%n", table.source(), n, cols.get(0),
                horizon, window, String.join(", ", cols));
        if (num.filled() > 0 || num.dropped() > 0) {
            o.printf("Missing values: %d filled, %d rows dropped (--missing %s)%n", num.filled(), num.dropped(), missing);
        }
        Frequency frequency = Frequency.of(table);
        int season = this.season != null ? this.season : frequency.season();
        o.println("Seasonal baseline: " + season + " steps back" + (this.season != null ? " (--season)"
                : " (" + frequency.description() + "; --season to change)"));
        SeriesWindows w = new SeriesWindows(rows, y, window, horizon, 0.70, 0.15);
        SeriesWindows.Part train = w.train(stride);
        SeriesWindows.Part val = w.validation(1);
        SeriesWindows.Part test = w.test(1);
        o.printf("Split by time: %d training, %d validation, %d test windows%n%n", train.size(), val.size(), test.size());
        ForecastTrainer.Settings settings = new ForecastTrainer.Settings(spec, epochs, batchSize, learningRate, seed);
        ForecastTrainer.Result r = change
                ? ForecastTrainer.train(settings, w, train.withTargets(w.changes(train)), val.withTargets(w.changes(val)),
                        w.trainingChanges(), o)
                : ForecastTrainer.train(settings, w, train, val, o);
        Tensor pred = ForecastTrainer.predict(r.model(), test.x());
        if (change) {
            // Forecast level = last observed value + predicted change.
            double[] last = w.lastValueBaseline(test);
            float[] p = pred.data();
            for (int i = 0; i < p.length; i++) {
                p[i] += (float) last[i];
            }
        }
        double modelMae = SeriesWindows.mae(SeriesWindows.toDoubles(pred), test.y());
        double lastMae = SeriesWindows.mae(w.lastValueBaseline(test), test.y());
        o.println();
        o.printf("Test MAE ('%s', %d forecasts, %d step(s) ahead):%n", cols.get(0), test.size(), horizon);
        o.printf("  %-44s %.4f%n", "model (" + model + ")", modelMae);
        o.printf("  %-44s %.4f%n", "baseline: last value", lastMae);
        boolean beats = modelMae < lastMae;
        // The value one (or more) seasons before the target must lie in the window's past.
        int seasonsBack = (horizon + season - 1) / season;
        if (seasonsBack * season <= window - 1 + horizon) {
            double seasonalMae = SeriesWindows.mae(w.seasonalBaseline(test, season), test.y());
            o.printf("  %-44s %.4f%n", "baseline: same time last season (" + season + " back)", seasonalMae);
            beats &= modelMae < seasonalMae;
        } else {
            o.printf("  baseline: same time last season: skipped (--season %d reaches before the --window)%n", season);
        }
        o.println("Beats the baselines: " + (beats ? "yes" : "no"));
        if (plot != null) {
            Map<String, double[]> s = new LinkedHashMap<>();
            s.put("actual " + cols.get(0), SeriesWindows.toDoubles(test.y()));
            s.put("forecast", SeriesWindows.toDoubles(pred));
            s.put("last value baseline", w.lastValueBaseline(test));
            String title = cols.get(0) + ": forecast vs actual over the test period";
            if (frequency.times() != null) {
                // Dates on the x axis: the time of each forecast's target row.
                java.time.LocalDateTime[] times = new java.time.LocalDateTime[test.size()];
                for (int i = 0; i < times.length; i++) {
                    times[i] = frequency.times()[num.rowIndex()[test.targetRows()[i]]];
                }
                Charts.timePng(plot, title, cols.get(0), times, s, 900, 450);
            } else {
                Charts.linePng(plot, title, "test step", cols.get(0), 0, 1, s, 900, 450);
            }
            o.println("Wrote " + plot.toAbsolutePath());
        }
        Path saved = ModelFiles.save(r.model(), stripKeras(out), o);
        o.println("Saved model " + saved.toAbsolutePath() + " (input: [batch, " + window + ", " + cols.size()
                + "] raw values of " + String.join(", ", cols) + "; output: " + (change
                ? "the change of '" + cols.get(0) + "' " + horizon + " step(s) after the window's last row)"
                : "'" + cols.get(0) + "' " + horizon + " step(s) after the window's last row)"));
        return 0;
    }

    /** The file {@link ModelFiles#save} writes for {@code --out p}. */
    private static Path savedPath(Path p) {
        Path base = stripKeras(p);
        return base.resolveSibling(base.getFileName() + ".keras");
    }

    private static Path stripKeras(Path p) {
        String f = p.getFileName().toString();
        return f.endsWith(".keras") ? p.resolveSibling(f.substring(0, f.length() - 6)) : p;
    }
}
