package org.rnn4j.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rnn4j.layers.Layer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras 3's summary: a rich table of 88 columns with cell widths 38/29/17 (Keras's positions
 * 0.45/0.80/1.0, reduced by rich to fit the borders), words wrapped within a cell, a word too long
 * for its cell cut with an ellipsis, parameter counts right-aligned with thousands separators, and
 * sizes in B/KB/MB (float32 weights).
 */
final class Keras3SummaryPrinter {
    private static final int[] SEQUENTIAL_WIDTHS = {38, 29, 17};
    /** A graph model's table of 108 columns (Keras's positions 0.3/0.6/0.7/1.0), with {@code Connected to}. */
    private static final int[] GRAPH_WIDTHS = {31, 27, 17, 28};
    

    private Keras3SummaryPrinter() {
    }

    static String render(String modelName, List<Layer> layers, Model model) {
        boolean graph = model != null && !SummaryPrinter.sequentialLike(model);
        int[] w = graph ? GRAPH_WIDTHS : SEQUENTIAL_WIDTHS;
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(modelName).append("\"\n");
        rule(sb, w, '┏', '━', '┳', '┓');
        if (graph) {
            row(sb, w, '┃', "Layer (type)", "Output Shape", "Param #", "Connected to");
        } else {
            row(sb, w, '┃', "Layer (type)", "Output Shape", "Param #");
        }
        rule(sb, w, '┡', '━', '╇', '┩');
        long total = 0;
        long trainable = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (i > 0) {
                rule(sb, w, '├', '─', '┼', '┤');
            }
            String shape = layer.isBuilt() ? SummaryPrinter.outputShapes(layer) : "?";
            String params = layer.isBuilt() ? String.format(Locale.US, "%,d", layer.countParams()) : "0 (unbuilt)";
            if (graph) {
                List<String> conn = SummaryPrinter.connections(model, layer);
                row(sb, w, '│', layer.name() + " (" + layer.className() + ")", shape, params,
                        conn.isEmpty() ? "-" : String.join(", ", conn));
            } else {
                row(sb, w, '│', layer.name() + " (" + layer.className() + ")", shape, params);
            }
            total += layer.countParams();
            trainable += layer.trainableParams();
        }
        rule(sb, w, '└', '─', '┴', '┘');
        long optimizerCount = 0;
        long optimizerBytes = 0;
        boolean optimizerBuilt = model.isCompiled() && model.optimizer() != null && model.optimizer().isBuilt();
        if (optimizerBuilt) {
            List<Tensor> vars = model.optimizer().variables();
            for (Tensor t : vars) {
                optimizerCount += t.size();
                optimizerBytes += 4L * t.size();
            }
        }
        sb.append(" Total params: ").append(count(total + optimizerCount))
                .append(" (").append(bytes(4 * total + optimizerBytes)).append(")\n");
        sb.append(" Trainable params: ").append(count(trainable)).append(" (").append(bytes(4 * trainable)).append(")\n");
        sb.append(" Non-trainable params: ").append(count(total - trainable))
                .append(" (").append(bytes(4 * (total - trainable))).append(")\n");
        if (optimizerBuilt) {
            sb.append(" Optimizer params: ").append(count(optimizerCount))
                    .append(" (").append(bytes(optimizerBytes)).append(")\n");
        }
        return sb.toString();
    }

    private static String count(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    /** Keras's readable_memory_size: the first 1024-based unit under 1024, two decimals. */
    static String bytes(double size) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        for (String unit : units) {
            if (size / 1024 < 1) {
                return String.format(Locale.US, "%.2f %s", size, unit);
            }
            size /= 1024;
        }
        return String.format(Locale.US, "%.2f %s", size, units[units.length - 1]);
    }

    private static void rule(StringBuilder sb, int[] widths, char left, char fill, char join, char right) {
        sb.append(left);
        for (int c = 0; c < widths.length; c++) {
            if (c > 0) {
                sb.append(join);
            }
            sb.append(String.valueOf(fill).repeat(widths[c]));
        }
        sb.append(right).append('\n');
    }

    /** One logical row, each cell word-wrapped to its width minus one space of padding each side. */
    private static void row(StringBuilder sb, int[] widths, char border, String... cells) {
        List<List<String>> wrapped = new ArrayList<>();
        int lines = 0;
        for (int c = 0; c < cells.length; c++) {
            List<String> w = wrap(cells[c], widths[c] - 2);
            wrapped.add(w);
            lines = Math.max(lines, w.size());
        }
        for (int l = 0; l < lines; l++) {
            sb.append(border);
            for (int c = 0; c < cells.length; c++) {
                if (c > 0) {
                    sb.append(border);
                }
                String text = l < wrapped.get(c).size() ? wrapped.get(c).get(l) : "";
                int pad = widths[c] - 2 - text.length();
                boolean right = c == 2;
                sb.append(' ').append(right ? " ".repeat(pad) + text : text + " ".repeat(pad)).append(' ');
            }
            sb.append(border).append('\n');
        }
    }

    /** Greedy word wrap as rich does; a single word wider than the cell is cut with an ellipsis. */
    static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (word.length() > width) {
                word = word.substring(0, width - 1) + "…";
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                out.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        out.add(line.toString());
        return out;
    }
}
