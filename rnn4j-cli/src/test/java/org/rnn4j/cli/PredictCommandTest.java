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
        List<String> names;
        try (var files = Files.list(fixtures)) {
            names = files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".keras"))
                    .map(f -> f.substring(0, f.length() - ".keras".length())).sorted().toList();
        }
        assertTrue(names.size() >= 10, "fixtures: " + names);
        for (String name : names) {
            for (String ext : List.of(".keras", ".h5")) {
                Path model = fixtures.resolve(name + ext);
                Path x = fixtures.resolve(name + ".x.npy");
                Path y = dir.resolve(name + ext + ".y.npy");
                CliTestSupport.Run r = CliTestSupport.run("predict", "--model", model.toString(), "--input", x.toString(),
                        "--output", y.toString());
                assertEquals(0, r.exitCode(), r.err());
                Tensor got = Npy.read(y);
                org.rnn4j.models.Model m = Models.load(model);
                assertEquals(0f, got.maxAbsDiff(m.predict(Npy.read(x))), name + ext + " vs the model's predict");
                assertTrue(got.maxAbsDiff(Npy.read(fixtures.resolve(name + ".y.npy"))) < 1e-5, name + ext + " vs Keras");

                if (!name.endsWith("_mlp")) {
                    continue;
                }
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
                assertTrue(!Files.readString(ycsv).contains("\r"), "LF line endings, not CRLF");
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
    void savedForecasterTakesRawRowsThroughPredict(@TempDir Path dir) throws Exception {
        // A weekly-periodic series around 100; the forecaster saved by 'forecast' must take raw rows
        // (Normalization inside) and answer in raw units.
        StringBuilder sb = new StringBuilder("t,sales\n");
        for (int i = 0; i < 120; i++) {
            sb.append(i).append(',').append(100 + 20 * Math.sin(2 * Math.PI * i / 7.0)).append('\n');
        }
        Path csv = dir.resolve("s.csv");
        Files.writeString(csv, sb.toString());
        Path model = dir.resolve("f.keras");
        CliTestSupport.Run fit = CliTestSupport.run("forecast", "--csv", csv.toString(), "--target", "sales", "--window", "7",
                "--season", "7", "--model", "lstm:8", "--epochs", "30", "--out", model.toString());
        assertEquals(0, fit.exitCode(), fit.err());
        assertTrue(fit.out().contains("(input: [batch, 7, 1] raw values of sales"), fit.out());

        // One 7 x 1 table with a header: the last week of the series.
        StringBuilder window = new StringBuilder("sales\n");
        float[] raw = new float[7];
        for (int i = 0; i < 7; i++) {
            raw[i] = (float) (100 + 20 * Math.sin(2 * Math.PI * (113 + i) / 7.0));
            window.append(raw[i]).append('\n');
        }
        Path in = dir.resolve("window.csv");
        Files.writeString(in, window.toString());
        Path out = dir.resolve("next.npy");
        CliTestSupport.Run r = CliTestSupport.run("predict", "--model", model.toString(), "--input", in.toString(),
                "--output", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        Tensor got = Npy.read(out);
        assertEquals(1, got.size());
        Tensor expected = Models.load(model).predict(Tensor.of(raw, 1, 7, 1));
        assertEquals(expected.data()[0], got.data()[0], 0f);
        // Raw units: within the series' range, not a normalized value near 0.
        assertTrue(got.data()[0] > 70 && got.data()[0] < 130, "prediction " + got.data()[0]);
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
    void summaryStyleKeras3PrintsKerasOwnTableAndABadStyleIsAUsageError() throws Exception {
        Path fixtures = Shared.find("fixtures/keras");
        String keras = Files.readString(fixtures.resolve("gru_last.summary.txt"));
        keras = keras.substring(0, keras.indexOf("count_params()"));
        CliTestSupport.Run r = CliTestSupport.run("summary", "--style", "keras3", fixtures.resolve("gru_last.h5").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(keras, r.out());
        r = CliTestSupport.run("summary", "--style", "fancy", fixtures.resolve("gru_last.h5").toString());
        assertEquals(2, r.exitCode());
        String said = r.err() + r.out();
        assertTrue(said.contains("Unknown --style 'fancy'; use classic or keras3"), "stderr: " + r.err() + " stdout: " + r.out());
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

    @Test
    void outputIntoAMissingFolderSaysTheFolderDoesNotExist(@TempDir Path dir) throws Exception {
        Path fixtures = Shared.find("fixtures/keras");
        Path model;
        try (var files = Files.list(fixtures)) {
            model = files.filter(p -> p.getFileName().toString().endsWith("_mlp.keras")).findFirst().orElseThrow();
        }
        String base = model.getFileName().toString().replace(".keras", "");
        Path x = fixtures.resolve(base + ".x.npy");
        Path missing = dir.resolve("nonexist");
        for (String out : List.of("o.npy", "o.csv")) {
            CliTestSupport.Run r = CliTestSupport.run("predict", "--model", model.toString(), "--input", x.toString(),
                    "--output", missing.resolve(out).toString());
            assertEquals(2, r.exitCode(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("folder " + missing.toAbsolutePath() + " does not exist"), r.err());
            assertTrue(!r.err().contains(".tmp"), r.err());
        }
        assertTrue(!Files.exists(missing));
    }

    /** Functional fixtures of several inputs or outputs: one --input / --output each, in model order. */
    @Test
    void severalInputsAndOutputsInModelOrder(@TempDir Path dir) throws Exception {
        Path fx = Shared.find("fixtures/keras-functional");
        // two outputs
        Path y0 = dir.resolve("y0.npy");
        Path y1 = dir.resolve("y1.npy");
        CliTestSupport.Run r = CliTestSupport.run("predict", "--model", fx.resolve("two_outputs.keras").toString(),
                "--input", fx.resolve("two_outputs.x0.npy").toString(), "--output", y0.toString(), "--output", y1.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Npy.read(y0).maxAbsDiff(Npy.read(fx.resolve("two_outputs.y0.npy"))) < 1e-5);
        assertTrue(Npy.read(y1).maxAbsDiff(Npy.read(fx.resolve("two_outputs.y1.npy"))) < 1e-5);
        // a wrong count of outputs names the model's outputs
        r = CliTestSupport.run("predict", "--model", fx.resolve("two_outputs.keras").toString(),
                "--input", fx.resolve("two_outputs.x0.npy").toString(), "--output", y0.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("has 2 output(s)") && r.err().contains("1 --output was given"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        // two inputs (needs Concatenate in this build)
        if (org.rnn4j.saving.LayerRegistry.has("Concatenate")) {
            Path y = dir.resolve("y.npy");
            r = CliTestSupport.run("predict", "--model", fx.resolve("two_input_concat.keras").toString(),
                    "--input", fx.resolve("two_input_concat.x0.npy").toString(),
                    "--input", fx.resolve("two_input_concat.x1.npy").toString(), "--output", y.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(Npy.read(y).maxAbsDiff(Npy.read(fx.resolve("two_input_concat.y0.npy"))) < 1e-5);
            // the inputs swapped: the error names the input, its expected and its actual shape
            r = CliTestSupport.run("predict", "--model", fx.resolve("two_input_concat.keras").toString(),
                    "--input", fx.resolve("two_input_concat.x1.npy").toString(),
                    "--input", fx.resolve("two_input_concat.x0.npy").toString(), "--output", y.toString());
            assertEquals(2, r.exitCode());
            assertTrue(r.err().contains("Input 'series'") && r.err().contains("(None, 10, 4)")
                    && r.err().contains("(3, 5)"), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            r = CliTestSupport.run("predict", "--model", fx.resolve("two_input_concat.keras").toString(),
                    "--input", fx.resolve("two_input_concat.x0.npy").toString(), "--output", y.toString());
            assertEquals(2, r.exitCode());
            assertTrue(r.err().contains("has 2 input(s) [series, context]") && r.err().contains("1 --input was given"), r.err());
        }
        // a single-input model with an input of the wrong shape
        r = CliTestSupport.run("predict", "--model", fx.resolve("two_outputs.keras").toString(),
                "--input", fx.resolve("two_input_concat.x1.npy").toString(), "--output", y0.toString(), "--output", y1.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("expects shape (None, 9, 3)") && r.err().contains("(3, 5)"), r.err());
    }

    /** --input NAME=FILE in any order, --output NAME=FILE for some outputs; bad names are one-line errors. */
    @Test
    void namedInputsAndOutputs(@TempDir Path dir) throws Exception {
        Path fx = Shared.find("fixtures/keras-functional");
        String model = fx.resolve("two_input_concat.keras").toString();
        String x0 = fx.resolve("two_input_concat.x0.npy").toString();
        String x1 = fx.resolve("two_input_concat.x1.npy").toString();
        Path y = dir.resolve("y.npy");
        // Named, in the reverse of the model's order: still Keras's numbers.
        CliTestSupport.Run r = CliTestSupport.run("predict", "--model", model, "--input", "context=" + x1,
                "--input", "series=" + x0, "--output", y.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Npy.read(y).maxAbsDiff(Npy.read(fx.resolve("two_input_concat.y0.npy"))) < 1e-5);

        r = CliTestSupport.run("predict", "--model", model, "--input", "seriez=" + x0, "--input", "context=" + x1,
                "--output", y.toString());
        assertEquals(2, r.exitCode());
        assertEquals("rnn4j: error: Unknown input 'seriez' for model 'functional'; inputs: series, context."
                + " Did you mean 'series'?", r.err().strip());

        r = CliTestSupport.run("predict", "--model", model, "--input", "series=" + x0, "--output", y.toString());
        assertEquals(2, r.exitCode());
        assertEquals("rnn4j: error: Missing input 'context' for model 'functional'; inputs: series, context;"
                + " give --input context=FILE", r.err().strip());

        r = CliTestSupport.run("predict", "--model", model, "--input", "series=" + x0, "--input", "series=" + x0,
                "--input", "context=" + x1, "--output", y.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Input 'series' of model 'functional' is given twice"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        r = CliTestSupport.run("predict", "--model", model, "--input", "series=" + x0, "--input", x1, "--output", y.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--input: give every --input as NAME=FILE or every one as FILE"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        // Named outputs: only the one asked for is written.
        String two = fx.resolve("two_outputs.keras").toString();
        List<String> outs = Models.load(fx.resolve("two_outputs.keras")).outputNames();
        assertEquals(2, outs.size(), outs.toString());
        Path only = dir.resolve("second.npy");
        r = CliTestSupport.run("predict", "--model", two, "--input", "x=" + fx.resolve("two_outputs.x0.npy"),
                "--output", outs.get(1) + "=" + only);
        // The model's single input is not called 'x': the error lists its real name.
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unknown input 'x' for model 'functional'; inputs: " + Models.load(fx.resolve("two_outputs.keras"))
                .inputNames().get(0)), r.err());
        r = CliTestSupport.run("predict", "--model", two, "--input", fx.resolve("two_outputs.x0.npy").toString(),
                "--output", outs.get(1) + "=" + only);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Npy.read(only).maxAbsDiff(Npy.read(fx.resolve("two_outputs.y1.npy"))) < 1e-5);
        assertTrue(r.out().contains("(output '" + outs.get(1) + "')") && !r.out().contains(outs.get(0)), r.out());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        r = CliTestSupport.run("predict", "--model", two, "--input", fx.resolve("two_outputs.x0.npy").toString(),
                "--output", "clz=" + only);
        assertEquals(2, r.exitCode());
        assertEquals("rnn4j: error: Unknown output 'clz' for model 'functional'; outputs: " + String.join(", ", outs)
                + ". Did you mean '" + org.rnn4j.util.Names.closest("clz", outs) + "'?", r.err().strip());
    }
}
