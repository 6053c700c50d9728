package org.rnn4j.layers.activations;

import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.config.ConfigValues;
import org.rnn4j.tensor.Tensor;

/**
 * Shared body of the weightless element-wise activation layers (LeakyReLU, ELU, ReLU): the output
 * has the input's shape, the mask passes through (Keras's {@code supports_masking=True}), and a
 * training call keeps its input in the call context so backward can take {@code f'(x)}.
 */
abstract class ElementwiseActivationLayer extends Layer {
    /** What a training forward pass records for backward. */
    private static final class State {
        Tensor input;
    }

    /** {@code f(x)}. */
    abstract float apply(float x);

    /** {@code f'(x)}; at a kink the one-sided value TensorFlow uses. */
    abstract float derivative(float x);

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
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = apply(in[i]);
        }
        if (training) {
            ctx.<State>state(State::new).input = x;
        }
        return Tensor.of(out, x.shape());
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.input == null) {
            throw noForwardRecorded();
        }
        if (!ctx.inputGradientNeeded()) {
            return null;
        }
        float[] in = s.input.data();
        float[] g = gradOutput.data();
        float[] dx = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            dx[i] = g[i] * derivative(in[i]);
        }
        return Tensor.of(dx, gradOutput.shape());
    }

    /** Applies the common options (name, trainable) of a Keras config. */
    static <L extends Layer> L common(L layer, Map<String, Object> config) {
        String name = ConfigValues.name(config);
        if (name != null) {
            layer.name(name);
        }
        layer.trainable(ConfigValues.getBoolean(config, "trainable", true));
        return layer;
    }

    /** Keras's validation of a non-negative option, with its message. */
    static float nonNegative(String layer, String option, Double value) {
        if (value == null || value < 0 || Double.isNaN(value)) {
            throw new IllegalArgumentException(layer + ": " + option + " cannot be None or a negative value; got "
                    + value + " (use a float >= 0)");
        }
        return value.floatValue();
    }
}
