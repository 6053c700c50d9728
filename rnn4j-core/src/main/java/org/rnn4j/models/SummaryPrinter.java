package org.rnn4j.models;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rnn4j.layers.Layer;
import org.rnn4j.tensor.Shapes;

/**
 * Prints the classic Keras summary table of the seed: 65 columns, fields ending at 29, 55 and
 * 65, long cells wrapped onto following lines.
 */
final class SummaryPrinter {
    private static final int LINE = 65;
    private static final int[] POSITIONS = {29, 55, 65};

    private SummaryPrinter() {
    }

    /** Keras 2's functional table: 98 columns, fields ending at 32, 54, 66 and 98, one connection a line. */
    private static final int GRAPH_LINE = 98;
    private static final int[] GRAPH_POSITIONS = {32, 54, 66, 98};

    /**
     * Keras's {@code sequential_like}: a Sequential, or a graph that is one chain (one node per
     * layer, each reading one tensor, each tensor read once); it prints without {@code Connected to}.
     */
    static boolean sequentialLike(Model model) {
        if (model instanceof Sequential) {
            return true;
        }
        if (model.inputs().size() != 1 || model.outputs().size() != 1) {
            return false;
        }
        java.util.Set<Layer> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.Map<org.rnn4j.layers.SymbolicTensor, Integer> reads = new java.util.IdentityHashMap<>();
        for (org.rnn4j.layers.Node n : model.nodes()) {
            if (n.inputs().size() != 1 || !seen.add(n.layer())) {
                return false;
            }
            if (reads.merge(n.inputs().get(0), 1, Integer::sum) > 1) {
                return false;
            }
        }
        return true;
    }

    /** The output shape cell: one shape, or Keras's list of every output's shape. */
    static String outputShapes(Layer layer) {
        List<int[]> shapes = layer.outputShapes();
        if (shapes.size() == 1) {
            return Shapes.withBatch(shapes.get(0));
        }
        List<String> s = new ArrayList<>();
        for (int[] sh : shapes) {
            s.add(Shapes.withBatch(sh));
        }
        return "[" + String.join(", ", s) + "]";
    }

    /** The {@code Connected to} entries of a layer: {@code name[node][tensor]} of every input of its calls in the model. */
    static List<String> connections(Model model, Layer layer) {
        java.util.Set<org.rnn4j.layers.Node> inModel = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        inModel.addAll(model.nodes());
        List<String> out = new ArrayList<>();
        for (org.rnn4j.layers.Node n : layer.inboundNodes()) {
            if (!inModel.contains(n)) {
                continue;
            }
            for (org.rnn4j.layers.SymbolicTensor t : n.inputs()) {
                int nodeIndex = t.layer().inboundNodes().indexOf(t.node());
                out.add(t.name() + "[" + Math.max(0, nodeIndex) + "][" + t.outputIndex() + "]");
            }
        }
        return out;
    }

    /** The classic table of a graph model, with Keras 2's {@code Connected to} column. */
    static String renderGraph(String modelName, Model model) {
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(modelName).append("\"\n");
        sb.append("_".repeat(GRAPH_LINE)).append('\n');
        graphRow(sb, "Layer (type)", "Output Shape", "Param #", "Connected to");
        sb.append("=".repeat(GRAPH_LINE)).append('\n');
        long total = 0;
        long trainable = 0;
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            List<String> conn = connections(model, layer);
            graphRow(sb, layer.name() + " (" + layer.className() + ")", layer.isBuilt() ? outputShapes(layer) : "(unbuilt)",
                    Long.toString(layer.countParams()), conn.isEmpty() ? "" : conn.get(0));
            for (int c = 1; c < conn.size(); c++) {
                graphRow(sb, "", "", "", conn.get(c));
            }
            sb.append((i == layers.size() - 1 ? "=" : "_").repeat(GRAPH_LINE)).append('\n');
            total += layer.countParams();
            trainable += layer.trainableParams();
        }
        NumberFormat f = NumberFormat.getIntegerInstance(Locale.US);
        sb.append("Total params: ").append(f.format(total)).append('\n');
        sb.append("Trainable params: ").append(f.format(trainable)).append('\n');
        sb.append("Non-trainable params: ").append(f.format(total - trainable)).append('\n');
        sb.append("_".repeat(GRAPH_LINE)).append('\n');
        return sb.toString();
    }

    private static void graphRow(StringBuilder sb, String... fields) {
        StringBuilder line = new StringBuilder();
        for (int col = 0; col < fields.length; col++) {
            line.append(fields[col]);
            int end = GRAPH_POSITIONS[col];
            if (line.length() >= end - 1 && col < fields.length - 1) {
                line.setLength(Math.max(0, end - 1));
            }
            line.append(" ".repeat(Math.max(0, end - line.length())));
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    static String render(String modelName, List<Layer> layers) {
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(modelName).append("\"\n");
        sb.append("_".repeat(LINE)).append('\n');
        row(sb, "Layer (type)", "Output Shape", "Param #");
        long total = 0;
        long trainable = 0;
        for (Layer layer : layers) {
            String shape = layer.isBuilt() ? Shapes.withBatch(layer.outputShape()) : "(unbuilt)";
            String params = layer.isBuilt() ? Long.toString(layer.countParams()) : "0 (unbuilt)";
            row(sb, layer.name() + " (" + layer.className() + ")", shape, params);
            sb.append(" ".repeat(LINE)).append('\n');
            total += layer.countParams();
            trainable += layer.trainableParams();
        }
        NumberFormat f = NumberFormat.getIntegerInstance(Locale.US);
        sb.append("Total params: ").append(f.format(total)).append('\n');
        sb.append("Trainable params: ").append(f.format(trainable)).append('\n');
        sb.append("Non-trainable params: ").append(f.format(total - trainable)).append('\n');
        sb.append("_".repeat(LINE)).append('\n');
        return sb.toString();
    }

    /** One logical row; each column wraps at its width minus the two separating spaces. */
    private static void row(StringBuilder sb, String... fields) {
        List<String> left = new ArrayList<>(List.of(fields));
        while (left.stream().anyMatch(s -> !s.isEmpty())) {
            StringBuilder line = new StringBuilder();
            for (int col = 0; col < left.size(); col++) {
                int start = col == 0 ? 0 : POSITIONS[col - 1];
                int end = POSITIONS[col];
                int space = col == POSITIONS.length - 1 ? 0 : 2;
                int cutoff = end - start - space;
                String text = left.get(col);
                String fit = text.substring(0, Math.min(cutoff, text.length()));
                // Prefer to break after the end of a tuple element, as Keras does.
                int best = -1;
                for (String brk : new String[] {"),", "},", "],", "',"}) {
                    int at = fit.indexOf(brk);
                    if (at >= 0) {
                        int c = at + brk.length();
                        best = best < 0 ? c : Math.min(best, c);
                    }
                }
                if (best >= 0) {
                    cutoff = best;
                    fit = fit.substring(0, best);
                }
                if (col == 0) {
                    line.append(' ');
                }
                line.append(fit).append(" ".repeat(space));
                left.set(col, text.substring(Math.min(cutoff, text.length())));
                int pad = POSITIONS[col] - line.length();
                if (pad > 0) {
                    line.append(" ".repeat(pad));
                }
            }
            sb.append(line).append('\n');
        }
    }
}
