package org.rnn4j.optimizers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's RMSprop: {@code v = rho v + (1 - rho) g^2}; with {@code centered}
 * {@code a = rho a + (1 - rho) g} and denominator {@code v - a^2 + eps}, else {@code v + eps};
 * {@code inc = lr g / sqrt(denominator)}; with momentum {@code m = momentum m + inc; w -= m},
 * else {@code w -= inc}.
 */
public class RMSprop extends Optimizer {
    private float rho = 0.9f;
    private float momentum = 0f;
    private float epsilon = 1e-7f;
    private boolean centered;

    public RMSprop() {
        this(0.001);
    }

    public RMSprop(double learningRate) {
        super(learningRate);
    }

    public RMSprop(LearningRateSchedule schedule) {
        super(schedule);
    }

    public RMSprop rho(double value) {
        checkNotBuilt();
        this.rho = (float) value;
        return this;
    }

    public RMSprop momentum(double value) {
        checkNotBuilt();
        this.momentum = (float) value;
        return this;
    }

    public RMSprop epsilon(double value) {
        checkNotBuilt();
        this.epsilon = (float) value;
        return this;
    }

    public RMSprop centered(boolean value) {
        checkNotBuilt();
        this.centered = value;
        return this;
    }

    private void checkNotBuilt() {
        if (isBuilt()) {
            throw new IllegalStateException("RMSprop '" + name() + "' is already built; set options before training");
        }
    }

    @Override
    protected List<String[]> slotGroups() {
        List<String[]> g = new ArrayList<>();
        g.add(new String[] {"velocity"});
        if (momentum > 0) {
            g.add(new String[] {"momentum"});
        }
        if (centered) {
            g.add(new String[] {"average_gradient"});
        }
        return g;
    }

    @Override
    protected void update(int index, float[] w, float[] g, float lr) {
        float[] v = slot("velocity", index).data();
        float[] m = momentum > 0 ? slot("momentum", index).data() : null;
        float[] a = centered ? slot("average_gradient", index).data() : null;
        float oneMinusRho = 1f - rho;
        for (int j = 0; j < w.length; j++) {
            float gj = g[j];
            v[j] = rho * v[j] + oneMinusRho * (gj * gj);
            float denominator;
            if (a != null) {
                a[j] = rho * a[j] + oneMinusRho * gj;
                denominator = v[j] - a[j] * a[j] + epsilon;
            } else {
                denominator = v[j] + epsilon;
            }
            float increment = (lr * gj) / (float) Math.sqrt(denominator);
            if (m != null) {
                m[j] = momentum * m[j] + increment;
                w[j] = w[j] - m[j];
            } else {
                w[j] = w[j] - increment;
            }
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("rho", (double) rho);
        c.put("momentum", (double) momentum);
        c.put("epsilon", (double) epsilon);
        c.put("centered", centered);
        return c;
    }
}
