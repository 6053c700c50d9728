package org.rnn4j.serve;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * One loaded version of a served model: immutable once built. Requests keep the version they were
 * checked against, so a reload never changes the model under a request in flight.
 */
final class ServedModel {
    final String name;
    final long version;
    final Model model;
    final Path path;
    final List<TensorSpec> inputs;
    final List<TensorSpec> outputs;
    /**
     * Layers still on the pre-stateless API (per-call state in the layer object): while any remain,
     * this version's predict calls are serialised by {@link #lock}, else they run concurrently.
     */
    final List<String> legacyLayers;
    final Object lock = new Object();
    final long loadedAtMillis = System.currentTimeMillis();

    ServedModel(String name, long version, Model model, Path path, boolean forceSerial) {
        this.name = name;
        this.version = version;
        this.model = model;
        this.path = path;
        this.inputs = specs(model.inputs());
        List<String> outNames = model.outputNames();
        List<TensorSpec> outs = new ArrayList<>();
        List<SymbolicTensor> ots = model.outputs();
        for (int i = 0; i < ots.size(); i++) {
            String n = outNames.get(i);
            if (outNames.indexOf(n) != i) {
                n = n + "_" + i; // a layer producing several outputs (return_state): keep names unique
            }
            outs.add(new TensorSpec(n, ots.get(i).shape(), ots.get(i).dtype()));
        }
        this.outputs = Collections.unmodifiableList(outs);
        List<String> legacy = new ArrayList<>();
        collectLegacy(model, legacy);
        if (forceSerial && legacy.isEmpty()) {
            legacy.add("(serial predict requested)");
        }
        this.legacyLayers = Collections.unmodifiableList(legacy);
    }

    private static List<TensorSpec> specs(List<SymbolicTensor> ts) {
        List<TensorSpec> out = new ArrayList<>();
        for (SymbolicTensor t : ts) {
            out.add(new TensorSpec(t.name(), t.shape(), t.dtype()));
        }
        return Collections.unmodifiableList(out);
    }

    boolean concurrentPredict() {
        return legacyLayers.isEmpty();
    }

    /** Runs the model on a batch (one tensor per input); one tensor per output. */
    List<Tensor> predict(List<Tensor> xs, int chunk) {
        if (concurrentPredict()) {
            return model.predict(xs, chunk);
        }
        synchronized (lock) {
            return model.predict(xs, chunk);
        }
    }

    /** One zero batch of one sample through the model: a loaded file that cannot run is refused before serving. */
    void smokeTest() {
        List<Tensor> xs = new ArrayList<>();
        for (TensorSpec s : inputs) {
            int[] shape = new int[s.rank() + 1];
            shape[0] = 1;
            for (int i = 0; i < s.rank(); i++) {
                shape[i + 1] = s.dim(i) < 0 ? 1 : s.dim(i);
            }
            xs.add(Tensor.zeros(shape));
        }
        List<Tensor> out = predict(xs, 1);
        if (out.size() != outputs.size()) {
            throw new IllegalStateException("the model returned " + out.size() + " outputs, its graph has " + outputs.size());
        }
    }

    private static void collectLegacy(Layer layer, List<String> out) {
        if (layer instanceof Model) {
            for (Layer l : ((Model) layer).layers()) {
                if (l != layer) {
                    collectLegacy(l, out);
                }
            }
            return;
        }
        if (isLegacy(layer.getClass())) {
            out.add(layer.name() + " (" + layer.className() + ")");
        }
    }

    /** A layer class that overrides neither stateless forward form runs through the base class's non-thread-safe shims. */
    static boolean isLegacy(Class<?> c) {
        try {
            Method f = c.getMethod("forward", Tensor.class, Mask.class, boolean.class, LayerContext.class);
            Method fa = c.getMethod("forwardAll", List.class, List.class, boolean.class, LayerContext.class);
            return f.getDeclaringClass() == Layer.class && fa.getDeclaringClass() == Layer.class;
        } catch (NoSuchMethodException e) {
            return true;
        }
    }
}
