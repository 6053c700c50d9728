package org.rnn4j.cli.commands;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnn4j.cli.CliException;
import org.rnn4j.models.SummaryStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints the summary of a saved model (.keras or .h5). */
@Command(name = "summary", mixinStandardHelpOptions = true, description = "Prints the Keras-style summary of a .keras or .h5 model file.")
public final class SummaryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "Model file (.keras or .h5)")
    Path file;

    @Option(names = "--style", paramLabel = "STYLE", defaultValue = "classic",
            description = "classic (tf.keras 2 table, as in the Keras tutorial) or keras3 (Keras 3's box table)")
    String style;

    @Override
    public Integer call() {
        SummaryStyle s = switch (style.toLowerCase(java.util.Locale.ROOT)) {
            case "classic" -> SummaryStyle.CLASSIC;
            case "keras3" -> SummaryStyle.KERAS3;
            default -> throw new CliException("Unknown --style '" + style + "'; use classic or keras3");
        };
        System.out.print(ModelFiles.loadModel(file).summaryString(s));
        return 0;
    }
}
