package org.rnn4j.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.losses.Loss;
import org.rnn4j.losses.Losses;
import org.rnn4j.metrics.Metric;
import org.rnn4j.metrics.Metrics;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.optimizers.Optimizers;

/**
 * Keras's {@code compile(...)} arguments, for models with one output or several:
 * <pre>{@code
 * model.compile(CompileOptions.optimizer("adam")
 *         .loss("reg", "mse").loss("cls", "categorical_crossentropy")
 *         .lossWeight("cls", 0.5)
 *         .outputMetrics("cls", "accuracy"));
 * }</pre>
 * A loss or metrics given without an output name apply to every output. Identifiers are
 * resolved at once, so a misspelt name fails at {@code compile}.
 */
public final class CompileOptions {
    private final Optimizer optimizer;
    private Object loss;                       // one for every output: String or Loss
    private final Map<String, Object> lossesByName = new LinkedHashMap<>();
    private List<Object> lossesByPosition;
    private final Map<String, Double> weightsByName = new LinkedHashMap<>();
    private List<Double> weightsByPosition;
    private final List<Object> metrics = new ArrayList<>();  // String or Metric, every output
    private final Map<String, List<Object>> metricsByName = new LinkedHashMap<>();

    private CompileOptions(Optimizer optimizer) {
        if (optimizer == null) {
            throw new IllegalArgumentException("compile() needs an optimizer");
        }
        this.optimizer = optimizer;
    }

    public static CompileOptions optimizer(String identifier) {
        return new CompileOptions(Optimizers.get(identifier));
    }

    public static CompileOptions optimizer(Optimizer optimizer) {
        return new CompileOptions(optimizer);
    }

    /** The loss of every output. */
    public CompileOptions loss(String identifier) {
        Losses.get(identifier);
        this.loss = identifier;
        return this;
    }

    public CompileOptions loss(Loss value) {
        this.loss = value;
        return this;
    }

    /** The loss of the output named {@code output} (Keras's {@code loss={"name": ...}}). */
    public CompileOptions loss(String output, String identifier) {
        Losses.get(identifier);
        lossesByName.put(output, identifier);
        return this;
    }

    public CompileOptions loss(String output, Loss value) {
        lossesByName.put(output, value);
        return this;
    }

    /** One loss per output, in output order (identifiers or {@link Loss} objects). */
    public CompileOptions losses(List<?> perOutput) {
        for (Object o : perOutput) {
            if (o instanceof String) {
                Losses.get((String) o);
            } else if (!(o instanceof Loss)) {
                throw new IllegalArgumentException("compile: a loss must be an identifier or a Loss, got " + o);
            }
        }
        this.lossesByPosition = new ArrayList<>(perOutput);
        return this;
    }

    public CompileOptions lossWeight(String output, double weight) {
        weightsByName.put(output, weight);
        return this;
    }

    public CompileOptions lossWeights(List<Double> perOutput) {
        this.weightsByPosition = new ArrayList<>(perOutput);
        return this;
    }

    /** Metrics of every output. */
    public CompileOptions metrics(String... identifiers) {
        for (String m : identifiers) {
            Metrics.get(m);
            metrics.add(m);
        }
        return this;
    }

    public CompileOptions metricObjects(List<Metric> values) {
        metrics.addAll(values);
        return this;
    }

    /** Metrics of the output named {@code output}. */
    public CompileOptions outputMetrics(String output, String... identifiers) {
        List<Object> l = metricsByName.computeIfAbsent(output, k -> new ArrayList<>());
        for (String m : identifiers) {
            Metrics.get(m);
            l.add(m);
        }
        return this;
    }

    /** What compile resolved: a loss, weight and metric list per output, and the config to save. */
    static final class Resolved {
        final Optimizer optimizer;
        final List<Loss> losses;
        final double[] lossWeights;
        final List<List<Metric>> metrics;
        final Object lossSpec;
        final Object lossWeightsSpec;
        final Object metricsSpec;

