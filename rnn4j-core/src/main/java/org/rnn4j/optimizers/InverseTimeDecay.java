package org.rnn4j.optimizers;

import java.util.LinkedHashMap;
import java.util.Map;

/** Keras's InverseTimeDecay: {@code lr0 / (1 + rate * step / decaySteps)}, the ratio floored when {@code staircase}. */
public final class InverseTimeDecay implements LearningRateSchedule {
    private final double initialLearningRate;
    private final double decaySteps;
    private final double decayRate;
    private final boolean staircase;
    private final String name;

    public InverseTimeDecay(double initialLearningRate, double decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false, "InverseTimeDecay");
    }

    public InverseTimeDecay(double initialLearningRate, double decaySteps, double decayRate, boolean staircase,
                            String name) {
        if (!(decaySteps > 0)) {
            throw new IllegalArgumentException("InverseTimeDecay: Argument `decay_steps` must be > 0. Received:"
                    + " decay_steps=" + decaySteps);
        }
        this.initialLearningRate = initialLearningRate;
        this.decaySteps = decaySteps;
        this.decayRate = decayRate;
        this.staircase = staircase;
        this.name = name;
    }

    @Override
    public double learningRate(long step) {
        double p = step / decaySteps;
        if (staircase) {
            p = Math.floor(p);
        }
        return initialLearningRate / (1 + decayRate * p);
    }

    @Override
    public String className() {
        return "InverseTimeDecay";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", ScheduleNumbers.plain(decaySteps));
        c.put("decay_rate", decayRate);
        c.put("staircase", staircase);
        c.put("name", name);
        return c;
    }
}
