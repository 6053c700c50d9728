package org.rnn4j.callbacks;

import java.util.Map;
import org.rnn4j.models.Model;

/**
 * Keras's Callback: hooks called by {@code fit}. {@code logs} maps metric names ({@code loss},
 * {@code mae}, {@code val_loss}, ...) to values; at epoch end it is mutable so a callback may add
 * entries (ReduceLROnPlateau adds {@code learning_rate}) that later callbacks and the history see.
 * Epoch and batch indices are 0-based, as in Keras.
 */
public abstract class Callback {
    private Model model;
    private Map<String, Object> params = Map.of();

    public void setModel(Model model) {
        this.model = model;
    }

    /** The model being trained. */
    public Model model() {
        return model;
    }

    /** {@code epochs}, {@code steps}, {@code verbose}, as Keras's {@code self.params}. */
    public void setParams(Map<String, Object> params) {
        this.params = params;
    }

    public Map<String, Object> params() {
        return params;
    }

    public void onTrainBegin(Map<String, Double> logs) {
    }

    public void onTrainEnd(Map<String, Double> logs) {
    }

    public void onEpochBegin(int epoch, Map<String, Double> logs) {
    }

    public void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    public void onBatchBegin(int batch, Map<String, Double> logs) {
    }

    public void onBatchEnd(int batch, Map<String, Double> logs) {
    }
}
