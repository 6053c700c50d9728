package org.rnn4j.optimizers;

import java.util.List;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Tensor;

/**
 * An {@link Optimizer}'s exponential moving average of its variables (Keras's {@code use_ema}):
 * the options, checked as Keras checks them, and the averages, which live in the
 * {@link OptimizerSlots#AVERAGE} slots. The per-step update is part of {@link OptimizerStep}.
 */
final class OptimizerEma {
    private boolean enabled;
    private double momentum = 0.99;
    private Integer overwriteFrequency;
    /** The average slots, taken from the slots by the first step ({@link #averages(OptimizerSlots)}); null until then. */
    private Tensor[] averages;

    boolean enabled() {
        return enabled;
    }

    void enabled(boolean value) {
        this.enabled = value;
    }

    double momentum() {
        return momentum;
    }

    void momentum(double value) {
        if (value > 1 || value < 0) {
            throw new IllegalArgumentException("`ema_momentum` must be in the range [0, 1]. Received: ema_momentum=" + value);
        }
        this.momentum = value;
    }

    Integer overwriteFrequency() {
        return overwriteFrequency;
    }

    void overwriteFrequency(Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException("`ema_overwrite_frequency` must be an integer >= 1 or None."
                    + " Received: ema_overwrite_frequency=" + value);
        }
        this.overwriteFrequency = value;
    }

    /** Keras's {@code _model_variables_moving_average} (entries null for variables overwritten with their gradient). */
    Tensor[] averages(OptimizerSlots slots) {
        if (averages == null) {
            averages = slots.group(OptimizerSlots.AVERAGE);
        }
        return averages;
    }

    /** The averages as of the last step, or null before the first one. */
    Tensor[] averagesSoFar() {
        return averages;
    }

    /** Keras's {@code finalize_variable_values}: with EMA, overwrites the variables with their moving averages. */
    void finalizeVariableValues(List<Variable> vars) {
        if (!enabled || averages == null) {
            return;
        }
        if (vars.size() != averages.length) {
            throw new IllegalArgumentException("The length of model variables (" + vars.size() + ") to override does not"
                    + " match the length of model variables stored in the optimizer (" + averages.length + ")");
        }
        for (int i = 0; i < averages.length; i++) {
            if (averages[i] != null) {
                vars.get(i).assign(averages[i].copy());
            }
        }
    }
}
