package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Npy;
import org.rnn4j.keras.Models;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

class PredictCommandTest {
    @Test
    void predictMatchesTheModelAndKerasOnFixtures(@TempDir Path dir) throws Exception {
        Path fixtures = Shared.find("fixtures/keras");
        for (String name : List.of("dense_mlp", "dropout_mlp")) {
            for (String ext : List.of(".keras", ".h5")) {
                Path model = fixtures.resolve(name + ext);
                Path x = fixtures.resolve(name + ".x.npy");
                Path y = dir.resolve(name + ext + ".y.npy");
                CliTestSupport.Run r = CliTestSupport.run("predict", "--model", model.toString(), "--input", x.toString(),
                        "--output", y.toString());
                assertEquals(0, r.exitCode(), r.err());
                Tensor got = Npy.read(y);
                Sequential m = Models.load(model);
                assertEquals(0f, got.maxAbsDiff(m.predict(Npy.read(x))), name + ext + " vs the model's predict");
                assertTrue(got.maxAbsDiff(Npy.read(fixtures.resolve(name + ".y.npy"))) < 1e-5, name + ext + " vs Keras");

                // The same through CSV in and out.
                Tensor xs = Npy.read(x);
                StringBuilder sb = new StringBuilder();
                int per = xs.size() / xs.dim(0);
                for (int i = 0; i < xs.dim(0); i++) {
                    for (int j = 0; j < per; j++) {
                        sb.append(j > 0 ? "," : "").append(xs.data()[i * per + j]);
                    }
                    sb.append('\n');
                }
                Path xcsv = dir.resolve("x.csv");
                Files.writeString(xcsv, sb.toString());
                Path ycsv = dir.resolve("y.csv");
                assertEquals(0, CliTestSupport.run("predict", "--model", model.toString(), "--input", xcsv.toString(),
                        "--output", ycsv.toString()).exitCode());
                List<String> lines = Files.readAllLines(ycsv);
                assertEquals(got.dim(0), lines.size());
                int outPer = got.size() / got.dim(0);
                for (int i = 0; i < lines.size(); i++) {
                    String[] cells = lines.get(i).split(",");
                    for (int j = 0; j < outPer; j++) {
                        assertEquals(got.data()[i * outPer + j], Float.parseFloat(cells[j]), 0f);
                    }
                }
            }
        }
    }

    @Test
    void summaryShowsTheLayersAndParamsOfTheKerasSummary() throws Exception {
        Path fixtures = Shared.find("fixtures/keras");
        for (String name : List.of("dense_mlp", "lstm_last")) {
            String keras = Files.readString(fixtures.resolve(name + ".summary.txt"));
            java.util.regex.Matcher total = java.util.regex.Pattern.compile("Total params: ([0-9,]+)").matcher(keras);
            assertTrue(total.find());
            CliTestSupport.Run r = CliTestSupport.run("summary", fixtures.resolve(name + ".keras").toString());
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("Total params: " + total.group(1)), r.out());
            for (String layer : List.of("dense", "lstm")) {
                assertEquals(keras.contains(" " + layer + " ("), r.out().contains(" " + layer + " ("), layer + " in " + name);
            }
        }
    }

    @Test
    void missingModelOrBadExtensionIsAUsageError(@TempDir Path dir) {
        CliTestSupport.Run r = CliTestSupport.run("predict", "--model", dir.resolve("none.keras").toString(), "--input", "x.npy",
                "--output", "y.npy");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Model file not found"), r.err());
        r = CliTestSupport.run("predict", "--model", "m.keras", "--input", "x.txt", "--output", "y.npy");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--input x.txt: use a .npy or .csv file"), r.err());
    }
}
