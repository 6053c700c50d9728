package org.rnn4j.optimizers;

import java.util.List;
import java.util.Map;

/**
 * Keras 3's Ftrl ("Follow The Regularized Leader"), with Keras's update: {@code n' = n + g^2},
 * {@code z += g + 2 l2s w - (n'^-p - n^-p) / lr * w},
 * {@code w = (clip(z, -l1, l1) - z) / (n'^-p / lr + 2 (l2 + beta / (2 lr)))}, {@code n = n'}, where
 * {@code p} is {@code learning_rate_power}; accumulators start at {@code initial_accumulator_value}.
 */
public class Ftrl extends Optimizer {
    private double learningRatePower = -0.5;
    private double initialAccumulatorValue = 0.1;
    private double l1 = 0.0;
    private double l2 = 0.0;
    private double l2Shrinkage = 0.0;
    private double beta = 0.0;

    public Ftrl() {
        this(0.001);
    }

    public Ftrl(double learningRate) {
        super(learningRate);
    }

    public Ftrl(LearningRateSchedule schedule) {
        super(schedule);
    }

    public Ftrl learningRatePower(double value) {
        checkNotBuilt();
        if (value > 0.0) {
            throw new IllegalArgumentException("`learning_rate_power` needs to be negative or zero. Received:"
                    + " learning_rate_power=" + value + ".");
        }
        this.learningRatePower = value;
        return this;
    }

    public Ftrl initialAccumulatorValue(double value) {
        checkNotBuilt();
        if (value < 0.0) {
            throw new IllegalArgumentException("`initial_accumulator_value` needs to be positive or zero. Received:"
                    + " initial_accumulator_value=" + value + ".");
        }
        this.initialAccumulatorValue = value;
        return this;
    }

    public Ftrl l1RegularizationStrength(double value) {
        checkNotBuilt();
        if (value < 0.0) {
            throw new IllegalArgumentException("`l1_regularization_strength` needs to be positive or zero. Received:"
                    + " l1_regularization_strength=" + value + ".");
        }
        this.l1 = value;
        return this;
    }

    public Ftrl l2RegularizationStrength(double value) {
        checkNotBuilt();
        if (value < 0.0) {
            throw new IllegalArgumentException("`l2_regularization_strength` needs to be positive or zero. Received:"
                    + " l2_regularization_strength=" + value + ".");
        }
        this.l2 = value;
        return this;
    }

    public Ftrl l2ShrinkageRegularizationStrength(double value) {
        checkNotBuilt();
        if (value < 0.0) {
            throw new IllegalArgumentException("`l2_shrinkage_regularization_strength` needs to be positive or zero."
                    + " Received: l2_shrinkage_regularization_strength=" + value + ".");
        }
        this.l2Shrinkage = value;
        return this;
    }

    public Ftrl beta(double value) {
        checkNotBuilt();
        this.beta = value;
        return this;
    }

    private void checkNotBuilt() {
        if (isBuilt()) {
            throw new IllegalStateException("Ftrl '" + name() + "' is already built; set options before training");
        }
    }

    @Override
    protected List<String[]> slotGroups() {
        return List.<String[]>of(new String[] {"accumulator", "linear"});
    }

    @Override
    protected float initialSlotValue(String slot) {
        return slot.equals("accumulator") ? (float) initialAccumulatorValue : 0f;
    }

    @Override
    protected void update(int index, float[] w, float[] g, float lr) {
        float[] accum = slot("accumulator", index).data();
        float[] linear = slot("linear", index).data();
        double negPower = -learningRatePower;
        // Keras: l2 + beta / (2.0 * lr) with lr a float32 tensor; 2 * l2_shrinkage in Python double
        float l2Reg = (float) l2 + (float) beta / (2.0f * lr);
        float shrink = (float) (2 * l2Shrinkage);
        float l1f = (float) l1;
        for (int j = 0; j < w.length; j++) {
            float gj = g[j];
            float gradToUse = gj + shrink * w[j];
            float newAccum = accum[j] + gj * gj;
            float newPow = (float) Math.pow(newAccum, negPower);
            float oldPow = (float) Math.pow(accum[j], negPower);
            linear[j] = linear[j] + (gradToUse - ((newPow - oldPow) / lr) * w[j]);
            float quadratic = newPow / lr + 2f * l2Reg;
            float clipped = Math.min(Math.max(linear[j], -l1f), l1f);
            w[j] = (clipped - linear[j]) / quadratic;
            accum[j] = newAccum;
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("learning_rate_power", learningRatePower);
        c.put("initial_accumulator_value", initialAccumulatorValue);
        c.put("l1_regularization_strength", l1);
        c.put("l2_regularization_strength", l2);
        c.put("l2_shrinkage_regularization_strength", l2Shrinkage);
        c.put("beta", beta);
        return c;
    }
}
