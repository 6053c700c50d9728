package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.regularizers.L1L2;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's ActivityRegularization: passes its input through and, as every layer with an
 * {@code activity_regularizer}, adds {@code (l1 * sum|x| + l2 * sum x^2) / batch size} to the
 * model's loss at each call (the model computes that term and its gradient).
 */
public class ActivityRegularization extends Layer {
    private final double l1;
    private final double l2;

    public ActivityRegularization(double l1, double l2) {
        this.l1 = l1;
        this.l2 = l2;
        super.activityRegularizer(new L1L2((float) l1, (float) l2));
    }

    public double l1() {
        return l1;
    }

    public double l2() {
        return l2;
    }

    /** The regularizer is this layer's {@code l1} and {@code l2}; set them in the constructor. */
    @Override
    public ActivityRegularization activityRegularizer(org.rnn4j.regularizers.Regularizer regularizer) {
        throw new UnsupportedOperationException("ActivityRegularization '" + name() + "': its regularizer is"
                + " L1L2(l1, l2) from the constructor; use new ActivityRegularization(l1, l2)");
    }

    @Override
    public ActivityRegularization name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public ActivityRegularization inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    protected boolean supportsMasking() {
        return true;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        return in.clone();
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        return x;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        return gradOutput;
    }

    /** Rebuilds the layer from its Keras config ({@code l1}, {@code l2}, defaults 0). */
    public static ActivityRegularization fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("ActivityRegularization", config);
        return c.finish(new ActivityRegularization(c.number("l1", 0), c.number("l2", 0)));
    }

    /** Keras's config: l1 and l2, without the base {@code activity_regularizer} (Keras pops it). */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.remove("activity_regularizer");
        c.put("l1", l1);
        c.put("l2", l2);
        return c;
    }
}
