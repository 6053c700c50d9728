package org.rnn4j.callbacks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keras's History: what {@code fit} returns; {@link #history()} maps each log key to its per-epoch values. */
public final class History extends Callback {
    private final List<Integer> epochs = new ArrayList<>();
    private final Map<String, List<Double>> history = new LinkedHashMap<>();

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        epochs.add(epoch);
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            history.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
    }

    /** Keras's {@code history.history}: {@code loss}, metrics, {@code val_loss}, ... per epoch. */
    public Map<String, List<Double>> history() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        history.forEach((k, v) -> copy.put(k, Collections.unmodifiableList(v)));
        return Collections.unmodifiableMap(copy);
    }

    /** The values of one key, e.g. {@code get("val_loss")}. */
    public List<Double> get(String key) {
        List<Double> v = history.get(key);
        if (v == null) {
            throw new IllegalArgumentException("No '" + key + "' in the history; keys: " + history.keySet());
        }
        return Collections.unmodifiableList(v);
    }

    /** The last value of one key. */
    public double last(String key) {
        List<Double> v = get(key);
        return v.get(v.size() - 1);
    }

    /** Keras's {@code history.epoch}: the 0-based indices of the epochs run. */
    public List<Integer> epoch() {
        return Collections.unmodifiableList(epochs);
    }

    @Override
    public String toString() {
        return "History" + history;
    }
}
