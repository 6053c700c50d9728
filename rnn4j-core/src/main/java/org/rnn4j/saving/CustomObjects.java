package org.rnn4j.saving;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Java implementations of Keras classes rnn4j does not know, by their Keras class name: the
 * counterpart of Keras's {@code custom_objects}. A factory gets the class's Keras config
 * (snake_case keys, as in the file) and returns the object: a {@link org.rnn4j.layers.Layer} for
 * a custom layer, a {@link org.rnn4j.layers.recurrent.Cell} for a custom RNN cell.
 *
 * <pre>{@code
 * CustomObjects.register("MyCell", cfg -> new MyCell(((Number) cfg.get("units")).intValue()));
 * Model m = Models.load(path);   // RNN(MyCell(...)) now loads, trains and saves
 * }</pre>
 *
 * <p>Built-in class names take precedence: registering "Dense" does not replace rnn4j's Dense.
 */
public final class CustomObjects {
    private static final Map<String, Function<Map<String, Object>, ?>> FACTORIES = new ConcurrentHashMap<>();

    private CustomObjects() {
    }

    /** Registers (or replaces) the Java implementation of a Keras class name. */
    public static void register(String kerasClassName, Function<Map<String, Object>, ?> factory) {
        if (kerasClassName == null || kerasClassName.isEmpty() || factory == null) {
            throw new IllegalArgumentException("CustomObjects.register needs a class name and a factory");
        }
        FACTORIES.put(kerasClassName, factory);
    }

    /** Removes a registration; returns whether there was one. */
    public static boolean unregister(String kerasClassName) {
        return FACTORIES.remove(kerasClassName) != null;
    }

    public static boolean has(String kerasClassName) {
        return FACTORIES.containsKey(kerasClassName);
    }

    /** The registered class names, sorted. */
    public static Set<String> registered() {
        return new TreeSet<>(FACTORIES.keySet());
    }

    /**
     * Builds a registered class from its config, checking that the factory returned a
     * {@code type}; {@code where} names the object for messages.
     */
    public static <T> T create(String kerasClassName, Map<String, Object> config, Class<T> type, String where)
            throws ConfigException {
        Function<Map<String, Object>, ?> f = FACTORIES.get(kerasClassName);
        if (f == null) {
            throw new ConfigException(where + ": class '" + kerasClassName + "' is not registered");
        }
        Object o;
        try {
            o = f.apply(config);
        } catch (RuntimeException e) {
            throw new ConfigException(where + ": the factory registered for '" + kerasClassName
                    + "' with CustomObjects.register failed: " + e.getMessage(), e);
        }
        if (!type.isInstance(o)) {
            throw new ConfigException(where + ": the factory registered for '" + kerasClassName + "' returned "
                    + (o == null ? "null" : o.getClass().getName()) + ", but a " + type.getSimpleName()
                    + " is needed here");
        }
        return type.cast(o);
    }

    /** The hint appended to "unknown class" errors. */
    static String hint(String kerasClassName, String javaType) {
        if ("Lambda".equals(kerasClassName)) {
            return "; a Lambda layer holds Python code, which rnn4j cannot run: write the function as a Java " + javaType
                    + " and register it with CustomObjects.register(\"Lambda\", config -> new MyLayer(...)), or"
                    + " replace the Lambda by built-in layers before saving";
        }
        return "; if '" + kerasClassName + "' is your own class, supply its Java implementation with"
                + " CustomObjects.register(\"" + kerasClassName + "\", config -> new My" + javaType + "(...))";
    }
}
