package org.rnn4j.serve;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The served names: lookup by name and version, reload (POST or file watch) and swap, with their metrics. */
final class ModelSlots {
    private final Map<String, ModelSlot> slots = new LinkedHashMap<>();
    private final ModelLoader loader;
    private final Metrics metrics;

    ModelSlots(ModelLoader loader, Metrics metrics) {
        this.loader = loader;
        this.metrics = metrics;
    }

    void add(ModelSlot slot) {
        slots.put(slot.name, slot);
        metrics.gauge("rnn4j_serve_queue_depth" + Metrics.labels("model", slot.name), slot.batcher::depth);
        metrics.gauge("rnn4j_serve_model_version" + Metrics.labels("model", slot.name), () -> slot.current().version);
    }

    List<String> names() {
        return new ArrayList<>(slots.keySet());
    }

    Collection<ModelSlot> all() {
        return slots.values();
    }

    ModelSlot slot(String name) {
        ModelSlot s = slots.get(name);
        if (s == null) {
            throw ApiException.notFound("model '" + name + "' not found; serving " + slots.keySet());
        }
        return s;
    }

    /** The version now serving {@code name}; a 404 when {@code version} is given and is not it. */
    ServedModel served(String name, String version) {
        ServedModel m = slot(name).current();
        if (version != null && !version.equals(Long.toString(m.version))) {
            throw ApiException.notFound("version " + version + " of model '" + name + "' not found; serving version " + m.version);
        }
        return m;
    }

    long reload(String name) throws IOException {
        ModelSlot s = slot(name);
        try {
            long v = s.reload(loader).version;
            metrics.reload(name, true);
            return v;
        } catch (IOException e) {
            metrics.reload(name, false);
            throw e;
        }
    }

    long swap(String name, org.rnn4j.models.Model model) {
        long v = slot(name).install(model).version;
        metrics.reload(name, true);
        return v;
    }

    /** One poll of the model files: a change seen stable for one interval is reloaded; a refused file is left alone. */
    void watch() {
        for (ModelSlot s : slots.values()) {
            if (s.path == null) {
                continue;
            }
            String stamp = ModelSlot.stamp(s.path);
            if (stamp.equals("missing") || stamp.equals(s.loadedStamp) || stamp.equals(s.refusedStamp)) {
                s.seenStamp = stamp;
                continue;
            }
            if (!stamp.equals(s.seenStamp)) {
                s.seenStamp = stamp; // changed: wait one more interval for the writer to finish
                continue;
            }
            try {
                reload(s.name);
            } catch (IOException | RuntimeException e) {
                System.err.println("rnn4j serve: reload of '" + s.name + "' from " + s.path + " refused, still serving version "
                        + s.current().version + ": " + ModelSlot.message(e));
            }
        }
    }

    /** Closes every batcher: queued jobs run, then the workers end (each waits up to 2 s). */
    void closeBatchers() {
        for (ModelSlot s : slots.values()) {
            try {
                s.batcher.close(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
