package org.rnn4j.models;

/** Thrown by {@code fit} when a batch loss is NaN or infinite; the weights keep their values from before that batch. */
public final class NonFiniteLossException extends ArithmeticException {
    private final int epoch;
    private final int batch;
    private final double loss;

    public NonFiniteLossException(int epoch, int batch, int steps, double loss) {
        super("Loss is " + loss + " at epoch " + (epoch + 1) + ", batch " + (batch + 1) + " of " + steps
                + "; training stopped before applying that update. Try a lower learning rate, clipnorm,"
                + " or check the data for NaN/inf values (add TerminateOnNaN to stop without an exception)");
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
    }

    /** 0-based epoch. */
    public int epoch() {
        return epoch;
    }

    /** 0-based batch within the epoch. */
    public int batch() {
        return batch;
    }

    public double loss() {
        return loss;
    }
}
