package org.rnn4j.keras;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.losses.Losses;
import org.rnn4j.metrics.Metric;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Names;

/**
 * A compiled model's {@code compile_config} (optimizer, loss, metrics) and optimizer state
 * ({@code optimizer/vars/<i>} in {@code model.weights.h5}: iteration, learning rate, then the
 * slots in Keras order), written and read as Keras 3 does.
 */
final class CompileState {
    private CompileState() {
    }

    /** Keras 3's compile_config of a compiled model, or null. */
    static Map<String, Object> config(Model model) {
        if (!model.isCompiled()) {
            return null;
        }
        Optimizer opt = model.optimizer();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("module", "keras.optimizers");
        o.put("class_name", opt.className());
        o.put("config", opt.config());
        o.put("registered_name", null);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("optimizer", o);
        c.put("loss", lossConfig(model.loss()));
        c.put("loss_weights", null);
        List<Object> metrics = new ArrayList<>();
        for (Metric m : model.metrics()) {
            metrics.add(m.name());
        }
        c.put("metrics", metrics.isEmpty() ? null : metrics);
        c.put("weighted_metrics", null);
        c.put("run_eagerly", false);
        c.put("steps_per_execution", 1);
        c.put("jit_compile", false);
        return c;
    }

    /**
     * The loss as Keras's compile_config holds it: its name when that name alone rebuilds it (a string
     * given to compile), else the serialized object (options such as Tversky's alpha or a renamed loss
     * would be lost otherwise), which Keras deserializes too.
     */
    static Object lossConfig(org.rnn4j.losses.Loss loss) {
        String name = loss.name();
        if (Losses.names().contains(name)) {
            org.rnn4j.losses.Loss plain = Losses.get(name);
            if (plain.getClass() == loss.getClass() && plain.config().equals(loss.config())) {
                return name;
            }
        }
        return Losses.serialize(loss);
    }

    /** Writes {@code optimizer/vars/<i>}; an optimizer that never stepped has only iteration and learning rate, as in Keras. */
    static void writeVars(Model model, WritableGroup root) {
        if (!model.isCompiled()) {
            return;
        }
        Optimizer opt = model.optimizer();
        WritableGroup vars = root.putGroup("optimizer").putGroup("vars");
        if (opt.isBuilt()) {
            List<Tensor> values = opt.variables();
            for (int i = 0; i < values.size(); i++) {
                Tensor t = values.get(i);
                if (i == 0) {
                    vars.putDataset("0", opt.rawIterations());
                } else if (i == 1 && opt.schedule() == null) {
                    vars.putDataset("1", (float) opt.learningRate());
                } else if (t.rank() == 0) {
                    // scalars (Nadam's u_product, Adafactor's placeholders) are scalar datasets in Keras's files
                    vars.putDataset(Integer.toString(i), opt.integerVariable(i) ? (Object) (int) t.data()[0] : (Object) t.data()[0]);
                } else {
                    vars.putDataset(Integer.toString(i), WeightsH5Writer.nested(t.data(), t.shape()));
                }
            }
        } else {
            vars.putDataset("0", opt.rawIterations());
            if (opt.schedule() == null) {
                vars.putDataset("1", (float) opt.learningRate());
            }
        }
    }

    /**
     * Compiles a loaded model from its compile_config and restores the optimizer state. Like
     * Keras, a config that cannot be honoured leaves the model uncompiled with a warning rather
     * than failing the load (the weights are complete without it).
     */
    static void restore(Model model, Object compileConfig, Group h5, String file) {
        if (!(compileConfig instanceof Map) || ((Map<?, ?>) compileConfig).isEmpty()) {
            return;
        }
        Map<?, ?> cc = (Map<?, ?>) compileConfig;
        try {
            Optimizer opt = org.rnn4j.optimizers.Optimizers.fromConfig(cc.get("optimizer"));
            Object lossSpec = cc.get("loss");
            org.rnn4j.losses.Loss loss = lossSpec instanceof Map && ((Map<?, ?>) lossSpec).get("class_name") instanceof String
                    ? Losses.fromConfig(lossSpec) : Losses.get(identifier(lossSpec));
            List<String> metrics = new ArrayList<>();
            if (cc.get("metrics") instanceof List) {
                for (Object m : (List<?>) cc.get("metrics")) {
                    metrics.add(identifier(m));
                }
            }
            model.compile(opt, loss, metrics.toArray(new String[0]));
        } catch (RuntimeException e) {
            System.err.println("WARNING: " + file + ": the model is loaded uncompiled; its compile_config could not be"
                    + " used: " + e.getMessage());
            return;
        }
        try {
            Node vars = h5 == null ? null : H5.find(h5, "optimizer/vars");
            if (vars instanceof Group) {
                restoreVars(model, (Group) vars, file);
            }
        } catch (KerasFormatException | RuntimeException e) {
            System.err.println("WARNING: " + file + ": optimizer state not restored: " + e.getMessage());
        }
    }

    private static void restoreVars(Model model, Group vars, String file) throws KerasFormatException {
        int n = H5.countNumbered(vars, "optimizer/vars");
        Optimizer opt = model.optimizer();
        if (n <= 2) {
            if (n >= 1) {
                opt.iterations((long) scalar(vars, "0"));
            }
            return;
        }
        model.buildOptimizer();
        List<Tensor> current = opt.variables();
        if (current.size() != n) {
            System.err.println("WARNING: " + file + ": optimizer state skipped: the file has " + n
                    + " optimizer variables, " + opt.className() + " has " + current.size());
            return;
        }
        List<Tensor> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Tensor cur = current.get(i);
            if (cur.rank() == 0 || (cur.rank() <= 1 && cur.size() == 1 && i < 2)) {
                values.add(Tensor.of(new float[] {(float) scalar(vars, Integer.toString(i))}, cur.shape()));
            } else {
                values.add(Tensor.of(H5.floats(vars, Integer.toString(i), cur.shape(), "optimizer variable " + i),
                        cur.shape()));
            }
        }
        opt.setVariables(values);
    }

    private static double scalar(Group vars, String name) throws KerasFormatException {
        Node n = H5.find(vars, name);
        if (!(n instanceof Dataset) || !((Dataset) n).isScalar()) {
            throw new KerasFormatException("optimizer variable " + name + " is not a scalar");
        }
        Object v = ((Dataset) n).getData();
        if (!(v instanceof Number)) {
            throw new KerasFormatException("optimizer variable " + name + " is not a number");
        }
        return ((Number) v).doubleValue();
    }

    private static String identifier(Object v) {
        if (v instanceof String) {
            return (String) v;
        }
        if (v instanceof Map && ((Map<?, ?>) v).get("class_name") instanceof String) {
            Object cfg = ((Map<?, ?>) v).get("config");
            if (cfg instanceof Map && ((Map<?, ?>) cfg).get("name") instanceof String) {
                return (String) ((Map<?, ?>) cfg).get("name");
            }
            return Names.snakeCase((String) ((Map<?, ?>) v).get("class_name"));
        }
        throw new IllegalArgumentException("unsupported loss or metric " + Json.write(v));
    }
}
