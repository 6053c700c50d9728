package org.rnn4j.cli.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnn4j.callbacks.History;
import org.rnn4j.cli.CliException;
import org.rnn4j.cli.io.Bundled;
import org.rnn4j.data.Datasets;
import org.rnn4j.data.TimeseriesDataset;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.TextVectorization;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A character-level LSTM language model on (a slice of) tinyshakespeare, then a sample. */
@Command(name = "textgen", mixinStandardHelpOptions = true,
        description = {"Trains a character LSTM on text and prints a sample.",
            "Uses a slice of the bundled tinyshakespeare (or --text FILE), prints the loss as it learns",
            "and, after each epoch, a short sample; at the end a sample of --length characters continuing --prompt."})
public final class TextgenCommand implements Callable<Integer> {
    static final int SEQUENCE = 40;

    @Option(names = "--text", description = "Plain-text corpus, UTF-8 (default: bundled tinyshakespeare)")
    Path text;

    @Option(names = "--prompt", defaultValue = "ROMEO:", description = "Text to continue (default: ${DEFAULT-VALUE})")
    String prompt;

    @Option(names = "--length", defaultValue = "300", description = "Characters to generate (default: ${DEFAULT-VALUE})")
    int length;

    @Option(names = "--temperature", defaultValue = "0.6", description = "Sampling temperature > 0 (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--chars", defaultValue = "80000", description = "Characters of the corpus to train on (default: ${DEFAULT-VALUE})")
    int chars;

    @Option(names = "--epochs", defaultValue = "4", description = "Epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--units", defaultValue = "128", description = "LSTM units (default: ${DEFAULT-VALUE})")
    int units;

    @Option(names = "--stride", defaultValue = "3", description = "Characters between training windows (default: ${DEFAULT-VALUE})")
    int stride;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--save", description = "Save the trained model to FILE.keras and its characters to FILE.keras.vocab")
    Path save;

    @Option(names = "--load", description = "Skip training: sample from a model saved with --save")
    Path load;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        org.rnn4j.cli.Flags.positive("--temperature", temperature);
        org.rnn4j.cli.Flags.atLeast("--length", length, 1);
        org.rnn4j.cli.Flags.atLeast("--chars", chars, SEQUENCE + 2);
        org.rnn4j.cli.Flags.atLeast("--epochs", epochs, 1);
        org.rnn4j.cli.Flags.atLeast("--units", units, 1);
        org.rnn4j.cli.Flags.atLeast("--stride", stride, 1);
        if (load != null) {
            Sequential m = ModelFiles.load(load);
            TextVectorization tv = CharVocabulary.read(vocabPath(load));
            out.printf("textgen: model %s, %d characters%n", load, tv.vocabularySize() - 2);
            out.println("Sample (temperature " + temperature + "):");
            out.println(prompt + generate(m, tv, prompt, length, temperature, new Rng(seed + 1)));
            return 0;
        }
        String corpus = corpus();
        if (corpus.length() > chars) {
            corpus = corpus.substring(0, chars);
        }
        TextVectorization tv = new TextVectorization().split("character").standardize(null);
        tv.adapt(List.of(corpus));
        int vocab = tv.vocabularySize();
        int[] ids = tv.encode(corpus);
        float[] f = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            f[i] = ids[i];
        }
        Tensor all = Tensor.of(f, f.length);
        TimeseriesDataset ds = Datasets.timeseriesDatasetFromArray(all.slice(0, f.length - SEQUENCE),
                all.slice(SEQUENCE, f.length), SEQUENCE, stride, 1, 0, false, null, null, null);
        TimeseriesDataset.Batch data = ds.all();
        out.printf("textgen: %,d characters of %s, %d distinct; %,d windows of %d characters (every %d)%n",
                corpus.length(), text == null ? "tinyshakespeare (bundled)" : text, vocab - 2, ds.size(), SEQUENCE, stride);

        Sequential m = new Sequential("char_lstm").seed(seed);
        m.add(new Embedding(vocab, 32).inputShape(SEQUENCE));
        m.add(new LSTM(units));
        m.add(new Dense(vocab).activation("softmax"));
        m.compile(new Adam(0.005), "sparse_categorical_crossentropy");
        m.summary(out);
        Rng rng = new Rng(seed + 1);
        for (int e = 0; e < epochs; e++) {
            // One fit() per epoch, to print a sample after each; the optimizer state carries over.
            out.println("Epoch " + (e + 1) + "/" + epochs);
            History h = m.fit(data.x(), data.y(), FitOptions.epochs(1).batchSize(64).shuffle(true).output(out));
            out.printf("  sample after epoch %d (loss %.3f): %s%n", e + 1, h.last("loss"),
                    generate(m, tv, prompt, 80, temperature, rng).replace("\n", " | "));
        }
        out.println();
        out.println("Sample (temperature " + temperature + "):");
        out.println(prompt + generate(m, tv, prompt, length, temperature, rng));
        if (save != null) {
            String saveName = save.getFileName().toString();
            Path base = saveName.endsWith(".keras") ? save.resolveSibling(saveName.substring(0, saveName.length() - 6)) : save;
            Path saved = ModelFiles.save(m, base, out);
            CharVocabulary.write(vocabPath(saved), tv);
            out.println("Saved " + saved + " and " + vocabPath(saved).getFileName() + " (use --load " + saved + ")");
        }
        return 0;
    }

    private static Path vocabPath(Path model) {
        return model.resolveSibling(model.getFileName() + ".vocab");
    }

    private String corpus() {
        if (text == null) {
            return Bundled.text(Bundled.SHAKESPEARE);
        }
        try {
            String s = Files.readString(text, StandardCharsets.UTF_8);
            if (s.isEmpty()) {
                throw new CliException(text + " is empty");
            }
            return s;
        } catch (NoSuchFileException e) {
            throw new CliException("Text file not found: " + text);
        } catch (IOException e) {
            throw new CliException("Cannot read " + text + ": " + e.getMessage());
        }
    }

    /** Samples {@code n} characters after {@code prompt}, feeding back each one. */
    static String generate(Sequential m, TextVectorization tv, String prompt, int n, double temperature, Rng rng) {
        int[] context = new int[SEQUENCE];
        int[] p = tv.encode(prompt);
        // Left-pad a short prompt with the padding id, as a fresh context.
        for (int i = 0; i < SEQUENCE; i++) {
            int src = p.length - SEQUENCE + i;
            context[i] = src >= 0 ? p[src] : 0;
        }
        StringBuilder sb = new StringBuilder();
        float[] x = new float[SEQUENCE];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < SEQUENCE; i++) {
                x[i] = context[i];
            }
            float[] probs = m.predict(Tensor.of(x.clone(), 1, SEQUENCE)).data();
            int next = sample(probs, temperature, rng);
            sb.append(tv.getVocabulary().get(next));
            System.arraycopy(context, 1, context, 0, SEQUENCE - 1);
            context[SEQUENCE - 1] = next;
        }
        return sb.toString();
    }

    /** Samples from {@code probs ** (1/T)}, never the padding or OOV ids. */
    static int sample(float[] probs, double temperature, Rng rng) {
        double[] w = new double[probs.length];
        double total = 0;
        for (int i = 2; i < probs.length; i++) {
            w[i] = Math.exp(Math.log(Math.max(probs[i], 1e-12)) / temperature);
            total += w[i];
        }
        double u = rng.nextDouble() * total;
        for (int i = 2; i < probs.length; i++) {
            u -= w[i];
            if (u <= 0) {
                return i;
            }
        }
        return probs.length - 1;
    }
}
