package org.rnn4j.callbacks;

import java.util.Map;
import org.rnn4j.optimizers.Optimizer;

/**
 * Keras's ReduceLROnPlateau: multiplies the learning rate by {@code factor} (default 0.1) when
 * {@code monitor} has not improved by {@code minDelta} (default 1e-4) for {@code patience}
 * (default 10) epochs, then waits {@code cooldown} epochs; never below {@code minLr}. Adds
 * {@code learning_rate} to the epoch logs, as Keras does.
 */
public final class ReduceLROnPlateau extends MonitorCallback {
    private double factor = 0.1;
    private int patience = 10;
    private int verbose;
    private int cooldown;
    private double minLr;
    private int cooldownCounter;
    private int wait;
    private Double best;

    public ReduceLROnPlateau() {
        super("val_loss", 1e-4);
    }

    public ReduceLROnPlateau monitor(String value) {
        this.monitor = value;
        return this;
    }

    public ReduceLROnPlateau factor(double value) {
        if (value >= 1.0) {
            throw new IllegalArgumentException("ReduceLROnPlateau does not support a factor >= 1.0, got " + value);
        }
        this.factor = value;
        return this;
    }

    public ReduceLROnPlateau patience(int value) {
        this.patience = value;
        return this;
    }

    public ReduceLROnPlateau verbose(int value) {
        this.verbose = value;
        return this;
    }

    public ReduceLROnPlateau mode(String value) {
        setMode(value);
        return this;
    }

    public ReduceLROnPlateau minDelta(double value) {
        this.minDelta = Math.abs(value);
        return this;
    }

    public ReduceLROnPlateau cooldown(int value) {
        this.cooldown = value;
        return this;
    }

    public ReduceLROnPlateau minLr(double value) {
        this.minLr = value;
        return this;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        best = null;
        cooldownCounter = 0;
        wait = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Optimizer opt = model().optimizer();
        logs.put("learning_rate", opt.learningRate());
        Double current = logs.get(monitor);
        if (current == null) {
            System.err.println("Warning: learning rate reduction is conditioned on metric '" + monitor
                    + "' which is not available. Available metrics are: " + String.join(",", logs.keySet()) + ".");
            return;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (isImprovement(current, best)) {
            best = current;
            wait = 0;
        } else if (cooldownCounter <= 0) {
            wait++;
            if (wait >= patience) {
                double old = opt.learningRate();
                if (old > (float) minLr) {
                    double lr = Math.max(old * factor, minLr);
                    opt.learningRate(lr);
                    if (verbose > 0) {
                        System.out.println("\nEpoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning rate to " + lr + ".");
                    }
                    cooldownCounter = cooldown;
                    wait = 0;
                }
            }
        }
    }
}
