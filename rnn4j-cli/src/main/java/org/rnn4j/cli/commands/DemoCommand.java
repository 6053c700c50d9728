package org.rnn4j.cli.commands;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.cli.forecast.ForecastTrainer;
import org.rnn4j.cli.forecast.ModelSpec;
import org.rnn4j.cli.forecast.SeriesWindows;
import org.rnn4j.cli.forecast.WeatherFeatures;
import org.rnn4j.cli.io.Bundled;
import org.rnn4j.cli.io.CsvTable;
import org.rnn4j.cli.plot.Charts;
import org.rnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The main job: an LSTM forecasting Beijing's temperature 24 hours ahead from the previous 72 hours. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job: an LSTM forecasting Beijing's temperature 24 h ahead.",
            "Trains on the previous 72 hours of the bundled Beijing hourly weather, compares the test MAE",
            "with naive baselines, draws forecast.png and loss.png and saves the model."})
public final class DemoCommand implements Callable<Integer> {
    static final int WINDOW = 72;
    static final int HORIZON = 24;

    @Option(names = "--quick", description = "A shorter run (fewer windows, epochs and units), under 20 seconds")
    boolean quick;

    @Option(names = "--out", defaultValue = "rnn4j-out/demo", description = "Output folder (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Option(names = "--epochs", description = "Epochs (default: 8, or 3 with --quick)")
    Integer epochs;

    @Option(names = "--model", hidden = true, description = "Recurrent layers, as forecast --model (default: lstm:32, or lstm:16 with --quick)")
    String model;

    @Option(names = "--stride", hidden = true, description = "Hours between training windows (default: 4, or 8 with --quick)")
    Integer stride;

    @Option(names = "--learning-rate", hidden = true, description = "Adam learning rate (default: 0.002, or 0.005 with --quick)")
    Double learningRate;

    @Option(names = "--batch-size", hidden = true, description = "Batch size (default: 64, or 32 with --quick)")
    Integer batchSize;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        PrintStream out = System.out;
        // Every flag is checked before any data is read or anything is printed.
        ModelSpec spec = ModelSpec.parse(model != null ? model : quick ? "lstm:16" : "lstm:32");
        if (epochs != null) {
            org.rnn4j.cli.Flags.atLeast("--epochs", epochs, 1);
        }
        if (stride != null) {
            org.rnn4j.cli.Flags.atLeast("--stride", stride, 1);
        }
        if (batchSize != null) {
            org.rnn4j.cli.Flags.atLeast("--batch-size", batchSize, 1);
        }
        if (learningRate != null) {
            org.rnn4j.cli.Flags.positive("--learning-rate", learningRate);
        }
        // Fail before training, not after, when the output folder cannot be made.
        try {
            Files.createDirectories(outDir);
        } catch (java.io.IOException e) {
            throw new org.rnn4j.cli.CliException("Cannot create the output folder " + outDir + ": " + e);
        }

        out.println("rnn4j demo" + (quick ? " --quick" : "") + ": forecast Beijing's temperature (TEMP, degrees C) "
                + HORIZON + " hours ahead from the previous " + WINDOW + " hours");
        CsvTable table = Bundled.csv(Bundled.WEATHER);
        WeatherFeatures wf = WeatherFeatures.from(table);
        int n = wf.temperature.length;
        out.printf("Data: UCI Beijing PM2.5 hourly weather (bundled), %,d rows, %s .. %s%n", n, wf.timestamps[0], wf.timestamps[n - 1]);
        out.println("Inputs: " + String.join(", ", WeatherFeatures.NAMES)
                + "  (wind_u/v: hourly speed from the running total Iws, direction from cbwd)");
        SeriesWindows w = new SeriesWindows(wf.features, wf.temperature, WINDOW, HORIZON, 0.70, 0.15);
        int trainStride = stride != null ? stride : quick ? 8 : 4;
        SeriesWindows.Part train = w.train(trainStride);
        SeriesWindows.Part val = w.validation(quick ? 12 : 4);
        SeriesWindows.Part test = w.test(1);
        out.printf("Split by time: train %s .. %s (%,d windows, every %d h), validation .. %s (%,d), test .. %s (%,d)%n",
                wf.timestamps[train.targetRows()[0]], wf.timestamps[w.trainEnd - 1], train.size(), trainStride,
                wf.timestamps[w.valEnd - 1], val.size(), wf.timestamps[n - 1], test.size());
        out.println();

        ForecastTrainer.Settings settings = new ForecastTrainer.Settings(
                spec,
                epochs != null ? epochs : quick ? 3 : 8,
                batchSize != null ? batchSize : quick ? 32 : 64,
                learningRate != null ? learningRate : quick ? 0.005 : 0.002, seed);
        ForecastTrainer.Result r = ForecastTrainer.train(settings, w, train, val, out);

        Tensor pred = ForecastTrainer.predict(r.model(), test.x());
        double modelMae = SeriesWindows.mae(SeriesWindows.toDoubles(pred), test.y());
        double lastMae = SeriesWindows.mae(w.lastValueBaseline(test), test.y());
        double sameHourMae = SeriesWindows.mae(w.seasonalBaseline(test, 24), test.y());
        double threeDayMae = SeriesWindows.mae(w.seasonalMeanBaseline(test, 24, 3), test.y());
        out.println();
        out.printf("Test MAE, %s .. %s (%,d forecasts, %d h ahead):%n", wf.timestamps[test.targetRows()[0]],
                wf.timestamps[n - 1], test.size(), HORIZON);
        out.printf("  LSTM forecaster                            %.3f degrees C%n", modelMae);
        out.printf("  baseline: last value                       %.3f degrees C%n", lastMae);
        out.printf("  baseline: same hour yesterday              %.3f degrees C  (equals last value at a 24 h horizon)%n", sameHourMae);
        out.printf("  baseline: same hour, mean of last 3 days   %.3f degrees C%n", threeDayMae);
        boolean beats = modelMae < lastMae && modelMae < sameHourMae && modelMae < threeDayMae;
        out.println("Beats every baseline: " + (beats ? "yes" : "NO"));

        Path forecastPng = outDir.resolve("forecast.png");
        Path lossPng = outDir.resolve("loss.png");
        int days = 14;
        int shown = Math.min(test.size(), days * 24);
        Map<String, double[]> series = new LinkedHashMap<>();
        double[] actual = new double[shown];
        double[] forecast = new double[shown];
        double[] persistence = new double[shown];
        double[] lastValues = w.lastValueBaseline(test);
        for (int i = 0; i < shown; i++) {
            actual[i] = test.y().data()[i];
            forecast[i] = pred.data()[i];
            persistence[i] = lastValues[i];
        }
        series.put("actual TEMP", actual);
        series.put("LSTM forecast (24 h ahead)", forecast);
        series.put("last value baseline", persistence);
        java.time.LocalDateTime[] times = new java.time.LocalDateTime[shown];
        for (int i = 0; i < shown; i++) {
            times[i] = java.time.LocalDateTime.parse(wf.timestamps[test.targetRows()[i]].replace(' ', 'T'));
        }
        Charts.timePng(forecastPng, "Beijing temperature, first " + days + " days of the test period (from "
                + wf.timestamps[test.targetRows()[0]] + ")", "degrees C", times, series, 1000, 450);
        Charts.lossPng(lossPng, "Training and validation loss (MSE, degrees C squared)", r.loss(), r.valLoss(), r.keptEpoch());
        Path model = ModelFiles.save(r.model(), outDir.resolve("forecaster"), out);
        out.println("Wrote " + forecastPng.toAbsolutePath() + " and " + lossPng.getFileName() + "; model " + model.getFileName());
        out.printf("Done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
