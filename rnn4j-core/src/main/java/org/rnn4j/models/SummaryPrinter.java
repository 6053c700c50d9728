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
