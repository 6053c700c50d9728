package org.rnn4j.optimizers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's PiecewiseConstantDecay: {@code values[0]} while {@code step <= boundaries[0]},
 * {@code values[i]} for {@code boundaries[i-1] < step <= boundaries[i]}, the last value beyond the
 * last boundary. Integers stay integers in the config, as in Keras's.
 */
public final class PiecewiseConstantDecay implements LearningRateSchedule {
    private final List<Number> boundaries;
    private final List<Number> values;
    private final String name;

    public PiecewiseConstantDecay(List<? extends Number> boundaries, List<? extends Number> values) {
        this(boundaries, values, "PiecewiseConstant");
    }

    public PiecewiseConstantDecay(List<? extends Number> boundaries, List<? extends Number> values, String name) {
        if (boundaries.size() != values.size() - 1) {
            throw new IllegalArgumentException("The length of boundaries should be 1 less than the length of values."
                    + " Received: boundaries=" + boundaries + " of length " + boundaries.size() + ", and values="
                    + values + " of length " + values.size() + ".");
        }
        this.boundaries = normalized(boundaries);
        this.values = normalized(values);
        this.name = name;
    }

    /** Whole numbers as Long, others as Double (what a parsed config holds), so configs compare equal. */
    private static List<Number> normalized(List<? extends Number> xs) {
        List<Number> out = new ArrayList<>(xs.size());
        for (Number x : xs) {
            boolean whole = x instanceof Integer || x instanceof Long || x instanceof Short || x instanceof Byte;
            out.add(whole ? (Number) x.longValue() : (Number) x.doubleValue());
        }
        return java.util.Collections.unmodifiableList(out);
    }

    @Override
    public double learningRate(long step) {
        for (int i = 0; i < boundaries.size(); i++) {
            if (step <= boundaries.get(i).doubleValue()) {
                return values.get(i).doubleValue();
            }
        }
        return values.get(values.size() - 1).doubleValue();
    }

    @Override
    public String className() {
        return "PiecewiseConstantDecay";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("boundaries", new ArrayList<>(boundaries));
        c.put("values", new ArrayList<>(values));
        c.put("name", name);
        return c;
    }
}
