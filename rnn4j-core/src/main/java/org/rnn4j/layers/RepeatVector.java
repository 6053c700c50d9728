package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/** Keras's RepeatVector: {@code (batch, features) -> (batch, n, features)}. */
public class RepeatVector extends Layer {
    private final int n;

    /** Marks that a training forward pass ran at this call site (backward needs nothing else). */
    private static final class State {
        boolean recorded;
    }

    public RepeatVector(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("RepeatVector: n must be positive, got " + n);
        }
        this.n = n;
    }

    public int n() {
        return n;
    }

    @Override
    public RepeatVector inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public RepeatVector name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length != 1) {
            throw shapeError("(None, features)", in);
        }
        return new int[] {n, in[0]};
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        if (x.rank() != 2) {
            throw shapeError("(None, features)", Shapes.dropFirst(x.shape()));
        }
        int batch = x.dim(0);
        int f = x.dim(1);
        float[] out = new float[batch * n * f];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < n; t++) {
                System.arraycopy(x.data(), b * f, out, (b * n + t) * f, f);
            }
        }
        if (training) {
            ctx.state(State::new).recorded = true;
        }
        return Tensor.of(out, batch, n, f);
    }

    /** Sums the gradient over the repeats. */
    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || !s.recorded) {
            throw noForwardRecorded();
        }
        int batch = gradOutput.dim(0);
        int f = gradOutput.dim(2);
        float[] dy = gradOutput.data();
        float[] dx = new float[batch * f];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < n; t++) {
                int o = (b * n + t) * f;
                for (int j = 0; j < f; j++) {
                    dx[b * f + j] += dy[o + j];
                }
            }
        }
        return Tensor.of(dx, batch, f);
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static RepeatVector fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("RepeatVector", config);
        return c.finish(new RepeatVector(c.size("n")));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("n", n);
        return c;
    }
}
