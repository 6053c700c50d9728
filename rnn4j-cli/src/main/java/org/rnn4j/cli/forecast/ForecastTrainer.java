package org.rnn4j.cli.forecast;

import java.io.PrintStream;
import java.util.List;
import org.rnn4j.callbacks.EarlyStopping;
import org.rnn4j.callbacks.History;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Normalization;
import org.rnn4j.layers.SimpleRNN;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/**
 * Builds and trains a forecaster: {@code Normalization} (adapted on the training rows) ->
 * recurrent layers from the spec -> {@code Dense(1)} -> {@code Normalization(invert=true)}
 * (adapted on the training targets), so the model takes raw rows and predicts in raw units while
 * the layers in between see values of unit scale.
 */
public final class ForecastTrainer {
    /** The trained model, the per-epoch losses and the epoch (from 1) whose weights the model has. */
    public record Result(Sequential model, double[] loss, double[] valLoss, int keptEpoch) {
    }

    /** Training settings. */
    public record Settings(ModelSpec spec, int epochs, int batchSize, double learningRate, long seed) {
    }

    private ForecastTrainer() {
    }

    public static Sequential build(ModelSpec spec, int window, Tensor trainingRows, Tensor trainingTargets, long seed) {
        Sequential m = new Sequential("forecaster").seed(seed);
        Normalization norm = new Normalization().name("normalization").inputShape(window, trainingRows.dim(1));
        norm.adapt(trainingRows);
        m.add(norm);
        List<ModelSpec.Entry> layers = spec.layers();
        for (int i = 0; i < layers.size(); i++) {
            m.add(recurrent(layers.get(i), i < layers.size() - 1));
        }
        m.add(new Dense(1).name("dense"));
        Normalization out = new Normalization().invert(true).name("denormalization");
        out.adapt(trainingTargets);
        m.add(out);
        return m;
    }

    static Layer recurrent(ModelSpec.Entry e, boolean returnSequences) {
        switch (e.kind()) {
            case "lstm":
                return new LSTM(e.units()).returnSequences(returnSequences);
            case "gru":
                return new GRU(e.units()).returnSequences(returnSequences);
            case "simplernn":
                return new SimpleRNN(e.units()).returnSequences(returnSequences);
            case "bilstm":
                return new Bidirectional(new LSTM(e.units()).returnSequences(returnSequences));
            case "bigru":
                return new Bidirectional(new GRU(e.units()).returnSequences(returnSequences));
            default:
                throw new IllegalArgumentException("unknown layer kind " + e.kind());
        }
    }

    public static Result train(Settings s, SeriesWindows w, SeriesWindows.Part train, SeriesWindows.Part val, PrintStream out) {
        return train(s, w, train, val, w.trainingTargets(), out);
    }

    /** As above, with the values the output de-normalization adapts to (e.g. changes rather than levels). */
    public static Result train(Settings s, SeriesWindows w, SeriesWindows.Part train, SeriesWindows.Part val,
                               Tensor targetStatistics, PrintStream out) {
        Sequential m = build(s.spec(), w.window, w.trainingRows(), targetStatistics, s.seed());
        m.compile(new Adam(s.learningRate()), "mean_squared_error");
        m.summary(out);
        FitOptions fo = FitOptions.epochs(s.epochs()).batchSize(s.batchSize()).shuffle(true).output(out);
        if (val != null && val.size() > 0) {
            // Keep the weights of the best validation epoch; stop after 2 epochs without improvement.
            fo = fo.validationData(val.x(), val.y())
                    .callbacks(new EarlyStopping().monitor("val_loss").patience(2).restoreBestWeights(true));
        }
        History h = m.fit(train.x(), train.y(), fo);
        double[] loss = toArray(h.get("loss"));
        double[] valLoss = h.history().containsKey("val_loss") ? toArray(h.get("val_loss")) : null;
        int kept = loss.length;
        if (valLoss != null && loss.length < s.epochs()) {
            int best = 0;
            for (int i = 1; i < valLoss.length; i++) {
                if (valLoss[i] < valLoss[best]) {
                    best = i;
                }
            }
            out.printf("Early stopping after epoch %d: kept the weights of epoch %d (lowest val_loss %.4f)%n",
                    loss.length, best + 1, valLoss[best]);
            kept = best + 1;
        }
        return new Result(m, loss, valLoss, kept);
    }

    private static double[] toArray(List<Double> v) {
        double[] a = new double[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
        }
        return a;
    }

    public static Tensor predict(Sequential model, Tensor x) {
        return model.predict(x, 256);
    }
}
