package org.rnn4j.constraints;

import java.util.Map;

/** Keras's {@code MaxNorm(max_value=2, axis=0)}: norms above {@code max_value} are scaled down to it. */
public final class MaxNorm extends NormConstraint {
    private final double maxValue;

    public MaxNorm() {
        this(2, 0);
    }

    public MaxNorm(double maxValue, int axis) {
        super(new int[] {axis}, false);
        this.maxValue = maxValue;
    }

    /** Several axes (Keras's {@code axis=[0, 1, 2]}, e.g. a Conv2D kernel's window and inputs). */
    public MaxNorm(double maxValue, int[] axes) {
        super(axes, true);
        this.maxValue = maxValue;
    }

    @Override
    float scale(float norm) {
        float desired = Math.min(Math.max(norm, 0f), (float) maxValue);
        return desired / (EPSILON + norm);
    }

    @Override
    public String className() {
        return "MaxNorm";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = base();
        c.put("max_value", maxValue);
        return axisConfig(c);
    }
}
