package org.rnn4j.initializers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Names;
import org.rnn4j.util.Rng;

/** Keras's initializers by identifier (snake_case or class name), with Keras 3 defaults. */
public final class Initializers {
    private static final Map<String, Supplier<Initializer>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("zeros", () -> constant("zeros", 0f));
        BY_NAME.put("ones", () -> constant("ones", 1f));
        BY_NAME.put("glorot_uniform", () -> new VarianceScaling("glorot_uniform", 1.0, "fan_avg", "uniform"));
        BY_NAME.put("glorot_normal", () -> new VarianceScaling("glorot_normal", 1.0, "fan_avg", "truncated_normal"));
        BY_NAME.put("he_uniform", () -> new VarianceScaling("he_uniform", 2.0, "fan_in", "uniform"));
        BY_NAME.put("he_normal", () -> new VarianceScaling("he_normal", 2.0, "fan_in", "truncated_normal"));
        BY_NAME.put("lecun_uniform", () -> new VarianceScaling("lecun_uniform", 1.0, "fan_in", "uniform"));
        BY_NAME.put("lecun_normal", () -> new VarianceScaling("lecun_normal", 1.0, "fan_in", "truncated_normal"));
        BY_NAME.put("orthogonal", () -> new Orthogonal(1.0));
        BY_NAME.put("random_uniform", () -> uniform(-0.05f, 0.05f));
        BY_NAME.put("random_normal", () -> normal(0f, 0.05f));
        BY_NAME.put("truncated_normal", () -> truncatedNormal(0f, 0.05f));
        BY_NAME.put("identity", Initializers::identity);
    }

    private static final Map<String, String> CLASS_ALIASES = Map.ofEntries(
            Map.entry("zeros", "zeros"), Map.entry("ones", "ones"),
            Map.entry("glorotuniform", "glorot_uniform"), Map.entry("glorotnormal", "glorot_normal"),
            Map.entry("heuniform", "he_uniform"), Map.entry("henormal", "he_normal"),
            Map.entry("lecununiform", "lecun_uniform"), Map.entry("lecunnormal", "lecun_normal"),
            Map.entry("orthogonal", "orthogonal"), Map.entry("randomuniform", "random_uniform"),
            Map.entry("randomnormal", "random_normal"), Map.entry("truncatednormal", "truncated_normal"),
            Map.entry("identity", "identity"));

    private Initializers() {
    }

    /** Resolves {@code "glorot_uniform"}, {@code "GlorotUniform"}, ... */
    public static Initializer get(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        Supplier<Initializer> s = BY_NAME.get(key);
        if (s == null) {
            String alias = CLASS_ALIASES.get(key.replace("_", ""));
            s = alias == null ? null : BY_NAME.get(alias);
        }
        if (s == null) {
            throw Names.unknown("initializer", name, BY_NAME.keySet());
        }
        return s.get();
    }

    public static Initializer constant(String name, float value) {
        return new Initializer() {
            public String name() { return name; }
            public void fill(Tensor w, Rng rng) { Arrays.fill(w.data(), value); }
        };
    }

    public static Initializer constant(float value) {
        return constant("constant", value);
    }

    public static Initializer uniform(float low, float high) {
        return new Initializer() {
            public String name() { return "random_uniform"; }
            public void fill(Tensor w, Rng rng) {
                float[] d = w.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = rng.uniform(low, high);
                }
            }
        };
    }

    public static Initializer normal(float mean, float stddev) {
        return new Initializer() {
            public String name() { return "random_normal"; }
            public void fill(Tensor w, Rng rng) {
                float[] d = w.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (mean + stddev * rng.normal());
                }
            }
        };
    }

    public static Initializer truncatedNormal(float mean, float stddev) {
        return new Initializer() {
            public String name() { return "truncated_normal"; }
            public void fill(Tensor w, Rng rng) {
                float[] d = w.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (mean + stddev * truncated(rng));
                }
            }
        };
    }

    /** A standard normal redrawn until within two standard deviations, as Keras does. */
    static double truncated(Rng rng) {
        double v;
        do {
            v = rng.normal();
        } while (Math.abs(v) > 2.0);
        return v;
    }

    static Initializer identity() {
        return new Initializer() {
            public String name() { return "identity"; }
            public void fill(Tensor w, Rng rng) {
                if (w.rank() != 2) {
                    throw new IllegalArgumentException("identity initializer needs a 2D shape, got "
                            + org.rnn4j.tensor.Shapes.toString(w.shape()));
                }
                float[] d = w.data();
                Arrays.fill(d, 0f);
                int rows = w.dim(0);
                int cols = w.dim(1);
                for (int i = 0; i < Math.min(rows, cols); i++) {
                    d[i * cols + i] = 1f;
                }
            }
        };
    }

    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(BY_NAME.keySet());
    }
}
