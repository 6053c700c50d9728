package org.rnn4j.cli.commands;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnn4j.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A character-level LSTM language model on (a slice of) tinyshakespeare, then a sample. */
@Command(name = "textgen", mixinStandardHelpOptions = true,
        description = {"Trains a character LSTM on text and prints a sample.",
            "Uses a slice of the bundled tinyshakespeare (or --text FILE), prints the loss as it learns",
            "and a sample continuing --prompt."})
public final class TextgenCommand implements Callable<Integer> {
    @Option(names = "--text", description = "Plain-text corpus (default: bundled tinyshakespeare)")
    Path text;

    @Option(names = "--prompt", defaultValue = "ROMEO:", description = "Text to continue (default: ${DEFAULT-VALUE})")
    String prompt;

    @Option(names = "--length", defaultValue = "300", description = "Characters to generate (default: ${DEFAULT-VALUE})")
    int length;

    @Option(names = "--temperature", defaultValue = "0.7", description = "Sampling temperature > 0 (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--chars", defaultValue = "60000", description = "Characters of the corpus to train on (default: ${DEFAULT-VALUE})")
    int chars;

    @Option(names = "--epochs", defaultValue = "3", description = "Epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        throw new CliException("textgen is not available in this build yet");
    }
}
