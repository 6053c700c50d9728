package org.rnn4j.ops;

import java.util.Map;

/** Keras's {@code keras.src.ops.numpy.Min}: the minimum over {@code axis} (see {@link Extremum}). */
public final class Min extends Extremum {
    public Min(int[] axis, boolean keepdims) {
        this(axis, keepdims, axis != null && axis.length != 1, null);
    }

    Min(int[] axis, boolean keepdims, boolean axisWasList, Number initial) {
        super(axis, keepdims, axisWasList, initial);
    }

    /** From a Keras config ({@code name}, {@code axis}, {@code keepdims}, {@code initial}). */
    public static Min fromConfig(Map<String, Object> config) {
        Number initial = initialOption(config);
        return fromKerasConfig(config, (a, k, l) -> new Min(a, k, l, initial));
    }

    @Override
    boolean beyond(float a, float b) {
        return a < b;
    }
}
