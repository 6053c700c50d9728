package org.rnn4j.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link Max} and {@link Min}: the extreme over {@code axis}, NaN winning as in NumPy, with Keras's
 * optional {@code initial} (see {@link Reduce}); the gradient is split equally among ties.
 */
public abstract class Extremum extends Reduce {
    private final Number initial;

    Extremum(int[] axis, boolean keepdims, boolean axisWasList, Number initial) {
        super(axis, keepdims, axisWasList);
        this.initial = initial;
    }

    /** {@code a > b} for the maximum, {@code a < b} for the minimum. */
    abstract boolean beyond(float a, float b);

    /** The {@code initial} option of a Keras config (null when absent). */
    static Number initialOption(Map<String, Object> config) {
        return config.get("initial") instanceof Number i ? i : null;
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
    final void reduce(float[] x, int[] map, float[] y, int count) {
        boolean[] seen = new boolean[y.length];
        for (int i = 0; i < x.length; i++) {
            int o = map[i];
            if (!seen[o] || beyond(x[i], y[o]) || Float.isNaN(x[i])) {
                if (!(seen[o] && Float.isNaN(y[o]))) {
                    y[o] = x[i];
                }
                seen[o] = true;
            }
        }
        if (initial != null) {
            float init = initial.floatValue();
            for (int o = 0; o < y.length; o++) {
                if (beyond(init, y[o])) {
                    y[o] = init;
                }
            }
        }
    }

    @Override
    final void distribute(float[] x, int[] map, float[] y, float[] g, float[] dx, int count) {
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
