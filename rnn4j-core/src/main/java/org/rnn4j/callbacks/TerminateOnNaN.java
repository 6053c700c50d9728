package org.rnn4j.callbacks;

import java.util.Map;

/**
 * Keras's TerminateOnNaN: when a batch loss is NaN or infinite, stops training quietly after
 * that batch (the update of that batch is skipped), or throws when {@code raiseError}. Without
 * this callback {@code fit} throws {@link org.rnn4j.models.NonFiniteLossException}.
 */
public final class TerminateOnNaN extends Callback {
    private final boolean raiseError;

    public TerminateOnNaN() {
        this(false);
    }

    public TerminateOnNaN(boolean raiseError) {
        this.raiseError = raiseError;
    }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        Double loss = logs.get("loss");
        if (loss != null && (loss.isNaN() || loss.isInfinite())) {
            if (raiseError) {
                throw new IllegalStateException("NaN or Inf loss encountered at batch " + batch + ". Loss value: "
                        + loss + ". Terminating training immediately.");
            }
            System.out.println("Batch " + batch + ": Invalid loss, terminating training");
            model().stopTraining(true);
        }
    }
}
