package org.rnn4j.optimizers;

/** Keras 3's AdamW: Adam with decoupled weight decay, default {@code weightDecay = 0.004}. */
public class AdamW extends Adam {
    public AdamW() {
        this(0.001, 0.004);
    }

    public AdamW(double learningRate) {
        this(learningRate, 0.004);
    }

    public AdamW(double learningRate, double weightDecay) {
        super(learningRate);
        weightDecay(weightDecay);
    }

    public AdamW(LearningRateSchedule schedule, double weightDecay) {
        super(schedule);
        weightDecay(weightDecay);
    }
}
