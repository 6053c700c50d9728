package org.rnn4j.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Layer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.util.Rng;

/** Builds a {@link KerasGraph} from a {@link GraphSpec}: each layer for the shape it receives. */
final class GraphBuilder {
    private GraphBuilder() {
    }

    static KerasGraph build(GraphSpec spec, long weightBytes, long maxParams) throws KerasFormatException {
        Map<String, int[]> shapes = new HashMap<>(spec.inputs);
        List<KerasGraph.Node> nodes = new ArrayList<>();
        Rng rng = new Rng(0);
        long params = 0;
        for (GraphSpec.NodeSpec ns : spec.nodes) {
            String where = ns.where();
            List<int[]> in = new ArrayList<>();
            for (String src : ns.inbound) {
                int[] sh = shapes.get(src);
                if (sh == null) {
                    throw new KerasFormatException(where + " reads '" + src + "', which is not an output of the model's layers");
                }
                in.add(sh);
            }
            KerasGraph.Node node;
            if (ns.className.equals("Concatenate")) {
                Cfg c = new Cfg(where, ns.config);
                long axis = (long) c.number("axis", -1);
                int rank = in.get(0).length;
                int ax = (int) (axis < 0 ? rank + axis : axis - 1);
                c.finish();
                node = new KerasGraph.Node(ns.name, ns.className, null, ns.inbound, ax);
                node.outputShape = KerasGraph.concatShape(in, ax, where);
            } else {
                // return_state: the states are extra outputs (name#1, name#2) read from the layer.
                Map<String, Object> config = ns.config;
                boolean returnState = Boolean.TRUE.equals(config.get("return_state"))
                        && (ns.className.equals("LSTM") || ns.className.equals("GRU") || ns.className.equals("SimpleRNN"));
                if (returnState) {
                    config = new java.util.LinkedHashMap<>(config);
                    config.put("return_state", false);
                }
                Layer layer = LayerFactory.create(ns.className, config, where, weightBytes / 4);
                if (ns.inbound.size() != 1 && !(ns.inbound.size() == 3 && layer instanceof LSTM)) {
                    throw new KerasFormatException(where + " reads " + ns.inbound.size() + " tensors " + ns.inbound
                            + "; supported: one input, or an LSTM's [x, h, c] (initial state)");
                }
                try {
                    layer.build(in.get(0), rng);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new KerasFormatException(where + ": " + e.getMessage(), e);
                }
                if (ns.inbound.size() == 3) {
                    int units = ((LSTM) layer).units();
                    for (int k = 1; k < 3; k++) {
                        if (!java.util.Arrays.equals(in.get(k), new int[] {units})) {
                            throw new KerasFormatException(where + ": initial state '" + ns.inbound.get(k) + "' has shape "
                                    + Shapes.withBatch(in.get(k)) + ", expected (None, " + units + ")");
                        }
                    }
                }
                params += layer.countParams();
                if (params > maxParams || params * 4 > weightBytes + 4096) {
                    throw new KerasFormatException(where + ": the config asks for " + params
                            + " parameters, more than the weights file can hold (" + weightBytes + " bytes)");
                }
                node = new KerasGraph.Node(ns.name, ns.className, layer, ns.inbound, 0);
                node.outputShape = layer.outputShape();
                if (returnState) {
                    node.states = ns.className.equals("LSTM") ? 2 : 1;
                    int units = ((org.rnn4j.layers.RecurrentLayer<?>) layer).units();
                    for (int k = 1; k <= node.states; k++) {
                        shapes.put(ns.name + "#" + k, new int[] {units});
                    }
                }
            }
            shapes.put(ns.name, node.outputShape);
            nodes.add(node);
        }
        return new KerasGraph(spec.name, KerasGraph.copy(spec.inputs), nodes, spec.output);
    }

    /** Keras 3 weight-group paths of the graph's layers, in {@link KerasGraph#layers()} order. */
    static List<String> kerasPaths(GraphSpec spec) {
        String[] classes = new String[spec.nodes.size()];
        for (GraphSpec.NodeSpec ns : spec.nodes) {
            classes[ns.configIndex] = ns.className;
        }
        List<String> byConfig = KerasLayout.classPaths(java.util.Arrays.asList(classes));
        List<String> out = new ArrayList<>();
        for (GraphSpec.NodeSpec ns : spec.nodes) {
            if (!ns.className.equals("Concatenate")) {
                out.add(byConfig.get(ns.configIndex));
            }
        }
        return out;
    }
}
