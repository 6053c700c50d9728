package org.rnn4j.losses;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.rnn4j.util.Names;

/**
 * Keras's {@code keras.losses.get}: function names, class names and the aliases Keras registers
 * ({@code mse}/{@code MSE}, {@code mae}, {@code mape}, {@code msle}, {@code bce}, {@code kld}). Case-sensitive, as Keras is.
 */
public final class Losses {
    private static final Map<String, Supplier<Loss>> REGISTRY = new LinkedHashMap<>();

    static {
        register(MeanSquaredError::new, "mean_squared_error", "MeanSquaredError", "mse", "MSE");
        register(MeanAbsoluteError::new, "mean_absolute_error", "MeanAbsoluteError", "mae", "MAE");
        register(MeanAbsolutePercentageError::new, "mean_absolute_percentage_error",
                "MeanAbsolutePercentageError", "mape", "MAPE");
        register(MeanSquaredLogarithmicError::new, "mean_squared_logarithmic_error",
                "MeanSquaredLogarithmicError", "msle", "MSLE");
        register(Poisson::new, "poisson", "Poisson");
        register(Huber::new, "huber", "Huber");
        register(LogCosh::new, "log_cosh", "LogCosh");
        register(BinaryCrossentropy::new, "binary_crossentropy", "BinaryCrossentropy", "bce", "BCE");
        register(CategoricalCrossentropy::new, "categorical_crossentropy", "CategoricalCrossentropy");
        register(SparseCategoricalCrossentropy::new, "sparse_categorical_crossentropy",
                "SparseCategoricalCrossentropy");
        register(BinaryFocalCrossentropy::new, "binary_focal_crossentropy", "BinaryFocalCrossentropy");
        register(CategoricalFocalCrossentropy::new, "categorical_focal_crossentropy", "CategoricalFocalCrossentropy");
        register(KLDivergence::new, "kl_divergence", "KLDivergence", "kld", "KLD");
        register(CosineSimilarity::new, "cosine_similarity", "CosineSimilarity");
        register(Hinge::new, "hinge", "Hinge");
        register(SquaredHinge::new, "squared_hinge", "SquaredHinge");
        register(CategoricalHinge::new, "categorical_hinge", "CategoricalHinge");
        register(Dice::new, "dice", "Dice");
        register(Tversky::new, "tversky", "Tversky");
        register(Circle::new, "circle", "Circle");
        register(CTC::new, "ctc", "CTC");
        // CategoricalGeneralizedCrossEntropy has no string name in Keras 3.15 (keras.losses.get rejects it);
        // it is read from a serialized config by its class name (fromConfig below)
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
        return fromConfig(cls, c);
    }

    /**
     * A loss from its Keras class name and {@code get_config} keys ({@code name}, {@code reduction},
     * {@code from_logits}, {@code label_smoothing}, {@code ignore_class}, {@code alpha}, {@code gamma},
     * {@code apply_class_balancing}, {@code delta}, {@code axis}, {@code beta}, {@code margin},
     * {@code remove_diagonal}, {@code q}); absent keys take Keras's defaults.
     */
    public static Loss fromConfig(String cls, Map<String, Object> c) {
        boolean fromLogits = Boolean.TRUE.equals(c.get("from_logits"));
        double smoothing = num(c, "label_smoothing", 0);
        BaseLoss loss;
        switch (cls) {
            case "Huber":
                loss = new Huber(num(c, "delta", 1.0));
                break;
            case "BinaryCrossentropy":
                loss = new BinaryCrossentropy(fromLogits, smoothing);
                break;
            case "CategoricalCrossentropy":
                loss = new CategoricalCrossentropy(fromLogits, smoothing);
                break;
            case "SparseCategoricalCrossentropy":
                Object ic = c.get("ignore_class");
                loss = new SparseCategoricalCrossentropy(fromLogits, ic instanceof Number ? ((Number) ic).intValue() : null);
                break;
            case "BinaryFocalCrossentropy":
                loss = new BinaryFocalCrossentropy(Boolean.TRUE.equals(c.get("apply_class_balancing")),
                        num(c, "alpha", 0.25), num(c, "gamma", 2.0), fromLogits, smoothing);
                break;
            case "CategoricalFocalCrossentropy":
                Object a = c.get("alpha");
                double[] alpha;
                if (a instanceof java.util.List) {
                    java.util.List<?> l = (java.util.List<?>) a;
                    alpha = new double[l.size()];
                    for (int i = 0; i < alpha.length; i++) {
                        alpha[i] = ((Number) l.get(i)).doubleValue();
                    }
                } else {
                    alpha = new double[] {a instanceof Number ? ((Number) a).doubleValue() : 0.25};
                }
                loss = new CategoricalFocalCrossentropy(alpha, num(c, "gamma", 2.0), fromLogits, smoothing);
                break;
            case "CosineSimilarity":
                loss = new CosineSimilarity((int) num(c, "axis", -1));
                break;
            case "Dice":
                loss = Dice.fromConfig(c);
                break;
            case "Tversky":
                loss = Tversky.fromConfig(c);
                break;
            case "Circle":
                loss = new Circle(num(c, "gamma", 80.0), num(c, "margin", 0.4), !Boolean.FALSE.equals(c.get("remove_diagonal")));
                break;
            case "CategoricalGeneralizedCrossEntropy":
                loss = new CategoricalGeneralizedCrossEntropy(num(c, "q", 0.5));
                break;
            default:
                Loss plain = get(cls);
                if (!(plain instanceof BaseLoss)) {
                    return plain;
                }
                loss = (BaseLoss) plain;
        }
        if (c.containsKey("reduction")) {
            loss.reduction((String) c.get("reduction"));
        }
        if (c.get("name") instanceof String) {
            loss.name((String) c.get("name"));
        }
        return loss;
    }

    private static double num(Map<String, Object> c, String key, double fallback) {
        Object v = c.get(key);
        return v instanceof Number ? ((Number) v).doubleValue() : fallback;
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
