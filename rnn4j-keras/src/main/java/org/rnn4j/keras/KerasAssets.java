package org.rnn4j.keras;

import io.jhdf.api.Group;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rnn4j.layers.Layer;
import org.rnn4j.saving.LayerAssets;
import org.rnn4j.tensor.Tensor;

/**
 * Keras 3's per-layer assets and named variables ({@link LayerAssets}): a layer's files live in
 * the {@code .keras} zip at {@code assets/<layer path>/<file>} (the layer path of its weights,
 * e.g. {@code layers/integer_lookup}), its named variables at {@code <layer path>/vars/<name>}.
 */
final class KerasAssets {
    static final String PREFIX = "assets/";

    private KerasAssets() {
    }

    /** Restores every {@link LayerAssets} layer from the zip's asset entries and the weights file. */
    static void load(List<Layer> layers, List<String> paths, Map<String, byte[]> zipAssets, Group h5)
            throws KerasFormatException {
        for (int i = 0; i < layers.size(); i++) {
            if (!(layers.get(i) instanceof LayerAssets la)) {
                continue;
            }
            Layer layer = layers.get(i);
            String where = "layer '" + layer.name() + "' (" + layer.className() + ")";
            String dir = PREFIX + paths.get(i) + "/";
            Map<String, byte[]> files = new TreeMap<>();
            for (Map.Entry<String, byte[]> e : zipAssets.entrySet()) {
                if (e.getKey().startsWith(dir) && e.getKey().indexOf('/', dir.length()) < 0) {
                    files.put(e.getKey().substring(dir.length()), e.getValue());
                }
            }
            try {
                la.loadAssets(files);
            } catch (IllegalArgumentException e) {
                throw new KerasFormatException(where + ": " + e.getMessage(), e);
            }
            Map<String, Tensor> values = new LinkedHashMap<>();
            for (Map.Entry<String, int[]> e : la.ownVariableShapes().entrySet()) {
                String path = paths.get(i) + "/vars/" + e.getKey();
                if (h5 != null && H5.find(h5, path) != null) {
                    values.put(e.getKey(), Tensor.of(H5.floats(h5, path, e.getValue(), where + " '" + e.getKey() + "'"),
                            e.getValue()));
                }
            }
            la.loadOwnVariables(values);
        }
    }

    /** Legacy .h5 files carry no assets: a layer that needs them says so at load time. */
    static void loadWithoutAssets(List<Layer> layers) throws KerasFormatException {
        for (Layer layer : layers) {
            if (layer instanceof LayerAssets la) {
                try {
                    la.loadAssets(Map.of());
                } catch (IllegalArgumentException e) {
                    throw new KerasFormatException("layer '" + layer.name() + "' (" + layer.className() + "): "
                            + e.getMessage() + "; legacy .h5 files hold no assets, save it as .keras", e);
                }
            }
        }
    }

    /** The zip entries of every {@link LayerAssets} layer's files, by entry name. */
    static Map<String, byte[]> entries(List<Layer> layers, List<String> paths) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof LayerAssets la) {
                for (Map.Entry<String, byte[]> e : la.saveAssets().entrySet()) {
                    out.put(PREFIX + paths.get(i) + "/" + e.getKey(), e.getValue());
                }
            }
        }
        return out;
    }
}
