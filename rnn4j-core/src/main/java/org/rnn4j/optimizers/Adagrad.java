package org.rnn4j.optimizers;

import java.util.List;
import java.util.Map;

/** Keras 3's Adagrad: {@code acc += g^2}, {@code w -= lr g / sqrt(acc + eps)}; accumulators start at 0.1. */
public class Adagrad extends Optimizer {
    private final float initialAccumulatorValue;
    private final float epsilon;

    public Adagrad() {
        this(0.001);
    }

    public Adagrad(double learningRate) {
        this(learningRate, 0.1, 1e-7);
    }

    public Adagrad(double learningRate, double initialAccumulatorValue, double epsilon) {
        super(learningRate);
        this.initialAccumulatorValue = (float) initialAccumulatorValue;
        this.epsilon = (float) epsilon;
    }

    public Adagrad(LearningRateSchedule schedule, double initialAccumulatorValue, double epsilon) {
        super(schedule);
        this.initialAccumulatorValue = (float) initialAccumulatorValue;
        this.epsilon = (float) epsilon;
    }

    @Override
    protected List<String[]> slotGroups() {
        return List.<String[]>of(new String[] {"accumulator"});
    }

    @Override
    protected float initialSlotValue(String slot) {
        return initialAccumulatorValue;
    }

    @Override
    protected void update(int index, float[] w, float[] g, float lr) {
        float[] acc = slot("accumulator", index).data();
        for (int j = 0; j < w.length; j++) {
            float gj = g[j];
            acc[j] = acc[j] + gj * gj;
            w[j] = w[j] - (lr * gj) / (float) Math.sqrt(acc[j] + epsilon);
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("initial_accumulator_value", (double) initialAccumulatorValue);
        c.put("epsilon", (double) epsilon);
        return c;
    }
}
