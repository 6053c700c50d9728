package org.rnn4j.cli.commands;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnn4j.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a saved model on inputs from a .npy or .csv file and writes the outputs. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Runs a saved model on inputs from a .npy or .csv file.",
            "--model is a .keras or .h5 file; --input is .npy (float32/int32) or .csv (one sample per row,",
            "flattened); --output is written as float32 .npy or .csv, by its extension."})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model file (.keras or .h5)")
    Path model;

    @Option(names = "--input", required = true, description = "Input: X.npy or X.csv")
    Path input;

    @Option(names = "--output", required = true, description = "Output: Y.npy or Y.csv")
    Path output;

    @Override
    public Integer call() {
        throw new CliException("predict is not available in this build yet");
    }
}
