package org.rnn4j.cli.commands;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnn4j.cli.io.Bundled;
import org.rnn4j.data.Datasets;
import org.rnn4j.layers.Bidirectional;
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

/** Embedding + LSTM spam classifier on the bundled SMS Spam Collection. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = {"Trains an SMS spam classifier (Embedding + LSTM) and reports accuracy and F1.",
            "Uses the bundled SMS Spam Collection; scores a held-out 20%% split beside the",
            "majority-class baseline. --bidirectional uses Bidirectional(LSTM)."})
public final class ClassifyCommand implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "3", description = "Epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--bidirectional", description = "Use Bidirectional(LSTM) instead of LSTM")
    boolean bidirectional;

    @Option(names = "--max-tokens", defaultValue = "5000", description = "Vocabulary size (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--length", defaultValue = "40", description = "Tokens per message, padded or cut (default: ${DEFAULT-VALUE})")
    int length;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE})")
    long seed;

    /** Binary classification scores with spam as the positive class. */
    record Scores(double accuracy, double precision, double recall, double f1, double macroF1) {
        static Scores of(int[] predicted, int[] actual) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            int tn = 0;
            for (int i = 0; i < actual.length; i++) {
                if (predicted[i] == 1) {
                    if (actual[i] == 1) {
                        tp++;
                    } else {
                        fp++;
                    }
                } else if (actual[i] == 1) {
                    fn++;
                } else {
                    tn++;
                }
            }
            double f1Spam = f1(tp, fp, fn);
            double f1Ham = f1(tn, fn, fp);
            return new Scores((tp + tn) / (double) actual.length, tp + fp == 0 ? 0 : tp / (double) (tp + fp),
                    tp + fn == 0 ? 0 : tp / (double) (tp + fn), f1Spam, (f1Spam + f1Ham) / 2);
        }

        private static double f1(int tp, int fp, int fn) {
            return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        org.rnn4j.cli.Flags.atLeast("--epochs", epochs, 1);
        org.rnn4j.cli.Flags.atLeast("--max-tokens", maxTokens, 3);
        org.rnn4j.cli.Flags.atLeast("--length", length, 1);
        List<String> texts = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (String line : Bundled.text(Bundled.SMS_SPAM).split("\n")) {
            int tab = line.indexOf('\t');
            if (tab < 0) {
                continue;
            }
            labels.add(line.substring(0, tab).equals("spam") ? 1 : 0);
            texts.add(line.substring(tab + 1));
        }
        int n = texts.size();
        int[] order = new Rng(seed).permutation(n);
        int nTrain = (int) Math.round(n * 0.8);
        List<String> trainTexts = new ArrayList<>();
        List<String> testTexts = new ArrayList<>();
        int[] yTrain = new int[nTrain];
        int[] yTest = new int[n - nTrain];
        for (int i = 0; i < n; i++) {
            int k = order[i];
            if (i < nTrain) {
                trainTexts.add(texts.get(k));
                yTrain[i] = labels.get(k);
            } else {
                testTexts.add(texts.get(k));
                yTest[i - nTrain] = labels.get(k);
            }
        }
        int spamTrain = 0;
        for (int v : yTrain) {
            spamTrain += v;
        }
        out.printf("classify: SMS Spam Collection (bundled), %,d messages; train %,d (%d spam), test %,d (held out)%n",
                n, nTrain, spamTrain, n - nTrain);
        TextVectorization tv = new TextVectorization().maxTokens(maxTokens).outputSequenceLength(length);
        tv.adapt(trainTexts);
        Tensor xTrain = Datasets.toTensor(tv.apply(trainTexts));
        Tensor xTest = Datasets.toTensor(tv.apply(testTexts));
        out.printf("TextVectorization: %d tokens (padding 0, [UNK] 1), %d per message%n", tv.vocabularySize(), length);

        Sequential m = new Sequential("spam_classifier").seed(seed);
        m.add(new Embedding(tv.vocabularySize(), 32).maskZero(true).inputShape(length));
        m.add(bidirectional ? new Bidirectional(new LSTM(32)) : new LSTM(32));
        m.add(new Dense(1).activation("sigmoid"));
        m.compile(new Adam(0.003), "binary_crossentropy", "accuracy");
        m.summary(out);
        m.fit(xTrain, column(yTrain), FitOptions.epochs(epochs).batchSize(32).shuffle(true).output(out));

        float[] p = m.predict(xTest, 256).data();
        int[] predicted = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            predicted[i] = p[i] >= 0.5f ? 1 : 0;
        }
        int majority = spamTrain * 2 > nTrain ? 1 : 0;
        int[] baseline = new int[yTest.length];
        java.util.Arrays.fill(baseline, majority);
        Scores model = Scores.of(predicted, yTest);
        Scores base = Scores.of(baseline, yTest);
        out.println();
        out.printf("Held-out test set (%d messages):          accuracy  F1(spam)  macro-F1  precision  recall%n", yTest.length);
        out.printf("  %-38s %.4f    %.4f    %.4f    %.4f     %.4f%n", bidirectional ? "Embedding + Bidirectional(LSTM)" : "Embedding + LSTM",
                model.accuracy(), model.f1(), model.macroF1(), model.precision(), model.recall());
        out.printf("  %-38s %.4f    %.4f    %.4f    %.4f     %.4f%n", "majority class ('" + (majority == 1 ? "spam" : "ham") + "') baseline",
                base.accuracy(), base.f1(), base.macroF1(), base.precision(), base.recall());
        return 0;
    }

    private static Tensor column(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return Tensor.of(f, v.length, 1);
    }
}
