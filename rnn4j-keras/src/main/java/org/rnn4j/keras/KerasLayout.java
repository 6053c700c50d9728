package org.rnn4j.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.RecurrentLayer;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.models.Model;
import org.rnn4j.util.Names;

/**
 * Where Keras 3 keeps a layer's variables inside {@code model.weights.h5}: plain layers under
 * {@code <base>/vars/<i>}, recurrent layers under their cell ({@code <base>/cell/vars/<i>}),
 * Bidirectional under {@code forward_layer}/{@code backward_layer}, TimeDistributed under
 * {@code layer}. Each group is listed with how many of the layer's weights (in Keras order) it holds.
 */
final class KerasLayout {
    /** A weights group path and the number of consecutive weights stored in it. */
    static final class VarGroup {
        final String path;
        final int count;

        VarGroup(String path, int count) {
            this.path = path;
            this.count = count;
        }
    }

    private KerasLayout() {
    }

    /**
     * The group of each layer of a model: Keras 3 keys a layer list by snake-cased class name,
     * numbered per class in list order ({@code dense}, {@code dense_1}, ...), not by layer name.
     */
    static List<String> layerPaths(List<Layer> layers) {
        List<String> classes = new ArrayList<>();
        for (Layer l : layers) {
            classes.add(l.className());
        }
        return classPaths(classes);
    }

    /** Paths for layers of these Keras classes, in model (config) order. */
    static List<String> classPaths(List<String> classNames) {
        Map<String, Integer> used = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (String cls : classNames) {
            String base = Names.snakeCase(cls);
            Integer n = used.get(base);
            used.put(base, n == null ? 0 : n + 1);
            out.add("layers/" + (n == null ? base : base + "_" + (n + 1)));
        }
        return out;
    }

    /**
     * An RNN's cell: {@code <path>/vars}; StackedRNNCells keeps its cells as a list keyed by
     * class, like a model's layers: {@code <path>/cells/lstm_cell/vars}, {@code .../gru_cell/vars}.
     */
    private static void addCell(org.rnn4j.layers.recurrent.Cell cell, String path, List<VarGroup> out) {
        if (cell instanceof org.rnn4j.layers.recurrent.StackedRNNCells) {
            List<org.rnn4j.layers.recurrent.Cell> cells = ((org.rnn4j.layers.recurrent.StackedRNNCells) cell).cells();
            List<String> classes = new ArrayList<>();
            for (org.rnn4j.layers.recurrent.Cell c : cells) {
                classes.add(c.className());
            }
            List<String> paths = classPaths(classes);
            for (int i = 0; i < cells.size(); i++) {
                addCell(cells.get(i), path + "/cells/" + paths.get(i).substring("layers/".length()), out);
            }
            return;
        }
        int n = cell.weights().size();
        if (n > 0) {
            out.add(new VarGroup(path + "/vars", n));
        }
    }

    static List<VarGroup> groups(Layer layer, String base) {
        List<VarGroup> out = new ArrayList<>();
        add(layer, base, out);
        return out;
    }

    private static void add(Layer layer, String base, List<VarGroup> out) {
        int n = layer.weights().size();
        if (n == 0) {
            return;
        }
        if (layer instanceof Model) {
            // A nested model keeps its own layer list: Keras 3 writes <base>/layers/<class path>/...
            List<Layer> inner = ((Model) layer).layers();
            List<String> paths = layerPaths(inner);
            for (int i = 0; i < inner.size(); i++) {
                add(inner.get(i), base + "/" + paths.get(i), out);
            }
        } else if (layer.className().equals("MultiHeadAttention")) {
            // Keras 3 keeps the four projections as sublayers: <base>/{query,key,value,output}_dense/vars
            Map<String, String> sub = Map.of("query", "query_dense", "key", "key_dense", "value", "value_dense",
                    "attention_output", "output_dense");
            String current = null;
            int count = 0;
            for (org.rnn4j.layers.Variable v : layer.weights()) {
                String prefix = v.name().contains("/") ? v.name().substring(0, v.name().indexOf('/')) : v.name();
                String group = base + "/" + sub.getOrDefault(prefix, prefix) + "/vars";
                if (!group.equals(current)) {
                    if (current != null) {
                        out.add(new VarGroup(current, count));
                    }
                    current = group;
                    count = 0;
                }
                count++;
            }
            out.add(new VarGroup(current, count));
        } else if (layer instanceof Bidirectional) {
            add(((Bidirectional) layer).forwardLayer(), base + "/forward_layer", out);
            add(((Bidirectional) layer).backwardLayer(), base + "/backward_layer", out);
        } else if (layer instanceof TimeDistributed) {
            add(((TimeDistributed) layer).layer(), base + "/layer", out);
        } else if (layer instanceof org.rnn4j.layers.recurrent.RNN) {
            addCell(((org.rnn4j.layers.recurrent.RNN) layer).cell(), base + "/cell", out);
        } else if (layer instanceof RecurrentLayer) {
            out.add(new VarGroup(base + "/cell/vars", n));
        } else {
            out.add(new VarGroup(base + "/vars", n));
        }
    }
}
