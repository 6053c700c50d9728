package org.rnn4j.layers.recurrent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.saving.ConfigException;
import org.rnn4j.saving.CustomObjects;
import org.rnn4j.saving.LayerConfig;

/**
 * Cells to and from Keras 3 configs: {@code {"module", "class_name", "config"}} as Keras nests a
 * cell in RNN's {@code cell} and StackedRNNCells's {@code cells}. Built-in cells first, then
 * cells registered with {@link CustomObjects#register}.
 */
public final class Cells {
    private Cells() {
    }

    /** The serialized form Keras writes for a cell. */
    public static Map<String, Object> serialize(Cell cell) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean builtIn = cell instanceof BaseCell || cell instanceof StackedRNNCells;
        m.put("module", builtIn ? "keras.layers" : null);
        m.put("class_name", cell.className());
        m.put("config", cell.config());
        m.put("registered_name", builtIn ? null : cell.className());
        return m;
    }

    /** A cell from its serialized form; {@code where} names the enclosing layer for messages. */
    public static Cell deserialize(Object serialized, String where) throws ConfigException {
        if (!(serialized instanceof Map)) {
            throw new ConfigException(where + ": option cell must be a serialized cell {\"class_name\": ..., \"config\":"
                    + " ...}");
        }
        Map<?, ?> m = (Map<?, ?>) serialized;
        Object cn = m.get("class_name");
        Object cfg = m.get("config");
        if (!(cn instanceof String) || !(cfg instanceof Map)) {
            throw new ConfigException(where + ": a cell must be serialized as {\"class_name\": ..., \"config\": ...}");
        }
        String cls = (String) cn;
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) cfg;
        Object n = config.get("name");
        String here = where + " > cell" + (n instanceof String ? " '" + n + "'" : "") + " (" + cls + ")";
        switch (cls) {
            case "LSTMCell":
                return lstm(new LayerConfig(here, config));
            case "GRUCell":
                return gru(new LayerConfig(here, config));
            case "SimpleRNNCell":
                return simple(new LayerConfig(here, config));
            case "StackedRNNCells":
                return stacked(new LayerConfig(here, config));
            default:
                break;
        }
        if (CustomObjects.has(cls)) {
            return CustomObjects.create(cls, config, Cell.class, here);
        }
        throw new ConfigException(here + ": cell class '" + cls + "' is not supported (built-in cells: LSTMCell,"
                + " GRUCell, SimpleRNNCell, StackedRNNCells); if it is your own cell, implement"
                + " org.rnn4j.layers.recurrent.Cell in Java and register it with CustomObjects.register(\"" + cls
                + "\", config -> new " + cls + "(...))");
    }

    private static <T extends BaseCell<T>> T common(LayerConfig c, T cell) throws ConfigException {
        Object name = c.get("name");
        if (name instanceof String) {
            cell.name((String) name);
        }
        cell.trainable(c.bool("trainable", true));
        cell.activation(c.activation("activation", "tanh"));
        cell.useBias(c.bool("use_bias", true));
        cell.dropout(c.number("dropout", 0));
        cell.recurrentDropout(c.number("recurrent_dropout", 0));
        Object seed = c.get("seed");
        if (seed instanceof Number) {
            cell.seed(((Number) seed).longValue());
        }
        return cell;
    }

    private static void finish(LayerConfig c) throws ConfigException {
        c.finish();
    }

    static LSTMCell lstm(LayerConfig c) throws ConfigException {
        LSTMCell l = common(c, new LSTMCell(c.size("units")));
        l.recurrentActivation(c.activation("recurrent_activation", "sigmoid"));
        l.unitForgetBias(c.bool("unit_forget_bias", true));
        finish(c);
        return l;
    }

    static GRUCell gru(LayerConfig c) throws ConfigException {
        GRUCell g = common(c, new GRUCell(c.size("units")));
        g.recurrentActivation(c.activation("recurrent_activation", "sigmoid"));
        g.resetAfter(c.bool("reset_after", true));
        finish(c);
        return g;
    }

    static SimpleRNNCell simple(LayerConfig c) throws ConfigException {
        SimpleRNNCell s = common(c, new SimpleRNNCell(c.size("units")));
        finish(c);
        return s;
    }

    static StackedRNNCells stacked(LayerConfig c) throws ConfigException {
        Object v = c.get("cells");
        if (!(v instanceof List) || ((List<?>) v).isEmpty()) {
            throw c.error("option cells must be a non-empty list of serialized cells");
        }
        List<Cell> cells = new ArrayList<>();
        for (Object o : (List<?>) v) {
            cells.add(deserialize(o, c.context));
        }
        StackedRNNCells s = new StackedRNNCells(cells);
        Object name = c.get("name");
        if (name instanceof String) {
            s.name((String) name);
        }
        finish(c);
        return s;
    }

    /** {@code fromConfig} of the built-in cells: the config of one cell (no class_name wrapper). */
    static Cell fromConfig(String className, Map<String, Object> config) {
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("class_name", className);
        wrapped.put("config", config);
        try {
            return deserialize(wrapped, className);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
