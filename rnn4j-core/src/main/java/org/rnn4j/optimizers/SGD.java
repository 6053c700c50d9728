package org.rnn4j.optimizers;

import java.util.List;
import java.util.Map;

/**
 * Keras 3's SGD. Without momentum {@code w -= lr g}. With momentum {@code m = momentum m - lr g};
 * then {@code w += m}, or with Nesterov {@code w += momentum m - lr g} (using the new {@code m}).
 */
public class SGD extends Optimizer {
    private final float momentum;
    private final boolean nesterov;

    public SGD() {
        this(0.01);
    }

    public SGD(double learningRate) {
        this(learningRate, 0.0, false);
    }

    public SGD(double learningRate, double momentum) {
        this(learningRate, momentum, false);
    }

    public SGD(double learningRate, double momentum, boolean nesterov) {
        super(learningRate);
        this.momentum = checkMomentum(momentum);
        this.nesterov = nesterov;
    }

    public SGD(LearningRateSchedule schedule, double momentum, boolean nesterov) {
        super(schedule);
        this.momentum = checkMomentum(momentum);
        this.nesterov = nesterov;
    }

    private static float checkMomentum(double m) {
        if (!(m >= 0 && m <= 1)) {
            throw new IllegalArgumentException("SGD: `momentum` must be a float between [0, 1]. Received: momentum=" + m);
        }
        return (float) m;
    }

    public double momentum() {
        return momentum;
    }

    public boolean nesterov() {
        return nesterov;
    }

    @Override
    protected List<String[]> slotGroups() {
        return momentum != 0f ? List.<String[]>of(new String[] {"momentum"}) : List.of();
    }

    @Override
    protected void update(int index, float[] w, float[] g, float lr) {
        int n = w.length;
        if (momentum == 0f) {
            for (int j = 0; j < n; j++) {
                w[j] = w[j] - g[j] * lr;
            }
            return;
        }
        float[] m = slot("momentum", index).data();
        for (int j = 0; j < n; j++) {
            m[j] = m[j] * momentum - g[j] * lr;
            w[j] = nesterov ? w[j] + (m[j] * momentum - g[j] * lr) : w[j] + m[j];
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("momentum", (double) momentum);
        c.put("nesterov", nesterov);
        return c;
    }
}
