package org.rnn4j.optimizers;

import java.util.List;
import java.util.Map;

/**
 * Keras 3's Lamb: Adam's moments {@code m += (g - m)(1 - b1)}, {@code v += (g^2 - v)(1 - b2)},
 * {@code u = (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)}, then a layer-wise trust ratio
 * {@code r = ||w|| / ||u||} (1 when either norm is 0) and {@code w -= r lr u}, {@code t = iterations + 1}.
 */
public class Lamb extends Optimizer {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-7;
    private float[] update = new float[0];

    public Lamb() {
        this(0.001);
    }

    public Lamb(double learningRate) {
        super(learningRate);
    }

    public Lamb(LearningRateSchedule schedule) {
        super(schedule);
    }

    public Lamb beta1(double value) {
        checkNotBuilt();
        this.beta1 = value;
        return this;
    }

    public Lamb beta2(double value) {
        checkNotBuilt();
        this.beta2 = value;
        return this;
    }

    public Lamb epsilon(double value) {
        checkNotBuilt();
        this.epsilon = value;
        return this;
    }

    private void checkNotBuilt() {
        if (isBuilt()) {
            throw new IllegalStateException("Lamb '" + name() + "' is already built; set options before training");
        }
    }

    @Override
    protected List<String[]> slotGroups() {
        return List.<String[]>of(new String[] {"momentum", "velocity"});
    }

    @Override
    protected void update(int index, float[] w, float[] g, float lr) {
        float t = (float) (iterations() + 1);
        float b1Power = (float) Math.pow((float) beta1, t);
        float b2Power = (float) Math.pow((float) beta2, t);
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float eps = (float) epsilon;
        float[] m = slot("momentum", index).data();
        float[] v = slot("velocity", index).data();
        if (update.length < w.length) {
            update = new float[w.length];
        }
        double wSq = 0;
        double uSq = 0;
        for (int j = 0; j < w.length; j++) {
            float gj = g[j];
            m[j] = m[j] + (gj - m[j]) * oneMinusB1;
            v[j] = v[j] + (gj * gj - v[j]) * oneMinusB2;
            float mHat = m[j] / (1f - b1Power);
            float vSqrt = (float) Math.sqrt(v[j] / (1f - b2Power)) + eps;
            update[j] = mHat / vSqrt;
            wSq += (double) w[j] * w[j];
            uSq += (double) update[j] * update[j];
        }
        float wNorm = (float) Math.sqrt(wSq);
        float gNorm = (float) Math.sqrt(uSq);
        float ratio = wNorm > 0 && gNorm > 0 ? wNorm / gNorm : 1f;
        float step = ratio * lr;
        for (int j = 0; j < w.length; j++) {
            w[j] = w[j] - step * update[j];
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("beta_1", beta1);
        c.put("beta_2", beta2);
        c.put("epsilon", epsilon);
        return c;
    }
}
