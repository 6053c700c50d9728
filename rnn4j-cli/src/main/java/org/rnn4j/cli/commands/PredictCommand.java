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
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a saved model on inputs from a .npy or .csv file and writes the outputs. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Runs a saved model on inputs from a .npy or .csv file.",
            "--model is a .keras or .h5 file; --input is .npy (float32/int32) or .csv (one sample per row,",
            "flattened, or for a [time, features] model one time x features table, header optional);",
            "--output is written as float32 .npy or as .csv (one sample per row), by its extension."})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model file (.keras or .h5)")
    Path model;

    @Option(names = "--input", required = true, description = "Input: X.npy or X.csv")
    Path input;

    @Option(names = "--output", required = true, description = "Output: Y.npy or Y.csv")
    Path output;

    @Option(names = "--batch-size", defaultValue = "32", description = "Prediction batch size (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        String inExt = extension(input, "--input");
        String outExt = extension(output, "--output");
        Sequential m = ModelFiles.load(model);
        int[] sampleShape = m.inputShape();
        Tensor x;
        if (inExt.equals("npy")) {
            if (!Files.isRegularFile(input)) {
                throw new CliException("Input file not found: " + input);
            }
            try {
                x = Npy.read(input);
            } catch (IOException | RuntimeException e) {
                throw new CliException("Cannot read " + input + ": " + e.getMessage());
            }
        } else {
            if (sampleShape == null) {
                throw new CliException("Model " + model + " has no input shape, so a CSV input cannot be shaped; use .npy");
            }
            x = ArrayCsv.read(input, sampleShape);
        }
        Tensor y;
        try {
            y = m.predict(x, Math.max(1, batchSize));
        } catch (RuntimeException e) {
            throw new CliException("Input " + input + " of shape " + Shapes.toString(x.shape()) + " does not fit model '"
                    + m.name() + "': " + e.getMessage());
        }
        if (outExt.equals("npy")) {
            try {
                Npy.write(output, y);
            } catch (IOException e) {
                throw new CliException("Cannot write " + output + ": " + e.getMessage());
            }
        } else {
            ArrayCsv.write(output, y);
        }
        out.println("Wrote " + output + ": " + Shapes.toString(y.shape()) + " float32 from input " + Shapes.toString(x.shape()));
        return 0;
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
