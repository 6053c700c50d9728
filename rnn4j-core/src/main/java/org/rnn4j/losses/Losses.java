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

    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(REGISTRY.keySet());
    }
}
