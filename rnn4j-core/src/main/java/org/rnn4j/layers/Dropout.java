package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/** Keras's Dropout: identity at inference; in training zeroes with probability {@code rate}, scales by 1/(1-rate). */
public class Dropout extends Layer {
    private final float rate;
    private Rng rng;
    private float[] lastScale;

    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout: rate must be in [0, 1), got " + rate);
        }
        this.rate = (float) rate;
    }

    public float rate() {
        return rate;
    }

    @Override
    public Dropout inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Dropout name(String n) {
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

    @Override
    protected void createWeights(int[] in, Rng rng) {
        this.rng = rng.split();
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training) {
        if (!training || rate == 0f) {
            lastScale = null;
            return x;
        }
        float keep = 1f - rate;
        float[] scale = new float[x.size()];
        float[] out = new float[x.size()];
        float[] xd = x.data();
        for (int i = 0; i < out.length; i++) {
            scale[i] = rng.nextDouble() < rate ? 0f : 1f / keep;
            out[i] = xd[i] * scale[i];
        }
        lastScale = scale;
        return Tensor.of(out, x.shape());
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (lastScale == null) {
            return gradOutput;
        }
        float[] g = gradOutput.data();
        float[] dx = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            dx[i] = g[i] * lastScale[i];
        }
        return Tensor.of(dx, gradOutput.shape());
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("rate", (double) rate);
        c.put("seed", null);
        c.put("noise_shape", null);
        return c;
    }
}
