package org.rnn4j.constraints;

import java.util.Map;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's weight constraint: a projection applied to a variable after every optimizer step
 * ({@code BaseOptimizer.apply}: "Apply variable constraints after applying gradients"). Attach one
 * with {@link org.rnn4j.layers.Layer#constraint(String, Constraint)}, or load it from a Keras
 * file's {@code kernel_constraint}, {@code bias_constraint}, {@code alpha_constraint}, ...
 */
public interface Constraint {
    /** Projects {@code w} in place. */
    void apply(Tensor w);

    /** Keras's class name, e.g. {@code "MaxNorm"}. */
    String className();

    /** Keras's {@code get_config()}. */
    Map<String, Object> config();
}
