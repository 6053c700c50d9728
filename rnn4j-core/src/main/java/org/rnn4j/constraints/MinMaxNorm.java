package org.rnn4j.constraints;

import java.util.Map;

/**
 * Keras's {@code MinMaxNorm(min_value=0.0, max_value=1.0, rate=1.0, axis=0)}: the norm moves
 * towards {@code [min_value, max_value]} by {@code rate} ({@code desired = rate * clip(norm) +
 * (1 - rate) * norm}).
 */
public final class MinMaxNorm extends NormConstraint {
    private final double minValue;
    private final double maxValue;
    private final double rate;

    public MinMaxNorm() {
        this(0.0, 1.0, 1.0, 0);
    }

    public MinMaxNorm(double minValue, double maxValue, double rate, int axis) {
        super(new int[] {axis}, false);
        this.minValue = minValue;
        this.maxValue = maxValue;
        this.rate = rate;
    }

    public MinMaxNorm(double minValue, double maxValue, double rate, int[] axes) {
        super(axes, true);
        this.minValue = minValue;
        this.maxValue = maxValue;
        this.rate = rate;
    }

    @Override
    float scale(float norm) {
        float clipped = Math.min(Math.max(norm, (float) minValue), (float) maxValue);
        float desired = (float) rate * clipped + (1f - (float) rate) * norm;
        return desired / (EPSILON + norm);
    }

    @Override
    public String className() {
        return "MinMaxNorm";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = base();
        c.put("min_value", minValue);
        c.put("max_value", maxValue);
        c.put("rate", rate);
        return axisConfig(c);
    }
}
