package org.rnn4j.keras;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Variable;
import org.rnn4j.models.Model;
import org.rnn4j.ops.CallMask;
import org.rnn4j.ops.Op;

/** Writes a model's variables as a Keras 3 {@code model.weights.h5} (the groups of {@link KerasLayout}). */
final class WeightsH5Writer {
    private WeightsH5Writer() {
    }

    /**
     * jHDF 0.9.4's writer corrupts a group written after the last dataset (it writes its version
     * string at the channel position), so only groups that hold datasets are written; Keras 3
     * treats a missing group as a layer without variables.
     */
    static byte[] weightsH5(Model model) throws IOException {
        Path tmp = org.rnn4j.io.AtomicFiles.scratchFile("rnn4j.weights.h5");
        try {
            try (WritableHdfFile h5 = HdfFile.write(tmp)) {
                Map<String, WritableGroup> groups = new HashMap<>();
                List<Layer> layers = weightedLayers(model);
                List<String> paths = KerasLayout.layerPaths(layers);
                for (int li = 0; li < paths.size(); li++) {
                    Layer l = layers.get(li);
                    List<Variable> ws = l.weights();
                    int next = 0;
                    for (KerasLayout.VarGroup g : KerasLayout.groups(l, paths.get(li))) {
                        WritableGroup vars = mkdirs(h5, g.path, groups);
                        for (int i = 0; i < g.count; i++) {
                            Variable v = ws.get(next++);
                            String key = Integer.toString(i);
                            if (v.shape().length == 0) {
                                // Scalars: Normalization's count is int64 in Keras, others float32.
                                float value = v.value().data()[0];
                                if (v.name().equals("count")) {
                                    vars.putDataset(key, (long) value);
                                } else {
                                    vars.putDataset(key, value);
                                }
                            } else {
                                vars.putDataset(key, nested(v.value().data(), v.shape()));
                            }
                        }
                    }
                    if (l instanceof org.rnn4j.saving.LayerAssets la && !la.ownVariables().isEmpty()) {
                        WritableGroup vars = mkdirs(h5, paths.get(li) + "/vars", groups);
                        for (Map.Entry<String, org.rnn4j.tensor.Tensor> e : la.ownVariables().entrySet()) {
                            vars.putDataset(e.getKey(), nested(e.getValue().data(), e.getValue().shape()));
                        }
                    }
                }
                CompileState.writeVars(model, h5);
            }
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The layers Keras keeps in the weights file (and assets): operations are not. */
    static List<Layer> weightedLayers(Model model) {
        List<Layer> layers = new ArrayList<>();
        for (Layer l : KerasSaver.distinct(model.layers())) {
            if (!(l instanceof Op) && !(l instanceof CallMask)) {
                layers.add(l);
            }
        }
        return layers;
    }

    private static WritableGroup mkdirs(WritableHdfFile h5, String path, Map<String, WritableGroup> groups) {
        WritableGroup cur = null;
        StringBuilder sofar = new StringBuilder();
        for (String part : path.split("/")) {
            sofar.append('/').append(part);
            WritableGroup g = groups.get(sofar.toString());
            if (g == null) {
                g = cur == null ? h5.putGroup(part) : cur.putGroup(part);
                groups.put(sofar.toString(), g);
            }
            cur = g;
        }
        return cur;
    }

    /** A Java multi-dimensional float array of {@code shape} holding row-major {@code data}. */
    static Object nested(float[] data, int[] shape) {
        if (shape.length <= 1) {
            return data.clone();
        }
        Object arr = Array.newInstance(float.class, shape);
        fill(arr, data, 0, shape);
        return arr;
    }

    private static int fill(Object arr, float[] data, int offset, int[] shape) {
        if (shape.length == 1) {
            System.arraycopy(data, offset, (float[]) arr, 0, shape[0]);
            return offset + shape[0];
        }
        int[] inner = Arrays.copyOfRange(shape, 1, shape.length);
        for (int i = 0; i < shape[0]; i++) {
            offset = fill(Array.get(arr, i), data, offset, inner);
        }
        return offset;
    }
}
