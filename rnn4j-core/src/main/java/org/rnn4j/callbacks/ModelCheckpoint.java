package org.rnn4j.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keras's ModelCheckpoint: saves the model at the end of every epoch (or only when
 * {@code monitor} improves, with {@code saveBestOnly}). The path may hold Keras placeholders such
 * as {@code model-{epoch:02d}-{val_loss:.2f}.keras}.
 *
 * <p>Writes are atomic: the writer fills a temporary file in the target directory, which is then
 * moved over the target with an atomic rename, so a crash mid-write leaves the previous checkpoint
 * intact and never a partial file.
 */
public final class ModelCheckpoint extends MonitorCallback {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)(?::([^}]*))?}");

    private final String filepath;
    private final ModelWriter writer;
    private boolean saveBestOnly;
    private int verbose;
    private Double best;

    /**
     * Uses a writer registered for the file's extension (rnn4j-keras for {@code .keras}/{@code .h5}),
     * or core's {@link NativeWeightsWriter} for other extensions.
     */
    public ModelCheckpoint(String filepath) {
        this(filepath, writerFor(filepath));
    }

    public ModelCheckpoint(String filepath, ModelWriter writer) {
        super("val_loss", 0);
        this.filepath = filepath;
        this.writer = writer;
    }

    private static ModelWriter writerFor(String filepath) {
        return ModelWriter.forPath(Path.of(filepath));
    }

    public ModelCheckpoint monitor(String value) {
        this.monitor = value;
        return this;
    }

    public ModelCheckpoint saveBestOnly(boolean value) {
        this.saveBestOnly = value;
        return this;
    }

    public ModelCheckpoint mode(String value) {
        setMode(value);
        return this;
    }

    public ModelCheckpoint verbose(int value) {
        this.verbose = value;
        return this;
    }

    public ModelCheckpoint initialValueThreshold(double value) {
        this.best = value;
        return this;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Path target = Path.of(format(filepath, epoch, logs));
        if (saveBestOnly) {
            Double current = logs.get(monitor);
            if (current == null) {
                System.err.println("Warning: can save best model only with " + monitor + " available.");
            } else {
                String bestStr = best == null ? "None" : String.format(Locale.ROOT, "%.5f", best);
                if (!isImprovement(current, best)) {
                    if (verbose > 0) {
                        System.out.println("\nEpoch " + (epoch + 1) + ": " + monitor + " did not improve from " + bestStr);
                    }
                    return;
                }
                if (verbose > 0) {
                    System.out.println(String.format(Locale.ROOT, "%nEpoch %d: %s improved from %s to %.5f, saving model to %s",
                            epoch + 1, monitor, bestStr, current, target));
                }
                best = current;
            }
        } else if (verbose > 0) {
            System.out.println("\nEpoch " + (epoch + 1) + ": saving model to " + target);
        }
        try {
            writeAtomically(target);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: could not save epoch " + (epoch + 1) + " to " + target, e);
        }
    }

    private void writeAtomically(Path target) throws IOException {
        ModelWriter.writeAtomically(writer, model(), target);
    }

    /** Fills Keras-style placeholders: {@code {epoch}} is 1-based; others come from the logs. */
    static String format(String template, int epoch, Map<String, Double> logs) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String spec = m.group(2);
            Object value;
            if (key.equals("epoch")) {
                value = epoch + 1;
            } else if (logs.containsKey(key)) {
                value = logs.get(key);
            } else {
                throw new IllegalArgumentException("ModelCheckpoint: path '" + template + "' uses {" + key
                        + "} but the logs hold only " + logs.keySet());
            }
            String text;
            if (spec == null || spec.isEmpty()) {
                text = String.valueOf(value);
            } else if (value instanceof Integer && !spec.endsWith("d")) {
                text = String.format(Locale.ROOT, "%" + spec, ((Integer) value).doubleValue());
            } else if (value instanceof Double && spec.endsWith("d")) {
                text = String.format(Locale.ROOT, "%" + spec, ((Double) value).longValue());
            } else {
                text = String.format(Locale.ROOT, "%" + spec, value);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(text));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