        Resolved(Optimizer optimizer, List<Loss> losses, double[] lossWeights, List<List<Metric>> metrics,
                 Object lossSpec, Object lossWeightsSpec, Object metricsSpec) {
            this.optimizer = optimizer;
            this.losses = losses;
            this.lossWeights = lossWeights;
            this.metrics = metrics;
            this.lossSpec = lossSpec;
            this.lossWeightsSpec = lossWeightsSpec;
            this.metricsSpec = metricsSpec;
        }
    }

    /** Resolves per output; {@code outputNames} is null for a model not built yet (then one output). */
    Resolved resolve(String modelName, List<String> outputNames) {
        List<String> names = outputNames == null ? List.of("output") : outputNames;
        int n = names.size();
        checkNames(modelName, lossesByName.keySet(), names, "loss");
        checkNames(modelName, weightsByName.keySet(), names, "lossWeight");
        checkNames(modelName, metricsByName.keySet(), names, "metrics");
        if (lossesByPosition != null && lossesByPosition.size() != n) {
            throw new IllegalArgumentException("Model '" + modelName + "' has " + n + " outputs " + names + " but "
                    + lossesByPosition.size() + " losses were given");
        }
        if (weightsByPosition != null && weightsByPosition.size() != n) {
            throw new IllegalArgumentException("Model '" + modelName + "' has " + n + " outputs " + names + " but "
                    + weightsByPosition.size() + " loss weights were given");
        }
        List<Loss> losses = new ArrayList<>();
        double[] weights = new double[n];
        List<List<Metric>> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = names.get(i);
            Object spec = lossesByPosition != null ? lossesByPosition.get(i)
                    : lossesByName.containsKey(name) ? lossesByName.get(name) : loss;
            if (spec == null) {
                throw new IllegalArgumentException("Model '" + modelName + "': no loss for output '" + name
                        + "'; give one with loss(\"" + name + "\", ...) or loss(...) for every output");
            }
            losses.add(spec instanceof Loss ? (Loss) spec : Losses.get((String) spec));
            weights[i] = weightsByPosition != null ? weightsByPosition.get(i) : weightsByName.getOrDefault(name, 1.0);
            List<Metric> list = new ArrayList<>();
            for (Object m : metrics) {
                list.add(m instanceof Metric ? (n == 1 ? (Metric) m : Metrics.get(((Metric) m).name())) : Metrics.get((String) m));
            }
            for (Object m : metricsByName.getOrDefault(name, List.of())) {
                list.add(Metrics.get((String) m));
            }
            ms.add(list);
        }
        return new Resolved(optimizer, losses, weights, ms, lossSpec(), weightsSpec(), metricsSpec());
    }

    private Object lossSpec() {
        if (lossesByPosition != null) {
            List<Object> l = new ArrayList<>();
            for (Object o : lossesByPosition) {
                l.add(o instanceof Loss ? Losses.serialize((Loss) o) : o);
            }
            return l;
        }
        if (!lossesByName.isEmpty()) {
            Map<String, Object> m = new LinkedHashMap<>();
            lossesByName.forEach((k, v) -> m.put(k, v instanceof Loss ? Losses.serialize((Loss) v) : v));
            return m;
        }
        return loss instanceof Loss ? Losses.serialize((Loss) loss) : loss;
    }

    private Object weightsSpec() {
        if (weightsByPosition != null) {
            return new ArrayList<>(weightsByPosition);
        }
        return weightsByName.isEmpty() ? null : new LinkedHashMap<>(weightsByName);
    }

    private Object metricsSpec() {
        if (!metricsByName.isEmpty()) {
            Map<String, Object> m = new LinkedHashMap<>();
            metricsByName.forEach((k, v) -> m.put(k, new ArrayList<>(v)));
            return m;
        }
        if (metrics.isEmpty()) {
            return null;
        }
        List<Object> l = new ArrayList<>();
        for (Object o : metrics) {
            l.add(o instanceof Metric ? ((Metric) o).name() : o);
        }
        return l;
    }

    private static void checkNames(String modelName, java.util.Set<String> given, List<String> names, String what) {
        for (String g : given) {
            if (!names.contains(g)) {
                throw new IllegalArgumentException("Model '" + modelName + "': " + what + " for unknown output '" + g
                        + "'; the outputs are " + names);
            }
        }
    }
}
