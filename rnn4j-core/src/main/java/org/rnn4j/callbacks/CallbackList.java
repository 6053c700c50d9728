package org.rnn4j.callbacks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.models.Model;

/**
 * The callbacks of one {@code fit} in Keras's order: the user's, then the History (unless one was
 * given), then the progress-bar logger, so the bar shows entries that user callbacks added.
 */
public final class CallbackList extends Callback {
    private final List<Callback> callbacks = new ArrayList<>();
    private final History history;

    public CallbackList(List<Callback> user, Callback progress, Model model, Map<String, Object> params) {
        History h = null;
        for (Callback c : user) {
            if (c instanceof History) {
                h = (History) c;
            }
        }
        callbacks.addAll(user);
        if (h == null) {
            h = new History();
            callbacks.add(h);
        }
        this.history = h;
        if (progress != null) {
            callbacks.add(progress);
        }
        for (Callback c : callbacks) {
            c.setModel(model);
            c.setParams(params);
        }
    }

    public History history() {
        return history;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        for (Callback c : callbacks) {
            c.onTrainBegin(logs);
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        for (Callback c : callbacks) {
            c.onTrainEnd(logs);
        }
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        for (Callback c : callbacks) {
            c.onEpochBegin(epoch, logs);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        for (Callback c : callbacks) {
            c.onEpochEnd(epoch, logs);
        }
    }

    @Override
    public void onBatchBegin(int batch, Map<String, Double> logs) {
        for (Callback c : callbacks) {
            c.onBatchBegin(batch, logs);
        }
    }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        for (Callback c : callbacks) {
            c.onBatchEnd(batch, logs);
        }
    }
}
