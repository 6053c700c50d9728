package org.rnn4j.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Shapes;

/** Reads a legacy (Keras 2 / tf.keras) {@code .h5} model file: its model_config, training_config and per-layer weights. */
final class LegacyH5Reader {
    private static final long IN_MEMORY_H5_BYTES = 256L << 20;

    private LegacyH5Reader() {
    }

    static <T> T open(Path path, KerasLimits limits, ModelFile.Builder<T> builder) throws IOException {
        long size = Files.size(path);
        if (size > limits.maxWeightsBytes()) {
            throw new KerasFormatException("the file has " + size + " bytes, over the limit of " + limits.maxWeightsBytes());
        }
        // In memory, jHDF refuses a corrupt header claiming a huge size at once; reading from the
        // file it first allocates and fills a buffer of that size. Very large files stay on disk.
        try (HdfFile h5 = size <= IN_MEMORY_H5_BYTES ? HdfFile.fromBytes(Files.readAllBytes(path)) : new HdfFile(path)) {
            String version = H5.stringAttr(h5, "keras_version", "root");
            String config = H5.stringAttr(h5, "model_config", "root");
            if (config == null) {
                throw new KerasFormatException("the HDF5 file has no 'model_config' attribute: it holds weights only"
                        + " (model.save_weights); build the model in code and load those weights instead");
            }
            if (config.length() > limits.maxConfigBytes()) {
                throw new KerasFormatException("model_config is larger than the limit of " + limits.maxConfigBytes());
            }
            Object json = Json.parse(config, "model_config" + (version == null ? "" : " (Keras " + version + ")"));
            String training = H5.stringAttr(h5, "training_config", "root");
            String trainingConfig = training != null && training.length() <= limits.maxConfigBytes() ? training : null;
            Node mw = H5.find(h5, "model_weights");
            return builder.build(json, mw instanceof Group ? (Group) mw : h5, false, size, trainingConfig, java.util.Map.of());
        }
    }

    /** The values of the layers' variables, by each layer group's {@code weight_names}; refuses weights for layers the model lacks. */
    static List<float[]> readWeights(List<Layer> layers, Group root) throws KerasFormatException {
        List<float[]> values = new ArrayList<>();
        Set<String> ours = new HashSet<>();
        int position = 0;
        for (Layer layer : layers) {
            position++;
            ours.add(layer.name());
            List<Variable> ws = layer.weights();
            if (ws.isEmpty()) {
                continue;
            }
            String where = "layer " + position + " '" + layer.name() + "' (" + layer.className() + ")";
            Group g = H5.group(root, layer.name(), where);
            List<String> names = H5.stringListAttr(g, "weight_names", where);
            if (names.size() != ws.size()) {
                throw new KerasFormatException(where + ": the file lists " + names.size() + " weights " + names
                        + " but the layer has " + ws.size() + " (" + weightNames(ws) + ")");
            }
            for (int i = 0; i < ws.size(); i++) {
                Variable v = ws.get(i);
                values.add(H5.floats(g, names.get(i), v.shape(), where + " weight '" + names.get(i) + "'"));
            }
        }
        // Weights for layers the model does not have would be silently lost.
        for (String name : H5.stringListAttr(root, "layer_names", "model_weights")) {
            if (!ours.contains(name)) {
                Node n = H5.find(root, name);
                if (n != null && !H5.stringListAttr(n, "weight_names", name).isEmpty()) {
                    throw new KerasFormatException("the file holds weights for layer '" + name
                            + "', which is not in the loaded model");
                }
            }
        }
        return values;
    }

    private static String weightNames(List<Variable> ws) {
        List<String> s = new ArrayList<>();
        for (Variable v : ws) {
            s.add(v.name() + " " + Shapes.toString(v.shape()));
        }
        return String.join(", ", s);
    }
}
