package org.rnn4j.callbacks;

import org.rnn4j.metrics.Metric;

/**
 * Keras's MonitorCallback: watches one log key with {@code mode} min, max or auto (loss and
 * error metrics are minimised, accuracies maximised), counting an improvement only beyond
 * {@code minDelta}.
 */
abstract class MonitorCallback extends Callback {
    protected String monitor;
    protected String mode = "auto";
    protected double minDelta;
    private Boolean higherIsBetter;

    MonitorCallback(String monitor, double minDelta) {
        this.monitor = monitor;
        this.minDelta = Math.abs(minDelta);
    }

    void setMode(String value) {
        if (!value.equals("auto") && !value.equals("min") && !value.equals("max")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": mode must be 'auto', 'min' or 'max', got '"
                    + value + "'");
        }
        this.mode = value;
        this.higherIsBetter = null;
    }

    private boolean higherIsBetter() {
        if (higherIsBetter == null) {
            if (mode.equals("min")) {
                higherIsBetter = false;
            } else if (mode.equals("max")) {
                higherIsBetter = true;
            } else {
                String metric = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
                Boolean found = metric.equals("loss") ? Boolean.FALSE : null;
                if (model() != null) {
                    for (Metric m : model().metrics()) {
                        if (m.name().equals(metric)) {
                            found = m.higherIsBetter();
                        }
                    }
                }
                if (found == null) {
                    throw new IllegalArgumentException(getClass().getSimpleName() + " monitors '" + monitor
                            + "', but cannot tell whether it should be maximized or minimized; pass mode(\"max\") or mode(\"min\")");
                }
                higherIsBetter = found;
            }
        }
        return higherIsBetter;
    }

    /** Keras's {@code _is_improvement}: {@code current -/+ minDelta} beats {@code reference}. */
    boolean isImprovement(double current, Double reference) {
        if (reference == null) {
            return true;
        }
        return higherIsBetter() ? current - minDelta > reference : current + minDelta < reference;
    }
}
