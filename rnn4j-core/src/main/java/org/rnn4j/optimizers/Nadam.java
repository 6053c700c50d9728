package org.rnn4j.optimizers;

import java.util.List;
import java.util.Map;

/**
 * Keras 3's Nadam. Each step first sets {@code u_product *= b1 (1 - 0.5 * 0.96^t)}; then per variable
 * {@code m += (g - m)(1 - b1)}, {@code v += (g^2 - v)(1 - b2)},
 * {@code m_hat = u_{t+1} m / (1 - u_product u_{t+1}) + (1 - u_t) g / (1 - u_product)},
 * {@code v_hat = v / (1 - b2^t)}, {@code w -= lr m_hat / (sqrt(v_hat) + eps)} with
 * {@code u_t = b1 (1 - 0.5 * 0.96^t)}, {@code t = iterations + 1}. {@code u_product} is an optimizer
 * variable after the slots, as in Keras.
 */
public class Nadam extends Optimizer {
    private float beta1 = 0.9f;
    private float beta2 = 0.999f;
    private float epsilon = 1e-7f;
    private float uProduct = 1f;

    public Nadam() {
        this(0.001);
    }

    public Nadam(double learningRate) {
        super(learningRate);
    }

    public Nadam(LearningRateSchedule schedule) {
        super(schedule);
    }

    public Nadam beta1(double value) {
        this.beta1 = (float) value;
        return this;
    }

    public Nadam beta2(double value) {
        this.beta2 = (float) value;
        return this;
    }

    public Nadam epsilon(double value) {
        this.epsilon = (float) value;
        return this;
    }

    @Override
    protected List<String[]> slotGroups() {
        return List.<String[]>of(new String[] {"momentum", "velocity"});
    }

    @Override
    protected List<String> scalarNames() {
        return List.of("u_product");
    }

    @Override
    protected float scalarValue(int i) {
        return uProduct;
    }

    @Override
    protected void scalarValue(int i, float value) {
        uProduct = value;
    }

    @Override
    protected void beforeUpdates() {
        float t = (float) (iterations() + 1);
        uProduct = uProduct * beta1 * (1f - 0.5f * (float) Math.pow(0.96f, t));
    }

    @Override
    protected void update(int index, float[] w, float[] g, float lr) {
        float localStep = (float) (iterations() + 1);
        float nextStep = (float) (iterations() + 2);
        float uT = beta1 * (1f - 0.5f * (float) Math.pow(0.96f, localStep));
        float uT1 = beta1 * (1f - 0.5f * (float) Math.pow(0.96f, nextStep));
        float uProductT = uProduct;
        float uProductT1 = uProductT * uT1;
        float beta2Power = (float) Math.pow(beta2, localStep);
        float[] m = slot("momentum", index).data();
        float[] v = slot("velocity", index).data();
        for (int j = 0; j < w.length; j++) {
            float gj = g[j];
            m[j] = m[j] + (gj - m[j]) * (1f - beta1);
            v[j] = v[j] + (gj * gj - v[j]) * (1f - beta2);
            float mHat = (uT1 * m[j]) / (1f - uProductT1) + ((1f - uT) * gj) / (1f - uProductT);
            float vHat = v[j] / (1f - beta2Power);
            w[j] = w[j] - (mHat * lr) / ((float) Math.sqrt(vHat) + epsilon);
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
