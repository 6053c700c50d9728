package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.kernels.Resize;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/** Keras's UpSampling1D(size=2): repeats each step {@code size} times. Stateless; masks dropped as in Keras. */
public class UpSampling1D extends Layer {
    private final int size;

    public UpSampling1D() {
        this(2);
    }

    public UpSampling1D(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("UpSampling1D: Argument `size` should be a positive integer. Received: size="
                    + size);
        }
        this.size = size;
    }

    public int size() {
        return size;
    }

    @Override
    public UpSampling1D name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public UpSampling1D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length != 2) {
            throw shapeError("(None, steps, channels)", in);
        }
        return new int[] {in[0] < 0 ? -1 : in[0] * size, in[1]};
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        if (x.rank() != 3) {
            throw shapeError("(None, steps, channels)", Shapes.dropFirst(x.shape()));
        }
        Tensor y = Tensor.zeros(x.dim(0), x.dim(1) * size, x.dim(2));
        Resize.nearest(x.data(), x.dim(0), 1, x.dim(1), x.dim(2), 1, size, y.data());
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        if (!ctx.inputGradientNeeded()) {
            return null;
        }
        int steps = gradOutput.dim(1) / size;
        Tensor dx = Tensor.zeros(gradOutput.dim(0), steps, gradOutput.dim(2));
        Resize.nearestBackward(gradOutput.data(), gradOutput.dim(0), 1, steps, gradOutput.dim(2), 1, size, dx.data());
        return dx;
    }

    /** Rebuilds the layer from its Keras config. */
    public static UpSampling1D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("UpSampling1D", config);
        UpSampling1D l = new UpSampling1D(c.has("size") ? c.size("size") : 2);
        return c.finish(l);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("size", size);
        return c;
    }
}
