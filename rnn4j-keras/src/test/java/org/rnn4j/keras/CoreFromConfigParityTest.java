package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.Conv2D;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.GlobalAveragePooling1D;
import org.rnn4j.layers.GlobalMaxPooling1D;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.MaxPooling1D;
import org.rnn4j.layers.MaxPooling2D;
import org.rnn4j.layers.Normalization;
import org.rnn4j.layers.RepeatVector;
import org.rnn4j.layers.Reshape;
import org.rnn4j.layers.SpatialDropout1D;

/**
 * The core layers' {@code fromConfig} reads every layer config of the shared {@code .keras}
 * fixtures exactly as {@link org.rnn4j.saving.LayerRegistry} does (its factories; the registry is what the loader uses): the same options (equal {@code config()}), and
 * a rejection where the factory rejects.
 */
class CoreFromConfigParityTest {
    private static final Map<String, Function<Map<String, Object>, Layer>> CORE = new LinkedHashMap<>();

    static {
        CORE.put("Dense", Dense::fromConfig);
        CORE.put("Dropout", Dropout::fromConfig);
        CORE.put("Flatten", Flatten::fromConfig);
        CORE.put("Conv1D", Conv1D::fromConfig);
        CORE.put("Conv2D", Conv2D::fromConfig);
        CORE.put("MaxPooling1D", MaxPooling1D::fromConfig);
        CORE.put("MaxPooling2D", MaxPooling2D::fromConfig);
        CORE.put("Embedding", Embedding::fromConfig);
        CORE.put("SpatialDropout1D", SpatialDropout1D::fromConfig);
        CORE.put("GlobalAveragePooling1D", GlobalAveragePooling1D::fromConfig);
        CORE.put("GlobalMaxPooling1D", GlobalMaxPooling1D::fromConfig);
        CORE.put("Activation", Activation::fromConfig);
        CORE.put("RepeatVector", RepeatVector::fromConfig);
        CORE.put("Reshape", Reshape::fromConfig);
        CORE.put("Normalization", Normalization::fromConfig);
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, List<Map<String, Object>> out) {
        if (node instanceof Map) {
            Map<String, Object> m = (Map<String, Object>) node;
            if (m.get("class_name") instanceof String && m.get("config") instanceof Map) {
                out.add(m);
            }
            for (Object v : m.values()) {
                collect(v, out);
            }
        } else if (node instanceof List) {
            for (Object v : (List<?>) node) {
                collect(v, out);
            }
        }
    }

    /** config() without the keys the factory leaves to the loader (trainable) or ignores (seed). */
    private static Map<String, Object> comparable(Layer l) {
        Map<String, Object> c = new LinkedHashMap<>(l.config());
        c.remove("trainable");
        c.remove("seed");
        return c;
    }

    @Test
    @SuppressWarnings("unchecked")
    void coreFromConfigReadsEveryFixtureLayerAsTheFactory() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("keras", "keras-functional", "keras2-wild")) {
            try (Stream<Path> s = Files.list(Fixtures.dir(sub))) {
                s.filter(p -> p.toString().endsWith(".keras")).sorted().forEach(files::add);
            }
        }
        assertTrue(files.size() > 5, "fixtures found: " + files);
        int compared = 0;
        for (Path f : files) {
            byte[] cfg = ZipTools.entries(f).get("config.json");
            if (cfg == null) {
                continue;
            }
            List<Map<String, Object>> layers = new ArrayList<>();
            try {
                collect(Json.parse(ZipTools.text(cfg), f.toString()), layers);
            } catch (KerasFormatException e) {
                continue;
            }
            for (Map<String, Object> l : layers) {
                String cn = (String) l.get("class_name");
                Function<Map<String, Object>, Layer> core = CORE.get(cn);
                if (core == null) {
                    continue;
                }
                Map<String, Object> config = (Map<String, Object>) l.get("config");
                String where = f.getFileName() + " " + cn + " " + config.get("name");
                Layer expected = null;
                String factoryError = null;
                try {
                    expected = org.rnn4j.saving.LayerRegistry.create(cn, config, where, Long.MAX_VALUE);
                } catch (org.rnn4j.saving.ConfigException e) {
                    factoryError = e.getMessage();
                }
                Layer actual = null;
                try {
                    actual = core.apply(config);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    if (factoryError == null) {
                        fail(where + ": the factory reads it, core fromConfig rejects it: " + e.getMessage());
                    }
                }
                if (factoryError != null) {
                    assertEquals(null, actual, where + ": the factory rejects it (" + factoryError + "), core reads it");
                    continue;
                }
                assertEquals(comparable(expected), comparable(actual), where);
                compared++;
            }
        }
        assertTrue(compared > 10, "layer configs compared: " + compared);
    }
}
