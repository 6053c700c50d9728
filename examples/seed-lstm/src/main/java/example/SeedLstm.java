package example;

import java.nio.file.Files;
import java.nio.file.Path;
import org.rnn4j.Rnn4j;
import org.rnn4j.callbacks.History;
import org.rnn4j.keras.Models;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.LSTM;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/** The seed's LSTM model, trained on a small synthetic task, saved as .keras and loaded back. */
public final class SeedLstm {
    public static void main(String[] args) throws Exception {
        int n = 64;
        float[] x = new float[n * 4 * 6];
        float[] y = new float[n * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(0.37 * i);
        }
        for (int i = 0; i < n; i++) {
            y[2 * i] = x[i * 24 + 23];
            y[2 * i + 1] = -x[i * 24 + 18];
        }
        Tensor xs = Tensor.of(x, n, 4, 6);
        Tensor ys = Tensor.of(y, n, 2);

        var model = new Sequential().seed(42);
        model.add(new LSTM(10).activation("relu").inputShape(4, 6));
        model.add(new Dense(10).activation("relu"));
        model.add(new Dense(2));
        model.compile("adam", "mean_squared_error", "mae");
        model.summary();
        History h = model.fit(xs, ys, FitOptions.epochs(20).batchSize(16).verbose(0));
        System.out.printf("loss %.4f -> %.4f%n", h.get("loss").get(0), h.last("loss"));

        Path file = Files.createTempDirectory("seed-lstm").resolve("seed.keras");
        model.save(file);
        Sequential back = Models.load(file);
        System.out.println("reloaded, max difference " + model.predict(xs).maxAbsDiff(back.predict(xs)));
        System.out.println("kernels: " + Rnn4j.kernels());
    }
}
