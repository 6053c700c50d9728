package org.rnn4j.callbacks;

import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's EarlyStopping: stops training when {@code monitor} (default {@code val_loss}) has not
 * improved by more than {@code minDelta} for {@code patience} epochs; with
 * {@code restoreBestWeights} the weights of the best epoch are put back at the end.
 */
public final class EarlyStopping extends MonitorCallback {
    private int patience;
    private int verbose;
    private Double baseline;
    private boolean restoreBestWeights;
    private int startFromEpoch;

    private int wait;
    private int stoppedEpoch;
    private Double best;
    private int bestEpoch;
    private List<Tensor> bestWeights;

    public EarlyStopping() {
        super("val_loss", 0);
    }

    public EarlyStopping monitor(String value) {
        this.monitor = value;
        return this;
    }

    public EarlyStopping minDelta(double value) {
        this.minDelta = Math.abs(value);
        return this;
    }

    public EarlyStopping patience(int value) {
        this.patience = value;
        return this;
    }

    public EarlyStopping verbose(int value) {
        this.verbose = value;
        return this;
    }

    public EarlyStopping mode(String value) {
        setMode(value);
        return this;
    }

    public EarlyStopping baseline(double value) {
        this.baseline = value;
        return this;
    }

    public EarlyStopping restoreBestWeights(boolean value) {
        this.restoreBestWeights = value;
        return this;
    }

    public EarlyStopping startFromEpoch(int value) {
        this.startFromEpoch = value;
        return this;
    }

    /** The 0-based epoch at which training was stopped, or 0 if it was not. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The 0-based epoch with the best monitored value. */
    public int bestEpoch() {
        return bestEpoch;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        wait = 0;
        stoppedEpoch = 0;
        best = null;
        bestWeights = null;
        bestEpoch = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Double current = logs.get(monitor);
        if (current == null) {
            System.err.println("Warning: EarlyStopping conditioned on metric '" + monitor
                    + "' which is not available. Available metrics are: " + String.join(",", logs.keySet()));
            return;
        }
        if (epoch < startFromEpoch) {
            return;
        }
        if (restoreBestWeights && bestWeights == null) {
            bestWeights = model().getWeights();
            bestEpoch = epoch;
        }
        wait++;
        if (isImprovement(current, best)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) {
                bestWeights = model().getWeights();
            }
            // restart the wait only when both the baseline and the previous best are beaten
            if (baseline == null || isImprovement(current, baseline)) {
                wait = 0;
            }
            return;
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            model().stopTraining(true);
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (stoppedEpoch > 0 && verbose > 0) {
            System.out.println("Epoch " + (stoppedEpoch + 1) + ": early stopping");
        }
        if (restoreBestWeights && bestWeights != null) {
            if (verbose > 0) {
                System.out.println("Restoring model weights from the end of the best epoch: " + (bestEpoch + 1) + ".");
            }
            model().setWeights(bestWeights);
        }
    }
}
