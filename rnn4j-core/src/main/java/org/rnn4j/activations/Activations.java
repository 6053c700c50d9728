package org.rnn4j.activations;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.rnn4j.util.Names;

/** Keras's activations by identifier, with Keras 3 definitions. */
public final class Activations {
    private static final Map<String, Supplier<Activation>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("linear", () -> new ElementWise("linear") {
            float apply(float x) { return x; }
            float derivative(float x, float y) { return 1f; }
            @Override public boolean derivativeFromOutput() { return true; }
        });
        BY_NAME.put("relu", () -> new ElementWise("relu") {
            float apply(float x) { return x > 0f ? x : 0f; }
            float derivative(float x, float y) { return y > 0f ? 1f : 0f; }
            @Override public boolean derivativeFromOutput() { return true; }
        });
        BY_NAME.put("relu6", () -> new ElementWise("relu6") {
            float apply(float x) { return Math.min(Math.max(x, 0f), 6f); }
            float derivative(float x, float y) { return y > 0f && y < 6f ? 1f : 0f; }
            @Override public boolean derivativeFromOutput() { return true; }
        });
        BY_NAME.put("tanh", () -> new ElementWise("tanh") {
            float apply(float x) { return (float) Math.tanh(x); }
            float derivative(float x, float y) { return 1f - y * y; }
            @Override public boolean derivativeFromOutput() { return true; }
        });
        BY_NAME.put("sigmoid", () -> new ElementWise("sigmoid") {
            float apply(float x) { return sigmoid(x); }
            float derivative(float x, float y) { return y * (1f - y); }
            @Override public boolean derivativeFromOutput() { return true; }
        });
        // Keras 3: clip(x / 6 + 0.5, 0, 1) (Keras 2 used 0.2 x + 0.5).
        BY_NAME.put("hard_sigmoid", () -> new ElementWise("hard_sigmoid") {
            float apply(float x) { return Math.min(Math.max(x / 6f + 0.5f, 0f), 1f); }
            float derivative(float x, float y) { return x > -3f && x < 3f ? 1f / 6f : 0f; }
        });
        BY_NAME.put("hard_silu", () -> new ElementWise("hard_silu") {
            float apply(float x) { return x * Math.min(Math.max(x / 6f + 0.5f, 0f), 1f); }
            float derivative(float x, float y) {
                if (x <= -3f) { return 0f; }
                if (x >= 3f) { return 1f; }
                return x / 3f + 0.5f;
            }
        });
        BY_NAME.put("elu", () -> new ElementWise("elu") {
            float apply(float x) { return x > 0f ? x : (float) Math.expm1(x); }
            float derivative(float x, float y) { return x > 0f ? 1f : y + 1f; }
        });
        BY_NAME.put("selu", () -> new ElementWise("selu") {
            static final float ALPHA = 1.6732632423543772f;
            static final float SCALE = 1.0507009873554805f;
            float apply(float x) { return x > 0f ? SCALE * x : SCALE * ALPHA * (float) Math.expm1(x); }
            float derivative(float x, float y) { return x > 0f ? SCALE : y + SCALE * ALPHA; }
        });
        BY_NAME.put("softplus", () -> new ElementWise("softplus") {
            float apply(float x) { return softplus(x); }
            float derivative(float x, float y) { return sigmoid(x); }
        });
        BY_NAME.put("softsign", () -> new ElementWise("softsign") {
            float apply(float x) { return x / (1f + Math.abs(x)); }
            float derivative(float x, float y) { float d = 1f + Math.abs(x); return 1f / (d * d); }
        });
        Supplier<Activation> silu = () -> new ElementWise("silu") {
            float apply(float x) { return x * sigmoid(x); }
            float derivative(float x, float y) { float s = sigmoid(x); return s * (1f + x * (1f - s)); }
        };
        BY_NAME.put("silu", silu);
        BY_NAME.put("swish", silu);
        // Keras 3 default: exact gelu, 0.5 x (1 + erf(x / sqrt 2)).
        BY_NAME.put("gelu", () -> new ElementWise("gelu") {
            float apply(float x) { return (float) (0.5 * x * (1.0 + erf(x / Math.sqrt(2.0)))); }
            float derivative(float x, float y) {
                double cdf = 0.5 * (1.0 + erf(x / Math.sqrt(2.0)));
                double pdf = Math.exp(-0.5 * x * x) / Math.sqrt(2.0 * Math.PI);
                return (float) (cdf + x * pdf);
            }
        });
        // Keras 3's leaky_relu default negative_slope is 0.2.
        BY_NAME.put("leaky_relu", () -> new ElementWise("leaky_relu") {
            float apply(float x) { return x > 0f ? x : 0.2f * x; }
            float derivative(float x, float y) { return x > 0f ? 1f : 0.2f; }
        });
        BY_NAME.put("exponential", () -> new ElementWise("exponential") {
            float apply(float x) { return (float) Math.exp(x); }
            float derivative(float x, float y) { return y; }
            @Override public boolean derivativeFromOutput() { return true; }
        });
        BY_NAME.put("mish", () -> new ElementWise("mish") {
            float apply(float x) { return x * (float) Math.tanh(softplus(x)); }
            float derivative(float x, float y) {
                double t = Math.tanh(softplus(x));
                return (float) (t + x * sigmoid(x) * (1 - t * t));
            }
        });
        BY_NAME.put("softmax", Softmax::new);
        BY_NAME.put("log_softmax", LogSoftmax::new);
    }

    private Activations() {
    }

    /** Resolves a Keras identifier (case-insensitive; {@code null} or "" means linear). */
    public static Activation get(String name) {
        if (name == null || name.isEmpty() || name.equalsIgnoreCase("none")) {
            return BY_NAME.get("linear").get();
        }
        Supplier<Activation> s = BY_NAME.get(name.toLowerCase(Locale.ROOT));
        if (s == null) {
            throw Names.unknown("activation", name, BY_NAME.keySet());
        }
        return s.get();
    }

    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(BY_NAME.keySet());
    }

    public static float sigmoid(float x) {
        if (x >= 0f) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

    static float softplus(float x) {
        // log(1 + e^x) without overflow.
        return (float) (Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs((double) x))));
    }

    /** erf with |error| below 1.2e-7 (Numerical Recipes erfc Chebyshev form). */
    static double erf(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1.0 - r : r - 1.0;
    }
}
