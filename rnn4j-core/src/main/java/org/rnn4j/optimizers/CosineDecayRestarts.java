package org.rnn4j.optimizers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's CosineDecayRestarts (SGDR): a cosine decay over {@code firstDecaySteps}, then warm
 * restarts, period {@code i} lasting {@code tMul^i} times longer and starting at {@code mMul^i} times
 * the rate; {@code lr0 ((1 - alpha) 0.5 mMul^i (1 + cos(pi f)) + alpha)} with {@code f} the fraction
 * of the current period, found in closed form as Keras does.
 */
public final class CosineDecayRestarts implements LearningRateSchedule {
    private final double initialLearningRate;
    private final long firstDecaySteps;
    private final double tMul;
    private final double mMul;
    private final double alpha;
    private final String name;

    public CosineDecayRestarts(double initialLearningRate, long firstDecaySteps) {
        this(initialLearningRate, firstDecaySteps, 2.0, 1.0, 0.0, "SGDRDecay");
    }

    public CosineDecayRestarts(double initialLearningRate, long firstDecaySteps, double tMul, double mMul,
                               double alpha, String name) {
        if (firstDecaySteps <= 0) {
            throw new IllegalArgumentException("CosineDecayRestarts: Argument `first_decay_steps` must be > 0."
                    + " Received: first_decay_steps=" + firstDecaySteps);
        }
        this.initialLearningRate = initialLearningRate;
        this.firstDecaySteps = firstDecaySteps;
        this.tMul = tMul;
        this.mMul = mMul;
        this.alpha = alpha;
        this.name = name;
    }

    @Override
    public double learningRate(long step) {
        double fraction = (double) step / firstDecaySteps;
        double restart;
        if (tMul == 1.0) {
            restart = Math.floor(fraction);
            fraction -= restart;
        } else {
            restart = Math.floor(Math.log(1.0 - fraction * (1.0 - tMul)) / Math.log(tMul));
            double sumR = (1.0 - Math.pow(tMul, restart)) / (1.0 - tMul);
            fraction = (fraction - sumR) / Math.pow(tMul, restart);
        }
        double cosine = 0.5 * Math.pow(mMul, restart) * (1.0 + Math.cos(Math.PI * fraction));
        return initialLearningRate * ((1 - alpha) * cosine + alpha);
    }

    @Override
    public String className() {
        return "CosineDecayRestarts";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("first_decay_steps", firstDecaySteps);
        c.put("t_mul", tMul);
        c.put("m_mul", mMul);
        c.put("alpha", alpha);
        c.put("name", name);
        return c;
    }
}
