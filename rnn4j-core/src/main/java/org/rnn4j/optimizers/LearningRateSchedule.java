package org.rnn4j.optimizers;

import java.util.Map;

/** Keras's LearningRateSchedule: the learning rate as a function of the optimizer step (iterations, from 0). */
public interface LearningRateSchedule {
    double learningRate(long step);

    /** Keras class name, e.g. {@code ExponentialDecay}. */
    String className();

    /** Keras {@code get_config} keys. */
    Map<String, Object> config();
}
