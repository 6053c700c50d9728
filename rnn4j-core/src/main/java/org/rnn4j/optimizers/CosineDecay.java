package org.rnn4j.optimizers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's CosineDecay with optional linear warmup. Without {@code warmupTarget}:
 * {@code lr0 * ((1 - alpha) * 0.5 (1 + cos(pi s / decaySteps)) + alpha)}, {@code s = min(step, decaySteps)}.
 * With it, {@code s = min(step, decaySteps + warmupSteps)}; while {@code s < warmupSteps} the rate rises
 * linearly {@code (target - lr0) s / warmupSteps + lr0}, then decays from {@code target} over
 * {@code s - warmupSteps}.
 */
public final class CosineDecay implements LearningRateSchedule {
    private final double initialLearningRate;
    private final long decaySteps;
    private final double alpha;
    private final String name;
    private final Double warmupTarget;
    private final long warmupSteps;

    public CosineDecay(double initialLearningRate, long decaySteps) {
        this(initialLearningRate, decaySteps, 0.0);
    }

    public CosineDecay(double initialLearningRate, long decaySteps, double alpha) {
        this(initialLearningRate, decaySteps, alpha, "CosineDecay", null, 0);
    }

    public CosineDecay(double initialLearningRate, long decaySteps, double alpha, String name, Double warmupTarget,
                       long warmupSteps) {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("CosineDecay: Argument `decay_steps` must be > 0. Received: decay_steps="
                    + decaySteps);
        }
        this.initialLearningRate = initialLearningRate;
        this.decaySteps = decaySteps;
        this.alpha = alpha;
        this.name = name;
        this.warmupTarget = warmupTarget;
        this.warmupSteps = warmupSteps;
    }

    /** Keras's linear warmup from {@code initialLearningRate} to {@code target} over {@code warmupSteps}, then the decay. */
    public static CosineDecay withWarmup(double initialLearningRate, long decaySteps, double alpha, double target,
                                         long warmupSteps) {
        return new CosineDecay(initialLearningRate, decaySteps, alpha, "CosineDecay", target, warmupSteps);
    }

    @Override
    public double learningRate(long step) {
        if (warmupTarget == null) {
            return decayed(Math.min(step, decaySteps), initialLearningRate);
        }
        double s = Math.min((double) step, (double) decaySteps + warmupSteps);
        if (s < warmupSteps) {
            return (warmupTarget - initialLearningRate) * (s / warmupSteps) + initialLearningRate;
        }
        return decayed(s - warmupSteps, warmupTarget);
    }

    private double decayed(double s, double from) {
        double cosine = 0.5 * (1 + Math.cos(Math.PI * (s / decaySteps)));
        return from * ((1 - alpha) * cosine + alpha);
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
        c.put("name", name);
        c.put("warmup_target", warmupTarget);
        c.put("warmup_steps", warmupSteps);
        return c;
    }
}
