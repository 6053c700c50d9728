package org.rnn4j.optimizers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's CosineDecay without warmup: {@code lr0 * ((1 - alpha) * 0.5 (1 + cos(pi s / decaySteps)) + alpha)}
 * with {@code s = min(step, decaySteps)}.
 */
public final class CosineDecay implements LearningRateSchedule {
    private final double initialLearningRate;
    private final long decaySteps;
    private final double alpha;

    public CosineDecay(double initialLearningRate, long decaySteps) {
        this(initialLearningRate, decaySteps, 0.0);
    }

    public CosineDecay(double initialLearningRate, long decaySteps, double alpha) {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("CosineDecay: decaySteps must be > 0, got " + decaySteps);
        }
        this.initialLearningRate = initialLearningRate;
        this.decaySteps = decaySteps;
        this.alpha = alpha;
    }

    @Override
    public double learningRate(long step) {
        double s = Math.min(step, decaySteps);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * s / decaySteps));
        return initialLearningRate * ((1 - alpha) * cosine + alpha);
    }

    @Override
    public String className() {
        return "CosineDecay";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", decaySteps);
        c.put("alpha", alpha);
        c.put("name", "CosineDecay");
        c.put("warmup_target", null);
        c.put("warmup_steps", 0);
        return c;
    }
}
