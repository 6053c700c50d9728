package org.rnn4j.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.config.ConfigValues;

/** Keras's {@code keras.src.ops.numpy.Min}: the minimum over {@code axis} (see {@link Reduce}). */
public final class Min extends Reduce {
    private final Number initial;

    public Min(int[] axis, boolean keepdims) {
        this(axis, keepdims, axis != null && axis.length != 1, null);
    }

    Min(int[] axis, boolean keepdims, boolean axisWasList, Number initial) {
        super(axis, keepdims, axisWasList);
        this.initial = initial;
    }

    /** From a Keras config ({@code name}, {@code axis}, {@code keepdims}, {@code initial}). */
    public static Min fromConfig(Map<String, Object> config) {
        Object axis = config.get("axis");
        int[] a = axis == null ? null : axis instanceof Number n ? new int[] {n.intValue()}
                : ConfigValues.getIntList(config, "axis");
        Min op = new Min(a, ConfigValues.getBoolean(config, "keepdims", false), axis instanceof List<?>, config.get("initial") instanceof Number i ? i : null);
        if (config.get("name") instanceof String name) {
            op.name(name);
        }
        return op;
    }

    /** The {@code initial} value (null when not given). */
    public Number initial() {
        return initial;
    }

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>(super.options());
        m.put("initial", initial);
        return m;
    }

    @Override
    void reduce(float[] x, int[] map, float[] y, int count) {
        boolean[] seen = new boolean[y.length];
        for (int i = 0; i < x.length; i++) {
            int o = map[i];
            if (!seen[o] || x[i] < y[o] || Float.isNaN(x[i])) {
                if (!(seen[o] && Float.isNaN(y[o]))) {
                    y[o] = x[i];
                }
                seen[o] = true;
            }
        }
        if (initial != null) {
            float init = initial.floatValue();
            for (int o = 0; o < y.length; o++) {
                if (init < y[o]) {
                    y[o] = init;
                }
            }
        }
    }

    @Override
    void distribute(float[] x, int[] map, float[] y, float[] g, float[] dx, int count) {
        int[] ties = new int[y.length];
        for (int i = 0; i < x.length; i++) {
            if (x[i] == y[map[i]]) {
                ties[map[i]]++;
            }
        }
        for (int i = 0; i < x.length; i++) {
            int o = map[i];
            if (x[i] == y[o]) {
                dx[i] += g[o] / ties[o];
            }
        }
    }
}
