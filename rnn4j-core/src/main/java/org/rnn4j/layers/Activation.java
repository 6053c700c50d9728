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

    /** What a training forward pass records for backward. */
    private static final class State {
        Tensor input;
        Tensor output;
    }

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
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        int cols = cols(x);
        Tensor y = Tensor.zeros(x.shape());
        activation.forward(x.data(), y.data(), 0, x.size() / cols, cols);
        if (training) {
            State s = ctx.state(State::new);
            s.input = x;
            s.output = y;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.input == null) {
            throw noForwardRecorded();
        }
        Tensor input = s.input;
        int cols = cols(input);
        Tensor dx = Tensor.zeros(input.shape());
        activation.backward(input.data(), s.output.data(), gradOutput.data(), dx.data(), 0,
                input.size() / cols, cols);
        return dx;
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static Activation fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("Activation", config);
        String a = c.activation("activation", null);
        if (a == null) {
            throw c.error("missing option activation");
        }
        return c.finish(new Activation(a));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("activation", activation.name());
        return c;
    }
}
