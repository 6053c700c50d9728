package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Tensor;

/** Keras's Identity: returns its input (and mask) unchanged; a placeholder layer without weights. */
public class Identity extends Layer {
    @Override
    public Identity name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public Identity inputShape(int... shape) {
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

    /** Rebuilds the layer from its Keras config (name, trainable, dtype only). */
    public static Identity fromConfig(Map<String, Object> config) {
        return new ConfigReader("Identity", config).finish(new Identity());
    }
}
