package org.rnn4j.optimizers;

import java.util.List;
import java.util.Map;

/**
 * Keras 3's Lion: {@code w -= lr sign(b1 m + (1 - b1) g)}, then {@code m = b2 m + (1 - b2) g};
 * defaults {@code b1 = 0.9}, {@code b2 = 0.99}.
 */
public class Lion extends Optimizer {
    private float beta1 = 0.9f;
    private float beta2 = 0.99f;

    public Lion() {
        this(0.001);
    }

    public Lion(double learningRate) {
        super(learningRate);
    }

    public Lion(LearningRateSchedule schedule) {
        super(schedule);
    }

    public Lion beta1(double value) {
        if (value <= 0 || value > 1) {
            throw new IllegalArgumentException("Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer"
                    + " degenerates to SignSGD. Received: beta_1=" + value + ".");
        }
        this.beta1 = (float) value;
        return this;
    }

    public Lion beta2(double value) {
        this.beta2 = (float) value;
        return this;
    }

    @Override
    protected List<String[]> slotGroups() {
        return List.<String[]>of(new String[] {"momentum"});
    }

    @Override
    protected void update(int index, float[] w, float[] g, float lr) {
        float[] m = slot("momentum", index).data();
        for (int j = 0; j < w.length; j++) {
            float gj = g[j];
            w[j] = w[j] - lr * Math.signum(m[j] * beta1 + gj * (1f - beta1));
            m[j] = m[j] * beta2 + gj * (1f - beta2);
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("beta_1", (double) beta1);
        c.put("beta_2", (double) beta2);
        return c;
    }
}
