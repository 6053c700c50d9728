package org.rnn4j.keras;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.losses.Losses;
import org.rnn4j.metrics.Metrics;
import org.rnn4j.models.CompileOptions;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.optimizers.Optimizers;

/**
 * The {@code training_config} of a legacy (Keras 2 / tf.keras) {@code .h5} file, turned into a
 * compile as Keras's {@code compile_args_from_training_config} does: the optimizer from
 * {@code optimizer_config}, the loss (one, or one per output as a list or a map by output name),
 * {@code loss_weights} and the metrics. Keras 2 spellings are read as they meant: {@code lr} is the
 * learning rate, a zero {@code decay} is dropped, {@code Custom>SGD} is SGD. What rnn4j cannot
 * honour (time-based {@code decay}, an unknown schedule, optimizer or loss) leaves the model
 * uncompiled with a warning, as Keras does when it has no training config; the weights are
 * complete without it. Metrics rnn4j does not know are left out, named in a warning.
 */
final class LegacyTrainingConfig {
    private LegacyTrainingConfig() {
    }

    static void compile(Model model, String trainingConfigJson, String file) {
        if (trainingConfigJson == null || trainingConfigJson.isBlank()) {
            return;
        }
        List<String> dropped = new ArrayList<>();
        try {
            Object parsed = Json.parse(trainingConfigJson, "training_config");
            if (!(parsed instanceof Map)) {
                throw new IllegalArgumentException("training_config is not a JSON object");
            }
            Map<?, ?> tc = (Map<?, ?>) parsed;
            CompileOptions options = CompileOptions.optimizer(optimizer(tc.get("optimizer_config")));
            List<String> outputs = model.outputNames();
            Object loss = tc.get("loss");
            if (loss instanceof List) {
                List<Object> perOutput = new ArrayList<>();
                for (Object l : (List<?>) loss) {
                    perOutput.add(loss(l));
                }
                options.losses(perOutput);
            } else if (loss instanceof Map && !((Map<?, ?>) loss).containsKey("class_name")) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) loss).entrySet()) {
                    options.loss(String.valueOf(e.getKey()), loss(e.getValue()));
                }
            } else if (loss != null) {
                options.loss(loss(loss));
            } else {
                throw new IllegalArgumentException("training_config has no loss");
            }
            Object lw = tc.get("loss_weights");
            if (lw instanceof List) {
                List<Double> ws = new ArrayList<>();
                for (Object w : (List<?>) lw) {
                    ws.add(((Number) w).doubleValue());
                }
                options.lossWeights(ws);
            } else if (lw instanceof Map) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) lw).entrySet()) {
                    options.lossWeight(String.valueOf(e.getKey()), ((Number) e.getValue()).doubleValue());
                }
            }
            List<String> metrics = metricNames(tc.get("metrics"), outputs.size(), dropped);
            if (!metrics.isEmpty()) {
                options.metrics(metrics.toArray(new String[0]));
            }
            model.compile(options);
        } catch (RuntimeException | KerasFormatException e) {
            System.err.println("WARNING: " + file + ": the model is loaded uncompiled; its training_config could not"
                    + " be used: " + e.getMessage());
            return;
        }
        if (!dropped.isEmpty()) {
            System.err.println("WARNING: " + file + ": compiled without the metrics rnn4j does not know: " + dropped);
        }
    }

    /** A serialized loss; tf.keras 2's {@code reduction="auto"} is Keras 3's default, sum_over_batch_size. */
    private static org.rnn4j.losses.Loss loss(Object serialized) {
        if (serialized instanceof Map && ((Map<?, ?>) serialized).get("config") instanceof Map) {
            Map<String, Object> c = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) ((Map<?, ?>) serialized).get("config")).entrySet()) {
                c.put(String.valueOf(e.getKey()), e.getValue());
            }
            if ("auto".equals(c.get("reduction"))) {
                c.put("reduction", "sum_over_batch_size");
            }
            return Losses.fromConfig(String.valueOf(((Map<?, ?>) serialized).get("class_name")), c);
        }
        return Losses.fromConfig(serialized);
    }

    /** Keras 2's optimizer_config, normalised to the Keras 3 form {@link Optimizers#fromConfig} reads. */
    static Optimizer optimizer(Object optimizerConfig) {
        if (!(optimizerConfig instanceof Map)) {
            throw new IllegalArgumentException("training_config has no optimizer_config");
        }
        Map<?, ?> oc = (Map<?, ?>) optimizerConfig;
        String cls = String.valueOf(oc.get("class_name"));
        if (cls.startsWith("Custom>")) {
            cls = cls.substring("Custom>".length());   // tf.keras 2.11+ registers its optimizers so
        }
        Map<String, Object> c = new LinkedHashMap<>();
        if (oc.get("config") instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) oc.get("config")).entrySet()) {
                c.put(String.valueOf(e.getKey()), e.getValue());
            }
        }
        if (c.containsKey("lr") && !c.containsKey("learning_rate")) {
            c.put("learning_rate", c.remove("lr"));
        }
        Object decay = c.remove("decay");
        if (decay instanceof Number && ((Number) decay).doubleValue() != 0) {
            throw new IllegalArgumentException("optimizer " + cls + " uses Keras 2's time-based decay=" + decay
                    + ", which Keras 3 dropped; recompile with a learning-rate schedule");
        }
        c.remove("is_legacy_optimizer");
        c.remove("jit_compile");
        Map<String, Object> serialized = new LinkedHashMap<>();
        serialized.put("class_name", cls);
        serialized.put("config", c);
        return Optimizers.fromConfig(serialized);
    }

    /** Metric identifiers from Keras 2's {@code metrics} (flat, or nested one list per output). */
    private static List<String> metricNames(Object metrics, int outputs, List<String> dropped) {
        List<String> names = new ArrayList<>();
        if (!(metrics instanceof List)) {
            return names;
        }
        List<?> list = (List<?>) metrics;
        if (!list.isEmpty() && list.get(0) instanceof List) {
            if (list.size() != 1 || outputs != 1) {
                dropped.add("per-output metrics " + Json.write(metrics));
                return names;
            }
            list = (List<?>) list.get(0);
        }
        for (Object m : list) {
            String id = metricId(m);
            try {
                Metrics.get(id);
                names.add(id);
            } catch (IllegalArgumentException unknown) {
                dropped.add(id);
            }
        }
        return names;
    }

    private static String metricId(Object m) {
        if (m instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) m;
            Object cfg = map.get("config");
            if (cfg instanceof Map) {
                Object fn = ((Map<?, ?>) cfg).get("fn");
                if (fn instanceof String) {
                    return (String) fn;   // MeanMetricWrapper: the function is what counts
                }
                Object name = ((Map<?, ?>) cfg).get("name");
                if (name instanceof String) {
                    return (String) name;
                }
            }
            return String.valueOf(map.get("class_name"));
        }
        return String.valueOf(m);
    }
}
