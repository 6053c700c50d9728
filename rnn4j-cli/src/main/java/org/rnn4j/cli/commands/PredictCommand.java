package org.rnn4j.cli.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.cli.CliException;
import org.rnn4j.cli.io.ArrayCsv;
import org.rnn4j.io.Npy;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a saved model on inputs from a .npy or .csv file and writes the outputs. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Runs a saved model on inputs from a .npy or .csv file.",
            "--model is a .keras or .h5 file; --input is .npy (float32/int32) or .csv (one sample per row,",
            "flattened, or for a [time, features] model one time x features table, header optional);",
            "--output is written as float32 .npy or as .csv (one sample per row), by its extension.",
            "Several inputs or outputs: repeat --input and --output, in the model's order, or name them:",
            "--input series=x0.npy --input context=x1.npy (any order; named outputs write only those named)."})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model file (.keras or .h5)")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "[NAME=]FILE", description = "Input: X.npy or X.csv; repeat"
            + " for each input of a several-input model, in the model's input order, or as NAME=X.npy in any order")
    List<String> inputFlags;

    @Option(names = "--output", required = true, paramLabel = "[NAME=]FILE", description = "Output: Y.npy or Y.csv; repeat"
            + " for each output of a several-output model, in the model's output order, or as NAME=Y.npy for the named ones")
    List<String> outputFlags;

    @Option(names = "--batch-size", defaultValue = "32", description = "Prediction batch size (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        NamedFiles inFlags = NamedFiles.parse("--input", "input", inputFlags);
        NamedFiles outFlags = NamedFiles.parse("--output", "output", outputFlags);
        for (Path p : inFlags.paths()) {
            extension(p, "--input");
        }
        for (Path p : outFlags.paths()) {
            extension(p, "--output");
        }
        Model m = ModelFiles.loadModel(model);
        List<String> inNames = m.inputNames();
        List<String> outNames = m.outputNames();
        List<int[]> sampleShapes = m.inputShapesOfModel();
        List<Path> inputs = inFlags.inModelOrder(m.name(), inNames, false);
        // Named outputs may be a subset: only those are written.
        List<Path> outputs = outFlags.inModelOrder(m.name(), outNames, true);
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Path input = inputs.get(i);
            int[] sampleShape = sampleShapes.get(i);
            Tensor x;
            if (extension(input, "--input").equals("npy")) {
                if (!Files.isRegularFile(input)) {
                    throw new CliException("Input file not found: " + input);
                }
                try {
                    x = Npy.read(input);
                } catch (IOException | RuntimeException e) {
                    throw new CliException("Cannot read " + input + ": " + e.getMessage());
                }
            } else {
                x = ArrayCsv.read(input, sampleShape);
            }
            if (!fits(sampleShape, x.shape())) {
                throw new CliException("Input '" + inNames.get(i) + "' (" + input + ") of model '" + m.name() + "' expects shape "
                        + Shapes.withBatch(sampleShape) + " but " + input.getFileName() + " has shape " + Shapes.toString(x.shape()));
            }
            if (!xs.isEmpty() && x.dim(0) != xs.get(0).dim(0)) {
                throw new CliException("Input '" + inNames.get(i) + "' (" + input + ") has " + x.dim(0) + " samples but input '"
                        + inNames.get(0) + "' has " + xs.get(0).dim(0) + "; every input needs the same number of samples");
            }
            xs.add(x);
        }
        List<Tensor> ys;
        try {
            ys = m.predict(xs, Math.max(1, batchSize));
        } catch (RuntimeException e) {
            throw new CliException("Input " + inputs + " does not fit model '" + m.name() + "': " + e.getMessage());
        }
        for (int j = 0; j < outputs.size(); j++) {
            Path output = outputs.get(j);
            if (output == null) {
                continue;
            }
            Tensor y = ys.get(j);
            if (extension(output, "--output").equals("npy")) {
                try {
                    Npy.write(output, y);
                } catch (IOException e) {
                    throw new CliException("Cannot write " + output + ": " + e.getMessage());
                }
            } else {
                ArrayCsv.write(output, y);
            }
            out.println("Wrote " + output + ": " + Shapes.toString(y.shape()) + " float32"
                    + (outNames.size() > 1 ? " (output '" + outNames.get(j) + "')" : "")
                    + " from input " + (xs.size() == 1 ? Shapes.toString(xs.get(0).shape()) : shapes(xs)));
        }
        return 0;
    }

    private static String shapes(List<Tensor> xs) {
        List<String> s = new ArrayList<>();
        for (Tensor x : xs) {
            s.add(Shapes.toString(x.shape()));
        }
        return String.join(", ", s);
    }

    /** Whether a batch of shape {@code actual} fits a per-sample shape (-1 = any size). */
    private static boolean fits(int[] sample, int[] actual) {
        if (actual.length != sample.length + 1) {
            return false;
        }
        for (int i = 0; i < sample.length; i++) {
            if (sample[i] != -1 && sample[i] != actual[i + 1]) {
                return false;
            }
        }
        return true;
    }

    private static String extension(Path p, String flag) {
        String f = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (f.endsWith(".npy")) {
            return "npy";
        }
        if (f.endsWith(".csv")) {
            return "csv";
        }
        throw new CliException(flag + " " + p + ": use a .npy or .csv file");
    }
}
