package org.rnn4j.optimizers;

import java.util.List;
import java.util.Map;

/**
 * Keras 3's Adadelta: {@code Eg = rho Eg + (1 - rho) g^2},
 * {@code d = -sqrt(Ed + eps) g / sqrt(Eg + eps)}, {@code Ed = rho Ed + (1 - rho) d^2},
 * {@code w += lr d}; defaults {@code lr = 0.001}, {@code rho = 0.95}, {@code eps = 1e-7}.
 */
public class Adadelta extends Optimizer {
    private double rho = 0.95;
    private double epsilon = 1e-7;

    public Adadelta() {
        this(0.001);
    }

    public Adadelta(double learningRate) {
        super(learningRate);
    }

    public Adadelta(LearningRateSchedule schedule) {
        super(schedule);
    }

    public Adadelta rho(double value) {
        checkNotBuilt();
        this.rho = value;
        return this;
    }

    public Adadelta epsilon(double value) {
        checkNotBuilt();
        this.epsilon = value;
        return this;
    }

    private void checkNotBuilt() {
        if (isBuilt()) {
            throw new IllegalStateException("Adadelta '" + name() + "' is already built; set options before training");
        }
    }

    @Override
    protected List<String[]> slotGroups() {
        return List.<String[]>of(new String[] {"accumulated_grad", "accumulated_delta_var"});
    }

    @Override
    protected void update(int index, float[] w, float[] g, float lr) {
        float[] accGrad = slot("accumulated_grad", index).data();
        float[] accDelta = slot("accumulated_delta_var", index).data();
        // Keras: rho and epsilon are Python floats, 1 - rho is taken in double before the float32 ops
        float r = (float) rho;
        float oneMinusRho = (float) (1 - rho);
        float eps = (float) epsilon;
        for (int j = 0; j < w.length; j++) {
            float gj = g[j];
            accGrad[j] = r * accGrad[j] + oneMinusRho * (gj * gj);
            float delta = -(((float) Math.sqrt(accDelta[j] + eps) * gj) / (float) Math.sqrt(accGrad[j] + eps));
            accDelta[j] = r * accDelta[j] + oneMinusRho * (delta * delta);
            w[j] = w[j] + lr * delta;
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("rho", rho);
        c.put("epsilon", epsilon);
        return c;
    }
}
