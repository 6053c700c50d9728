package org.rnn4j.optimizers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's Adam: {@code m += (g - m)(1 - b1)}, {@code v += (g^2 - v)(1 - b2)},
 * {@code w -= m * alpha / (sqrt(v) + eps)} with {@code alpha = lr sqrt(1 - b2^t) / (1 - b1^t)},
 * {@code t = iterations + 1}. With {@code amsgrad}, {@code v} is replaced by its running maximum.
 */
public class Adam extends Optimizer {
    private float beta1 = 0.9f;
    private float beta2 = 0.999f;
    private float epsilon = 1e-7f;
    private boolean amsgrad;

    public Adam() {
        this(0.001);
    }

    public Adam(double learningRate) {
        super(learningRate);
    }

    public Adam(LearningRateSchedule schedule) {
        super(schedule);
    }

    public Adam beta1(double value) {
        checkNotBuilt();
        this.beta1 = (float) value;
        return this;
    }

    public Adam beta2(double value) {
        checkNotBuilt();
        this.beta2 = (float) value;
        return this;
    }

    public Adam epsilon(double value) {
        checkNotBuilt();
        this.epsilon = (float) value;
        return this;
    }

    public Adam amsgrad(boolean value) {
        checkNotBuilt();
        this.amsgrad = value;
        return this;
    }

    private void checkNotBuilt() {
        if (isBuilt()) {
            throw new IllegalStateException(className() + " '" + name() + "' is already built; set options before training");
        }
    }

    public boolean amsgrad() {
        return amsgrad;
    }

    @Override
    protected List<String[]> slotGroups() {
        List<String[]> g = new ArrayList<>();
        g.add(new String[] {"momentum", "velocity"});
        if (amsgrad) {
            g.add(new String[] {"velocity_hat"});
        }
        return g;
    }

    @Override
    protected void update(int index, float[] w, float[] g, float lr) {
        float t = (float) (iterations() + 1);
        float b1Power = (float) Math.pow(beta1, t);
        float b2Power = (float) Math.pow(beta2, t);
        float alpha = lr * (float) Math.sqrt(1f - b2Power) / (1f - b1Power);
        float[] m = slot("momentum", index).data();
        float[] v = slot("velocity", index).data();
        float[] vHat = amsgrad ? slot("velocity_hat", index).data() : null;
        float oneMinusB1 = 1f - beta1;
        float oneMinusB2 = 1f - beta2;
        for (int j = 0; j < w.length; j++) {
            float gj = g[j];
            m[j] = m[j] + (gj - m[j]) * oneMinusB1;
            v[j] = v[j] + (gj * gj - v[j]) * oneMinusB2;
            float vj = v[j];
            if (vHat != null) {
                vHat[j] = Math.max(vHat[j], vj);
                vj = vHat[j];
            }
            w[j] = w[j] - (m[j] * alpha) / ((float) Math.sqrt(vj) + epsilon);
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("beta_1", (double) beta1);
        c.put("beta_2", (double) beta2);
        c.put("epsilon", (double) epsilon);
        c.put("amsgrad", amsgrad);
        return c;
    }
}
