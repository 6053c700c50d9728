package org.rnn4j.constraints;

import java.util.Map;

/** Keras's {@code UnitNorm(axis=0)}: {@code w / (epsilon + norm)}. */
public final class UnitNorm extends NormConstraint {
    public UnitNorm() {
        this(0);
    }

    public UnitNorm(int axis) {
        super(new int[] {axis}, false);
    }

    public UnitNorm(int[] axes) {
        super(axes, true);
    }

    @Override
    float scale(float norm) {
        return EPSILON + norm;
    }

    @Override
    boolean divides() {
        return true;
    }

    @Override
    public String className() {
        return "UnitNorm";
    }

    @Override
    public Map<String, Object> config() {
        return axisConfig(base());
    }
}
