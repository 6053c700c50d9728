package org.rnn4j.spark;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Variable;
import org.rnn4j.models.Model;

/**
 * The executor JVM's copies of the model being trained, built once per fit from the broadcast
 * {@link ModelPayload} and reused step after step (a model copy is used by one task at a time;
 * concurrent tasks get their own copies). Only the latest few fits are kept.
 */
final class ExecutorModels {
    private static final int KEEP_FITS = 3;
    private static final Map<String, Deque<Model>> POOLS = new LinkedHashMap<>();
    private static final Object BUILD_LOCK = new Object();

    private ExecutorModels() {
    }

    static Model borrow(String fitId, ModelPayload payload) {
        synchronized (POOLS) {
            Deque<Model> pool = POOLS.get(fitId);
            if (pool != null && !pool.isEmpty()) {
                return pool.pop();
            }
        }
        synchronized (BUILD_LOCK) {
            // Layer naming uses process-wide counters; build copies one at a time.
            return payload.build();
        }
    }

    static void giveBack(String fitId, Model model) {
        synchronized (POOLS) {
            POOLS.computeIfAbsent(fitId, k -> new ArrayDeque<>()).push(model);
            while (POOLS.size() > KEEP_FITS) {
                Iterator<String> it = POOLS.keySet().iterator();
                it.next();
                it.remove();
            }
        }
    }

    /** Drops this fit's copies (the driver calls it at the end; in local mode that frees the memory). */
    static void release(String fitId) {
        synchronized (POOLS) {
            POOLS.remove(fitId);
        }
    }

    /** Writes the broadcast weights (in {@link Model#weights()} order) into a copy. */
    static void setWeights(Model model, float[][] weights) {
        List<Variable> vars = model.weights();
        if (vars.size() != weights.length) {
            throw new IllegalStateException("The executor's model copy has " + vars.size() + " weights but "
                    + weights.length + " were broadcast");
        }
        for (int i = 0; i < weights.length; i++) {
            float[] dst = vars.get(i).value().data();
            if (dst.length != weights[i].length) {
                throw new IllegalStateException("Weight " + vars.get(i).name() + " has " + dst.length
                        + " values but " + weights[i].length + " were broadcast");
            }
            System.arraycopy(weights[i], 0, dst, 0, dst.length);
        }
    }
}
