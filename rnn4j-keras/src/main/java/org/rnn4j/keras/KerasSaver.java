package org.rnn4j.keras;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;

/**
 * Writes a {@link Sequential} as a Keras 3 {@code .keras} zip: {@code metadata.json},
 * {@code config.json} (Keras 3 serialization: module, class_name, config, registered_name,
 * build_config; an InputLayer first, as Keras writes it) and {@code model.weights.h5}
 * ({@code layers/<snake_case class>[_n]/vars/<i>} and the nested groups of {@link KerasLayout}).
 * A functional model's graph is written by {@link FunctionalConfigWriter}, each layer by
 * {@link LayerSerializer}, the weights by {@link WeightsH5Writer}.
 */
final class KerasSaver {
    /** The Keras version whose format is written (and checked against in tests). */
    static final String KERAS_VERSION = "3.15.1";

    private KerasSaver() {
    }

    /**
     * The fixed batch size of the model being saved (its stateful layers'), or -1: Keras loads
     * {@code stateful=True} only with a static batch in every batch_shape/input_shape.
     */
    private static final ThreadLocal<Integer> STATEFUL_BATCH = ThreadLocal.withInitial(() -> -1);

    static void save(Model model, Path path) throws IOException {
        STATEFUL_BATCH.set(StatefulBatch.of(model));
        try {
            saveModel(model, path);
        } finally {
            STATEFUL_BATCH.remove();
        }
    }

    private static void saveModel(Model model, Path path) throws IOException {
        if (!model.isBuilt()) {
            throw new IllegalStateException("Model '" + model.name() + "' is not built: give the first layer an"
                    + " inputShape(...) or call build(shape) before saving");
        }
        Set<String> names = new HashSet<>();
        for (Layer l : distinct(model.layers())) {
            if (!names.add(l.name())) {
                throw new IllegalArgumentException("Model '" + model.name() + "' has two layers named '" + l.name()
                        + "'; Keras requires unique layer names, so rename one with name(...)");
            }
        }
        byte[] config = Json.write(model instanceof Sequential ? modelConfig((Sequential) model)
                : functionalRoot(model)).getBytes(StandardCharsets.UTF_8);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("keras_version", KERAS_VERSION);
        meta.put("date_saved", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
        byte[] metadata = Json.write(meta).getBytes(StandardCharsets.UTF_8);
        byte[] weights = WeightsH5Writer.weightsH5(model);

        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        org.rnn4j.io.AtomicFiles.write(abs, tmp -> {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                put(zip, "metadata.json", metadata);
                put(zip, "config.json", config);
                put(zip, "model.weights.h5", weights);
                List<Layer> weighted = WeightsH5Writer.weightedLayers(model);
                for (Map.Entry<String, byte[]> a : KerasAssets.entries(weighted, KerasLayout.layerPaths(weighted)).entrySet()) {
                    put(zip, a.getKey(), a.getValue());
                }
            }
        });
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    // ---- config.json ------------------------------------------------------------------------

    static List<Layer> distinct(List<Layer> layers) {
        Set<Layer> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) {
            if (seen.add(l)) {
                out.add(l);
            }
        }
        return out;
    }

    /** The root of a functional model's config.json (Keras 3's {@code serialize_keras_object(model)}). */
    static Map<String, Object> functionalRoot(Model model) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("module", "keras.src.models.functional");
        root.put("class_name", "Functional");
        root.put("config", FunctionalConfigWriter.functionalConfig(model));
        root.put("registered_name", "Functional");
        Map<String, Object> build = new LinkedHashMap<>();
        build.put("input_shape", null);
        root.put("build_config", build);
        root.put("compile_config", CompileState.config(model));
        return root;
    }

    /** A Sequential or Functional used as a layer: its own config, as Keras nests it. */
    static Map<String, Object> nestedModel(Model m) {
        Map<String, Object> e;
        if (m instanceof Sequential) {
            e = modelConfig((Sequential) m);
            e.remove("compile_config");
        } else {
            e = new LinkedHashMap<>(functionalRoot(m));
            e.remove("compile_config");
            e.put("build_config", Map.of("input_shape", m.inputs().size() == 1 ? batchShape(m.inputs().get(0).shape())
                    : batchShapes(m.inputs())));
        }
        return e;
    }

    private static List<Object> batchShapes(List<SymbolicTensor> ts) {
        List<Object> l = new ArrayList<>();
        for (SymbolicTensor t : ts) {
            l.add(batchShape(t.shape()));
        }
        return l;
    }

    static Map<String, Object> modelConfig(Sequential model) {
        List<Object> batchShape = batchShape(model.inputShape());
        List<Object> layers = new ArrayList<>();
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("batch_shape", batchShape);
        input.put("dtype", model.inputs().get(0).dtype());
        input.put("sparse", false);
        input.put("name", "input_layer");
        layers.add(LayerSerializer.serialized("InputLayer", input, null));
        for (Layer l : model.layers()) {
            layers.add(LayerSerializer.serialize(l));
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("name", model.name());
        cfg.put("trainable", true);
        cfg.put("dtype", "float32");
        cfg.put("layers", layers);
        cfg.put("build_input_shape", batchShape);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("module", "keras");
        root.put("class_name", "Sequential");
        root.put("config", cfg);
        root.put("registered_name", null);
        root.put("build_config", Map.of("input_shape", batchShape));
        root.put("compile_config", CompileState.config(model));
        return root;
    }

    static List<Object> batchShape(int[] sample) {
        List<Object> l = new ArrayList<>();
        int b = STATEFUL_BATCH.get();
        l.add(b > 0 ? (Object) b : null);
        for (int d : sample) {
            l.add(d < 0 ? null : (Object) d);
        }
        return l;
    }
}
