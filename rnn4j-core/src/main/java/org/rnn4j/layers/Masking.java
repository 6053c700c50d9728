package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's Masking: a time step of {@code (batch, steps, features)} whose features all equal
 * {@code maskValue} is masked for the layers after it (RNNs skip it) and zeroed in the output.
 */
public class Masking extends Layer {
    private final float maskValue;

    /** What a training forward pass records for backward: which rows (batch x step) were kept. */
    private static final class State {
        boolean[] keep;
    }

    public Masking() {
        this(0.0);
    }

    public Masking(double maskValue) {
        this.maskValue = (float) maskValue;
    }

    public float maskValue() {
        return maskValue;
    }

    @Override
    public Masking inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Masking name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length != 2) {
            throw shapeError("(None, steps, features)", in);
        }
        return in.clone();
    }

    private boolean[] keep(Tensor x) {
        if (x.rank() != 3) {
            throw shapeError("(None, steps, features)", Shapes.dropFirst(x.shape()));
        }
        int rows = x.dim(0) * x.dim(1);
        int f = x.dim(2);
        float[] d = x.data();
        boolean[] keep = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < f && !keep[r]; j++) {
                keep[r] = d[r * f + j] != maskValue;
            }
        }
        return keep;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        boolean[] keep = keep(x);
        int f = x.dim(2);
        Tensor y = x.copy();
        for (int r = 0; r < keep.length; r++) {
            if (!keep[r]) {
                java.util.Arrays.fill(y.data(), r * f, (r + 1) * f, 0f);
            }
        }
        if (training) {
            ctx.state(State::new).keep = keep;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.keep == null) {
            throw noForwardRecorded();
        }
        boolean[] lastKeep = s.keep;
        int f = gradOutput.dim(2);
        Tensor dx = gradOutput.copy();
        for (int r = 0; r < lastKeep.length; r++) {
            if (!lastKeep[r]) {
                java.util.Arrays.fill(dx.data(), r * f, (r + 1) * f, 0f);
            }
        }
        return dx;
    }

    @Override
    public Mask computeMask(Tensor input, Mask mask) {
        return new Mask(keep(input), input.dim(0), input.dim(1));
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static Masking fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("Masking", config);
        return c.finish(new Masking(c.number("mask_value", 0.0)));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("mask_value", (double) maskValue);
        return c;
    }
}
