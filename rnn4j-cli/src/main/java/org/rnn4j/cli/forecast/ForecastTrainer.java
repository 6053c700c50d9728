package org.rnn4j.cli.forecast;

import java.io.PrintStream;
import org.rnn4j.cli.CliException;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * Builds and trains a forecaster: {@code Normalization} (adapted on the training rows) ->
 * recurrent layers from the spec -> {@code Dense(1)} -> {@code Normalization(invert=true)}
 * (adapted on the training targets), so the model takes raw rows and predicts in raw units.
 */
public final class ForecastTrainer {
    /** The trained model and the per-epoch losses. */
    public record Result(Sequential model, double[] loss, double[] valLoss) {
    }

    /** Training settings. */
    public record Settings(ModelSpec spec, int epochs, int batchSize, double learningRate, long seed) {
    }

    private ForecastTrainer() {
    }

    public static Result train(Settings s, SeriesWindows w, SeriesWindows.Part train, SeriesWindows.Part val, PrintStream out) {
        throw new CliException("training is not available in this build yet (waiting for LSTM and fit)");
    }

    public static Tensor predict(Sequential model, Tensor x) {
        return model.predict(x, 256);
    }
}
