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
        REGISTRY.put("nadam", Nadam::new);
        REGISTRY.put("adamax", Adamax::new);
        REGISTRY.put("lion", Lion::new);
        REGISTRY.put("adadelta", Adadelta::new);
        REGISTRY.put("ftrl", Ftrl::new);
        REGISTRY.put("lamb", Lamb::new);
        REGISTRY.put("adafactor", Adafactor::new);
    }

    private Optimizers() {
    }

    /** A new optimizer with Keras's defaults; null for null, as Keras's {@code optimizers.get(None)}. */
    public static Optimizer get(String identifier) {
        if (identifier == null) {
            return null;
        }
        Supplier<Optimizer> f = REGISTRY.get(identifier.toLowerCase(Locale.ROOT));
        if (f == null) {
            throw Names.unknown("optimizer", identifier, REGISTRY.keySet());
        }
        return f.get();
    }

    /** Keras's {@code serialize_keras_object} form, as in a {@code .keras} file's {@code compile_config}. */
    public static Map<String, Object> serialize(Optimizer optimizer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "keras.optimizers");
        m.put("class_name", optimizer.className());
        m.put("config", optimizer.config());
        m.put("registered_name", null);
        return m;
    }

    /**
     * An optimizer from Keras's serialized form: a string, or a map with {@code class_name} and
     * {@code config} (learning rate as a number or an ExponentialDecay/CosineDecay schedule).
     */
    @SuppressWarnings("unchecked")
    public static Optimizer fromConfig(Object serialized) {
        if (serialized instanceof String) {
            return get((String) serialized);
        }
        if (!(serialized instanceof Map)) {
            throw new IllegalArgumentException("Cannot read an optimizer from " + serialized);
        }
        Map<String, Object> m = (Map<String, Object>) serialized;
        String cls = String.valueOf(m.get("class_name"));
        Map<String, Object> c = m.get("config") instanceof Map ? (Map<String, Object>) m.get("config") : Map.of();
        Object lrSpec = c.get("learning_rate");
        LearningRateSchedule schedule = lrSpec instanceof Map ? schedule((Map<String, Object>) lrSpec) : null;
        double lr = lrSpec instanceof Number ? ((Number) lrSpec).doubleValue() : Double.NaN;
        Optimizer o;
        switch (cls.toLowerCase(Locale.ROOT)) {
            case "sgd":
                double momentum = num(c, "momentum", 0);
                boolean nesterov = Boolean.TRUE.equals(c.get("nesterov"));
                o = schedule != null ? new SGD(schedule, momentum, nesterov) : new SGD(or(lr, 0.01), momentum, nesterov);
                break;
            case "adam":
            case "adamw":
                Adam a;
                if (cls.equalsIgnoreCase("adamw")) {
                    if (c.containsKey("weight_decay") && c.get("weight_decay") == null) {
                        throw new IllegalArgumentException("Argument `weight_decay` must be a float. Received: weight_decay=None");
                    }
                    double wd = num(c, "weight_decay", 0.004);
                    a = schedule != null ? new AdamW(schedule, wd) : new AdamW(or(lr, 0.001), wd);
                } else {
                    a = schedule != null ? new Adam(schedule) : new Adam(or(lr, 0.001));
                }
                a.beta1(num(c, "beta_1", 0.9)).beta2(num(c, "beta_2", 0.999)).epsilon(num(c, "epsilon", 1e-7))
                        .amsgrad(Boolean.TRUE.equals(c.get("amsgrad")));
                o = a;
                break;
            case "rmsprop":
                RMSprop r = schedule != null ? new RMSprop(schedule) : new RMSprop(or(lr, 0.001));
                r.rho(num(c, "rho", 0.9)).momentum(num(c, "momentum", 0)).epsilon(num(c, "epsilon", 1e-7))
                        .centered(Boolean.TRUE.equals(c.get("centered")));
                o = r;
                break;
            case "adagrad":
                double ia = num(c, "initial_accumulator_value", 0.1);
                double eps = num(c, "epsilon", 1e-7);
                o = schedule != null ? new Adagrad(schedule, ia, eps) : new Adagrad(or(lr, 0.001), ia, eps);
                break;
            case "adadelta":
                o = (schedule != null ? new Adadelta(schedule) : new Adadelta(or(lr, 0.001)))
                        .rho(num(c, "rho", 0.95)).epsilon(num(c, "epsilon", 1e-7));
                break;
            case "ftrl":
                o = (schedule != null ? new Ftrl(schedule) : new Ftrl(or(lr, 0.001)))
                        .learningRatePower(num(c, "learning_rate_power", -0.5))
                        .initialAccumulatorValue(num(c, "initial_accumulator_value", 0.1))
                        .l1RegularizationStrength(num(c, "l1_regularization_strength", 0))
                        .l2RegularizationStrength(num(c, "l2_regularization_strength", 0))
                        .l2ShrinkageRegularizationStrength(num(c, "l2_shrinkage_regularization_strength", 0))
                        .beta(num(c, "beta", 0));
                break;
            case "lamb":
                o = (schedule != null ? new Lamb(schedule) : new Lamb(or(lr, 0.001)))
                        .beta1(num(c, "beta_1", 0.9)).beta2(num(c, "beta_2", 0.999)).epsilon(num(c, "epsilon", 1e-7));
                break;
            case "adafactor":
                o = (schedule != null ? new Adafactor(schedule) : new Adafactor(or(lr, 0.001)))
                        .beta2Decay(num(c, "beta_2_decay", -0.8)).epsilon1(num(c, "epsilon_1", 1e-30))
                        .epsilon2(num(c, "epsilon_2", 1e-3)).clipThreshold(num(c, "clip_threshold", 1.0))
                        .relativeStep(!Boolean.FALSE.equals(c.get("relative_step")));
                break;
            case "nadam":
                o = (schedule != null ? new Nadam(schedule) : new Nadam(or(lr, 0.001)))
                        .beta1(num(c, "beta_1", 0.9)).beta2(num(c, "beta_2", 0.999)).epsilon(num(c, "epsilon", 1e-7));
                break;
            case "adamax":
                o = (schedule != null ? new Adamax(schedule) : new Adamax(or(lr, 0.001)))
                        .beta1(num(c, "beta_1", 0.9)).beta2(num(c, "beta_2", 0.999)).epsilon(num(c, "epsilon", 1e-7));
                break;
            case "lion":
                o = (schedule != null ? new Lion(schedule) : new Lion(or(lr, 0.001)))
                        .beta1(num(c, "beta_1", 0.9)).beta2(num(c, "beta_2", 0.99));
                break;
            default:
                throw Names.unknown("optimizer", cls, REGISTRY.keySet());
        }
        if (Boolean.TRUE.equals(c.get("use_ema"))) {
            o.useEma(true);
        }
        if (c.get("ema_momentum") instanceof Number) {
            o.emaMomentum(((Number) c.get("ema_momentum")).doubleValue());
        }
        if (c.get("ema_overwrite_frequency") instanceof Number) {
            o.emaOverwriteFrequency(((Number) c.get("ema_overwrite_frequency")).intValue());
        }
        if (c.get("name") instanceof String) {
            o.name((String) c.get("name"));
        }
        if (c.get("clipnorm") instanceof Number) {
            o.clipnorm(((Number) c.get("clipnorm")).doubleValue());
        }
        if (c.get("clipvalue") instanceof Number) {
            o.clipvalue(((Number) c.get("clipvalue")).doubleValue());
        }
        if (c.get("global_clipnorm") instanceof Number) {
            o.globalClipnorm(((Number) c.get("global_clipnorm")).doubleValue());
        }
        if (!cls.equalsIgnoreCase("adamw") && c.get("weight_decay") instanceof Number) {
            o.weightDecay(((Number) c.get("weight_decay")).doubleValue());
        }
        if (c.get("loss_scale_factor") instanceof Number) {
            o.lossScaleFactor(((Number) c.get("loss_scale_factor")).doubleValue());
        }
        if (c.get("gradient_accumulation_steps") instanceof Number) {
            o.gradientAccumulationSteps(((Number) c.get("gradient_accumulation_steps")).intValue());
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    private static LearningRateSchedule schedule(Map<String, Object> m) {
        String cls = String.valueOf(m.get("class_name"));
        Map<String, Object> c = (Map<String, Object>) m.get("config");
        double lr0 = num(c, "initial_learning_rate", 0);
        switch (cls) {
            case "ExponentialDecay":
                return new ExponentialDecay(lr0, (long) num(c, "decay_steps", 1), num(c, "decay_rate", 1),
                        Boolean.TRUE.equals(c.get("staircase")), str(c, "name", "ExponentialDecay"));
            case "CosineDecay":
                return new CosineDecay(lr0, (long) num(c, "decay_steps", 1), num(c, "alpha", 0), str(c, "name", "CosineDecay"),
                        c.get("warmup_target") instanceof Number ? ((Number) c.get("warmup_target")).doubleValue() : null,
                        (long) num(c, "warmup_steps", 0));
            case "PiecewiseConstantDecay":
                return new PiecewiseConstantDecay(numbers(c, "boundaries"), numbers(c, "values"),
                        str(c, "name", "PiecewiseConstant"));
            case "PolynomialDecay":
                return new PolynomialDecay(lr0, (long) num(c, "decay_steps", 1), num(c, "end_learning_rate", 0.0001),
                        num(c, "power", 1.0), Boolean.TRUE.equals(c.get("cycle")), str(c, "name", "PolynomialDecay"));
            case "InverseTimeDecay":
                return new InverseTimeDecay(lr0, num(c, "decay_steps", 1), num(c, "decay_rate", 1),
                        Boolean.TRUE.equals(c.get("staircase")), str(c, "name", "InverseTimeDecay"));
            case "CosineDecayRestarts":
                return new CosineDecayRestarts(lr0, (long) num(c, "first_decay_steps", 1), num(c, "t_mul", 2.0),
                        num(c, "m_mul", 1.0), num(c, "alpha", 0), str(c, "name", "SGDRDecay"));
            default:
                throw new IllegalArgumentException("Unsupported learning-rate schedule '" + cls + "'; supported:"
                        + " ExponentialDecay, CosineDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay,"
                        + " CosineDecayRestarts");
        }
    }

    /** A schedule from Keras's serialized form ({@code class_name} and {@code config}). */
    public static LearningRateSchedule scheduleFromConfig(Map<String, Object> serialized) {
        return schedule(serialized);
    }

    /** Keras's {@code keras.optimizers.schedules.serialize}. */
    public static Map<String, Object> serialize(LearningRateSchedule schedule) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("module", "keras.optimizers.schedules");
        s.put("class_name", schedule.className());
        s.put("config", schedule.config());
        s.put("registered_name", null);
        return s;
    }

    /** The string at {@code key}; the fallback when absent; null when null (Keras 2 files write {@code "name": null}). */
    private static String str(Map<String, Object> c, String key, String fallback) {
        Object v = c.get(key);
        return v instanceof String ? (String) v : c.containsKey(key) && v == null ? null : fallback;
    }

    private static java.util.List<Number> numbers(Map<String, Object> c, String key) {
        java.util.List<Number> out = new java.util.ArrayList<>();
        if (c.get(key) instanceof java.util.List) {
            for (Object x : (java.util.List<?>) c.get(key)) {
                out.add((Number) x);
            }
        }
        return out;
    }

    private static double num(Map<String, Object> c, String key, double fallback) {
        Object v = c.get(key);
        return v instanceof Number ? ((Number) v).doubleValue() : fallback;
    }

    private static double or(double v, double fallback) {
        return Double.isNaN(v) ? fallback : v;
    }

    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(REGISTRY.keySet());
    }
}
