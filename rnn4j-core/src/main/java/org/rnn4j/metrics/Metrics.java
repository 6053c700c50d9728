package org.rnn4j.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.rnn4j.util.Names;

/**
 * Keras's {@code keras.metrics.get} plus compile's {@code "accuracy"} shortcut. The metric's
 * name in logs is the identifier as given, as in Keras ({@code metrics=["mae"]} logs {@code mae}).
 */
public final class Metrics {
    private static final Map<String, Function<String, Metric>> REGISTRY = new LinkedHashMap<>();

    static {
        register(ElementwiseMetric::mae, "mae", "MAE", "mean_absolute_error", "MeanAbsoluteError");
        register(ElementwiseMetric::mse, "mse", "MSE", "mean_squared_error", "MeanSquaredError");
        register(ElementwiseMetric::mape, "mape", "MAPE", "mean_absolute_percentage_error",
                "MeanAbsolutePercentageError");
        register(RootMeanSquaredError::new, "root_mean_squared_error", "RootMeanSquaredError");
        register(ElementwiseMetric::binaryAccuracy, "binary_accuracy", "BinaryAccuracy");
        register(n -> new ArgmaxAccuracy(n, false), "categorical_accuracy", "CategoricalAccuracy");
        register(n -> new ArgmaxAccuracy(n, true), "sparse_categorical_accuracy", "SparseCategoricalAccuracy");
    }

    private Metrics() {
    }

    private static void register(Function<String, Metric> factory, String... names) {
        for (String n : names) {
            REGISTRY.put(n, factory);
        }
    }

    /** A new metric for a Keras identifier; {@code accuracy}/{@code acc} (any case) resolve by shapes. */
    public static Metric get(String identifier) {
        if (identifier == null) {
            throw new IllegalArgumentException("Metric identifier is null; give a name such as 'mae'");
        }
        String lower = identifier.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("accuracy") || lower.equals("acc")) {
            return new Accuracy(identifier);
        }
        Function<String, Metric> f = REGISTRY.get(identifier);
        if (f == null) {
            java.util.Set<String> valid = new java.util.TreeSet<>(REGISTRY.keySet());
            valid.add("accuracy");
            throw Names.unknown("metric", identifier, valid);
        }
        return f.apply(identifier);
    }
}
