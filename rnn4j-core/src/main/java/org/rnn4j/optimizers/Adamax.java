package org.rnn4j.optimizers;

import java.util.List;
import java.util.Map;

/**
 * Keras 3's Adamax: {@code m += (g - m)(1 - b1)}, {@code u = max(b2 u, |g|)},
 * {@code w -= lr m / ((1 - b1^t)(u + eps))}, {@code t = iterations + 1}.
 */
public class Adamax extends Optimizer {
    private float beta1 = 0.9f;
    private float beta2 = 0.999f;
    private float epsilon = 1e-7f;

    public Adamax() {
        this(0.001);
    }

    public Adamax(double learningRate) {
        super(learningRate);
    }

    public Adamax(LearningRateSchedule schedule) {
        super(schedule);
    }

    public Adamax beta1(double value) {
        this.beta1 = (float) value;
        return this;
    }

    public Adamax beta2(double value) {
        this.beta2 = (float) value;
        return this;
    }

    public Adamax epsilon(double value) {
        this.epsilon = (float) value;
        return this;
    }

    @Override
    protected List<String[]> slotGroups() {
        return List.<String[]>of(new String[] {"momentum", "norm"});
    }

    @Override
    protected void update(int index, float[] w, float[] g, float lr) {
        float localStep = (float) (iterations() + 1);
        float beta1Power = (float) Math.pow(beta1, localStep);
        float[] m = slot("momentum", index).data();
        float[] u = slot("norm", index).data();
        for (int j = 0; j < w.length; j++) {
            float gj = g[j];
            m[j] = m[j] + (gj - m[j]) * (1f - beta1);
            u[j] = Math.max(beta2 * u[j], Math.abs(gj));
            w[j] = w[j] - (lr * m[j]) / ((1f - beta1Power) * (u[j] + epsilon));
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("beta_1", (double) beta1);
        c.put("beta_2", (double) beta2);
        c.put("epsilon", (double) epsilon);
        return c;
    }
}
