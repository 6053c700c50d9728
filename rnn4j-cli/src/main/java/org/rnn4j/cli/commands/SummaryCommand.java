package org.rnn4j.cli.commands;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Prints the summary of a saved model (.keras or .h5). */
@Command(name = "summary", mixinStandardHelpOptions = true, description = "Prints the Keras-style summary of a .keras or .h5 model file.")
public final class SummaryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "Model file (.keras or .h5)")
    Path file;

    @Override
    public Integer call() {
        ModelFiles.load(file).summary(System.out);
        return 0;
    }
}
