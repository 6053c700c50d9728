package org.rnn4j.optimizers;

import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Variable;

/**
 * Keras 3's Adafactor. With {@code t = iterations + 1}, {@code rho = min(lr, 1/sqrt(t))} (with
 * {@code relative_step} and a fixed rate, {@code lr} itself is first capped the same way),
 * {@code alpha = max(eps2, rms(w)) rho}, {@code G = g^2 + eps1}, {@code b = 1 - t^beta_2_decay}.
 * Variables of rank >= 2 keep factored second moments over their last two axes,
 * {@code r = b r + (1 - b) mean(G, -1)}, {@code c = b c + (1 - b) mean(G, -2)},
 * {@code v = r / mean(r, -1) * c}; others {@code v = b v + (1 - b) G}. Then {@code u = g / sqrt(v)},
 * {@code w -= alpha u / max(1, rms(u) / clip_threshold)}. Rank < 2 variables get scalar {@code r}, {@code c}
 * placeholders, as Keras's (int32 there).
 */
public class Adafactor extends Optimizer {
    private double beta2Decay = -0.8;
    private double epsilon1 = 1e-30;
    private double epsilon2 = 1e-3;
    private double clipThreshold = 1.0;
    private boolean relativeStep = true;
    private float[] u = new float[0];

    public Adafactor() {
        this(0.001);
    }

    public Adafactor(double learningRate) {
        super(learningRate);
    }

    public Adafactor(LearningRateSchedule schedule) {
        super(schedule);
    }

    public Adafactor beta2Decay(double value) {
        checkNotBuilt();
        this.beta2Decay = value;
        return this;
    }

    public Adafactor epsilon1(double value) {
        checkNotBuilt();
        this.epsilon1 = value;
        return this;
    }

    public Adafactor epsilon2(double value) {
        checkNotBuilt();
        this.epsilon2 = value;
        return this;
    }

    public Adafactor clipThreshold(double value) {
        checkNotBuilt();
        this.clipThreshold = value;
        return this;
    }

    public Adafactor relativeStep(boolean value) {
        checkNotBuilt();
        this.relativeStep = value;
        return this;
    }

    private void checkNotBuilt() {
        if (isBuilt()) {
            throw new IllegalStateException("Adafactor '" + name() + "' is already built; set options before training");
        }
    }

    @Override
    protected List<String[]> slotGroups() {
        return List.<String[]>of(new String[] {"r", "c", "velocity"});
    }

    @Override
    protected int[] slotShape(String slot, int[] s) {
        if (slot.equals("velocity")) {
            return s;
        }
        if (s.length < 2) {
            return new int[0];
        }
        if (slot.equals("r")) {
            return java.util.Arrays.copyOf(s, s.length - 1);
        }
        int[] c = java.util.Arrays.copyOf(s, s.length - 1);
        c[c.length - 1] = s[s.length - 1];
        return c;
    }

    @Override
    protected boolean integerSlot(String slot, int[] varShape) {
        return varShape.length < 2 && !slot.equals("velocity");
    }

    /** Keras names the factors (and the rank < 2 placeholders) after the variable's short name. */
    @Override
    protected String slotName(String slot, String variablePath, Variable v) {
        return slot.equals("velocity") ? variablePath + "_velocity" : v.name();
    }

    @Override
    protected void update(int index, float[] w, float[] g, float learningRate) {
        float t = (float) (iterations() + 1);
        float lr = learningRate;
        float invSqrtT = 1f / (float) Math.sqrt(t);
        // Keras: a LearningRateSchedule is callable, so relative_step only caps a fixed rate
        if (schedule() == null && relativeStep) {
            lr = Math.min(lr, invSqrtT);
        }
        float rho = Math.min(lr, invSqrtT);
        float alpha = Math.max((float) epsilon2, rms(w, w.length)) * rho;
        float eps1 = (float) epsilon1;
        float b = 1f - (float) Math.pow(t, (float) beta2Decay);
        float oneMinusB = 1f - b;
        int[] shape = slot("velocity", index).shape();
        float[] v = slot("velocity", index).data();
        if (shape.length >= 2) {
            factored(shape, g, slot("r", index).data(), slot("c", index).data(), v, eps1, b, oneMinusB);
        } else {
            for (int j = 0; j < w.length; j++) {
                v[j] = b * v[j] + oneMinusB * (g[j] * g[j] + eps1);
            }
        }
        if (u.length < w.length) {
            u = new float[w.length];
        }
        for (int j = 0; j < w.length; j++) {
            u[j] = g[j] / (float) Math.sqrt(v[j]);
        }
        float denom = Math.max(1f, rms(u, w.length) / (float) clipThreshold);
        for (int j = 0; j < w.length; j++) {
            w[j] = w[j] - alpha * (u[j] / denom);
        }
    }

    /** The factored second moment over the last two axes (rows {@code m}, columns {@code n}) of each leading block. */
    private static void factored(int[] shape, float[] g, float[] r, float[] c, float[] v, float eps1, float b,
                                 float oneMinusB) {
        int m = shape[shape.length - 2];
        int n = shape[shape.length - 1];
        int blocks = g.length / (m * n);
        for (int k = 0; k < blocks; k++) {
            int base = k * m * n;
            for (int i = 0; i < m; i++) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    float gj = g[base + i * n + j];
                    sum += gj * gj + eps1;
                }
                r[k * m + i] = b * r[k * m + i] + oneMinusB * (float) (sum / n);
            }
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int i = 0; i < m; i++) {
                    float gj = g[base + i * n + j];
                    sum += gj * gj + eps1;
                }
                c[k * n + j] = b * c[k * n + j] + oneMinusB * (float) (sum / m);
            }
            double rSum = 0;
            for (int i = 0; i < m; i++) {
                rSum += r[k * m + i];
            }
            float rMean = (float) (rSum / m);
            for (int i = 0; i < m; i++) {
                float ri = r[k * m + i] / rMean;
                for (int j = 0; j < n; j++) {
                    v[base + i * n + j] = ri * c[k * n + j];
                }
            }
        }
    }

    private static float rms(float[] x, int n) {
        double sq = 0;
        for (int j = 0; j < n; j++) {
            sq += (double) x[j] * x[j];
        }
        return (float) Math.sqrt(sq / n);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("beta_2_decay", beta2Decay);
        c.put("epsilon_1", epsilon1);
        c.put("epsilon_2", epsilon2);
        c.put("clip_threshold", clipThreshold);
        c.put("relative_step", relativeStep);
        return c;
    }
}
