package org.rnn4j.optimizers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's PolynomialDecay: {@code (lr0 - end) (1 - s / d)^power + end}. Without {@code cycle},
 * {@code s = min(step, decaySteps)} and {@code d = decaySteps}; with it, {@code s = step} and
 * {@code d = decaySteps * ceil(step / decaySteps)} (one period at step 0).
 */
public final class PolynomialDecay implements LearningRateSchedule {
    private final double initialLearningRate;
    private final long decaySteps;
    private final double endLearningRate;
    private final double power;
    private final boolean cycle;
    private final String name;

    /** Keras's defaults: {@code end_learning_rate = 1e-4}, {@code power = 1}, no cycle. */
    public PolynomialDecay(double initialLearningRate, long decaySteps) {
        this(initialLearningRate, decaySteps, 0.0001, 1.0, false, "PolynomialDecay");
    }

    public PolynomialDecay(double initialLearningRate, long decaySteps, double endLearningRate) {
        this(initialLearningRate, decaySteps, endLearningRate, 1.0, false, "PolynomialDecay");
    }

    public PolynomialDecay(double initialLearningRate, long decaySteps, double endLearningRate, double power,
                           boolean cycle, String name) {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("PolynomialDecay: Argument `decay_steps` must be > 0. Received:"
                    + " decay_steps=" + decaySteps);
        }
        this.initialLearningRate = initialLearningRate;
        this.decaySteps = decaySteps;
        this.endLearningRate = endLearningRate;
        this.power = power;
        this.cycle = cycle;
        this.name = name;
    }

    @Override
    public double learningRate(long step) {
        double s = step;
        double d = decaySteps;
        if (cycle) {
            d = d * (step == 0 ? 1.0 : Math.ceil(s / decaySteps));
        } else {
            s = Math.min(s, d);
        }
        double p = s / d;
        return (initialLearningRate - endLearningRate) * Math.pow(1 - p, power) + endLearningRate;
    }

    @Override
    public String className() {
        return "PolynomialDecay";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", decaySteps);
        c.put("end_learning_rate", endLearningRate);
        c.put("power", power);
        c.put("cycle", cycle);
        c.put("name", name);
        return c;
    }
}
