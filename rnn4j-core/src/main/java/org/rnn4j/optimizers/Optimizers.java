package org.rnn4j.optimizers;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.rnn4j.util.Names;

/** Keras's {@code keras.optimizers.get} for string identifiers; case-insensitive ({@code "Adam"}, {@code "adam"}). */
public final class Optimizers {
    private static final Map<String, Supplier<Optimizer>> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put("sgd", SGD::new);
        REGISTRY.put("adam", Adam::new);
        REGISTRY.put("adamw", AdamW::new);
        REGISTRY.put("rmsprop", RMSprop::new);
        REGISTRY.put("adagrad", Adagrad::new);
    }

    private Optimizers() {
    }

    /** A new optimizer with Keras's defaults. */
    public static Optimizer get(String identifier) {
        if (identifier == null) {
            throw new IllegalArgumentException("Optimizer identifier is null; give a name such as 'adam'");
        }
        Supplier<Optimizer> f = REGISTRY.get(identifier.toLowerCase(Locale.ROOT));
        if (f == null) {
            throw Names.unknown("optimizer", identifier, REGISTRY.keySet());
        }
        return f.get();
    }

    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(REGISTRY.keySet());
    }
}
