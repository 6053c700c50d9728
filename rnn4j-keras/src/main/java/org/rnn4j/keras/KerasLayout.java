package org.rnn4j.keras;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.Layer;

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
        out.add(new VarGroup(base + "/vars", n));
    }
}
