package org.rnn4j.keras;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.StatefulLayer;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.models.Model;

/**
 * The fixed batch size of stateful recurrent layers in Keras files: Keras needs it in the
 * InputLayer's {@code batch_shape} (it refuses {@code stateful=True} with a dynamic batch), so
 * the reader hands it to the stateful layers and the writer puts it back.
 */
final class StatefulBatch {
    private StatefulBatch() {
    }

    /** Every stateful layer of a model, inside wrappers and nested models too. */
    static List<StatefulLayer> statefulLayers(Model model) {
        List<StatefulLayer> out = new ArrayList<>();
        for (Layer l : model.layers()) {
            collect(l, out);
        }
        return out;
    }

    private static void collect(Layer l, List<StatefulLayer> out) {
        if (l instanceof Model) {
            out.addAll(statefulLayers((Model) l));
        } else if (l instanceof Bidirectional) {
            collect(((Bidirectional) l).forwardLayer(), out);
            collect(((Bidirectional) l).backwardLayer(), out);
        } else if (l instanceof TimeDistributed) {
            collect(((TimeDistributed) l).layer(), out);
        } else if (l instanceof StatefulLayer && ((StatefulLayer) l).stateful()) {
            out.add((StatefulLayer) l);
        }
    }

    /** The batch size to write into batch_shape: that of the model's stateful layers, or -1. */
    static int of(Model model) {
        for (StatefulLayer s : statefulLayers(model)) {
            if (s.statefulBatchSize() > 0) {
                return s.statefulBatchSize();
            }
        }
        return -1;
    }

    /** Fixes the stateful layers' batch size from the first static batch_shape in the layer configs. */
    static void apply(Model model, List<ModelSpec.LayerSpec> layers) {
        List<StatefulLayer> stateful = statefulLayers(model);
        if (stateful.isEmpty()) {
            return;
        }
        for (ModelSpec.LayerSpec ls : layers) {
            for (String key : new String[] {"batch_shape", "batch_input_shape"}) {
                Object v = ls.config.get(key);
                if (v instanceof List && !((List<?>) v).isEmpty() && ((List<?>) v).get(0) instanceof Number) {
                    int b = ((Number) ((List<?>) v).get(0)).intValue();
                    if (b > 0) {
                        for (StatefulLayer s : stateful) {
                            s.statefulBatchSize(b);
                        }
                        return;
                    }
                }
            }
        }
    }

    /** {@code batch_shape} with the stateful batch size in front (a copy), when there is one. */
    static List<Object> withBatch(List<Object> batchShape, Model model) {
        int b = of(model);
        if (b <= 0 || batchShape.isEmpty()) {
            return batchShape;
        }
        List<Object> c = new ArrayList<>(batchShape);
        c.set(0, b);
        return c;
    }

}
