package org.rnn4j.losses;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.rnn4j.util.Names;

/**
 * Keras's {@code keras.losses.get}: function names, class names and the aliases Keras registers
 * ({@code mse}/{@code MSE}, {@code mae}, {@code mape}, {@code bce}). Case-sensitive, as Keras is.
 */
public final class Losses {
    private static final Map<String, Supplier<Loss>> REGISTRY = new LinkedHashMap<>();

    static {
        register(MeanSquaredError::new, "mean_squared_error", "MeanSquaredError", "mse", "MSE");
        register(MeanAbsoluteError::new, "mean_absolute_error", "MeanAbsoluteError", "mae", "MAE");
        register(MeanAbsolutePercentageError::new, "mean_absolute_percentage_error",
                "MeanAbsolutePercentageError", "mape", "MAPE");
        register(Huber::new, "huber", "Huber");
        register(LogCosh::new, "log_cosh", "LogCosh");
        register(BinaryCrossentropy::new, "binary_crossentropy", "BinaryCrossentropy", "bce", "BCE");
        register(CategoricalCrossentropy::new, "categorical_crossentropy", "CategoricalCrossentropy");
        register(SparseCategoricalCrossentropy::new, "sparse_categorical_crossentropy",
                "SparseCategoricalCrossentropy");
    }

    private Losses() {
    }

    private static void register(Supplier<Loss> factory, String... names) {
        for (String n : names) {
            REGISTRY.put(n, factory);
        }
    }

    /** A new loss for a Keras identifier; unknown names fail with a suggestion and the valid list. */
    public static Loss get(String identifier) {
        if (identifier == null) {
            throw new IllegalArgumentException("Loss identifier is null; give a name such as 'mean_squared_error'");
        }
        Supplier<Loss> f = REGISTRY.get(identifier);
        if (f == null) {
            throw Names.unknown("loss", identifier, REGISTRY.keySet());
        }
        return f.get();
    }

    /**
     * A loss from Keras's serialized form: a string identifier, or a map with {@code class_name}
     * and {@code config} (as in a {@code .keras} file's {@code compile_config}).
     */
    @SuppressWarnings("unchecked")
    public static Loss fromConfig(Object serialized) {
        if (serialized instanceof String) {
            return get((String) serialized);
        }
        if (!(serialized instanceof Map)) {
            throw new IllegalArgumentException("Cannot read a loss from " + serialized);
        }
        Map<String, Object> m = (Map<String, Object>) serialized;
        String cls = String.valueOf(m.get("class_name"));
        Map<String, Object> c = m.get("config") instanceof Map ? (Map<String, Object>) m.get("config") : Map.of();
        boolean fromLogits = Boolean.TRUE.equals(c.get("from_logits"));
        double smoothing = c.get("label_smoothing") instanceof Number ? ((Number) c.get("label_smoothing")).doubleValue() : 0;
        switch (cls) {
            case "Huber":
                return new Huber(c.get("delta") instanceof Number ? ((Number) c.get("delta")).doubleValue() : 1.0);
            case "BinaryCrossentropy":
                return new BinaryCrossentropy(fromLogits, smoothing);
            case "CategoricalCrossentropy":
                return new CategoricalCrossentropy(fromLogits, smoothing);
            case "SparseCategoricalCrossentropy":
                return new SparseCategoricalCrossentropy(fromLogits);
            default:
                return get(cls);
        }
    }

    /** Keras's {@code serialize_keras_object} form of a loss object. */
    public static Map<String, Object> serialize(Loss loss) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "keras.losses");
        m.put("class_name", loss.className());
        m.put("config", loss.config());
        m.put("registered_name", null);
        return m;
    }

    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(REGISTRY.keySet());
    }
}
