package org.rnn4j.callbacks;

import java.io.PrintStream;
import java.util.Map;
import java.util.function.LongSupplier;

/** Keras's ProgbarLogger: prints {@code Epoch 3/20} (when there is more than one epoch) and the progress bar. */
public final class ProgbarLogger extends Callback {
    private final PrintStream out;
    private final boolean dynamic;
    private final LongSupplier clock;
    private final java.util.function.Supplier<String> suffix;
    private ProgressBar bar;

    public ProgbarLogger(PrintStream out, boolean dynamic, LongSupplier nanoClock) {
        this(out, dynamic, nanoClock, null);
    }

    /** With a text appended to each progress line (see {@link ProgressBar#suffix}). */
    public ProgbarLogger(PrintStream out, boolean dynamic, LongSupplier nanoClock,
                         java.util.function.Supplier<String> suffix) {
        this.out = out;
        this.dynamic = dynamic;
        this.clock = nanoClock;
        this.suffix = suffix;
    }

    private int verbose() {
        return (Integer) params().get("verbose");
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        int epochs = (Integer) params().get("epochs");
        bar = new ProgressBar((Integer) params().get("steps"), verbose(), out, dynamic, clock).suffix(suffix);
        if (verbose() != 0 && epochs > 1) {
            out.println("Epoch " + (epoch + 1) + "/" + epochs);
            out.flush();
        }
    }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        if (verbose() == 1) {
            bar.update(batch + 1, logs, false);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        bar.update((Integer) params().get("steps"), logs, true);
    }
}
