package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.activations.Activations;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's Activation layer: applies an activation element-wise (softmax over the last axis).
 * The mask passes through. Not to be confused with the function type
 * {@link org.rnn4j.activations.Activation} it wraps.
 */
public class Activation extends Layer {
    private final org.rnn4j.activations.Activation activation;
    private Tensor lastInput;
    private Tensor lastOutput;

    public Activation(String name) {
        this(Activations.get(name));
    }

    public Activation(org.rnn4j.activations.Activation activation) {
        if (activation == null) {
            throw new IllegalArgumentException("Activation layer needs an activation, got null");
        }
        this.activation = activation;
    }

    public org.rnn4j.activations.Activation activation() {
        return activation;
    }

    @Override
    public Activation inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Activation name(String n) {
        super.name(n);
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

    private static int cols(Tensor x) {
        return x.rank() == 0 ? 1 : Math.max(1, x.dim(-1));
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training) {
        int cols = cols(x);
        Tensor y = Tensor.zeros(x.shape());
        activation.forward(x.data(), y.data(), 0, x.size() / cols, cols);
        if (training) {
            lastInput = x;
            lastOutput = y;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (lastInput == null) {
            throw noForwardRecorded();
        }
        int cols = cols(lastInput);
        Tensor dx = Tensor.zeros(lastInput.shape());
        activation.backward(lastInput.data(), lastOutput.data(), gradOutput.data(), dx.data(), 0,
                lastInput.size() / cols, cols);
        return dx;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("activation", activation.name());
        return c;
    }
}
