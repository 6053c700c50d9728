package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's AlphaDropout: in training sets dropped units (uniform draw below {@code rate}) to SELU's
 * negative saturation {@code -alpha*scale} and applies the affine map that keeps the mean and
 * variance: {@code y = a * (x*k + alpha_p*(1-k)) + b}; identity at inference. {@code noiseShape}
 * (one entry per input axis, batch first, -1 for Keras's None = that axis's size) shares one draw
 * along the axes of size 1. The mask passes through.
 */
public class AlphaDropout extends NoiseLayer {
    // SELU's constants, as Keras writes them
    private static final double ALPHA = 1.6732632423543772848170429916717;
    private static final double SCALE = 1.0507009873554804934193349852946;

    private final double rate;
    private int[] noiseShape;

    public AlphaDropout(double rate) {
        this.rate = checkUnit("AlphaDropout", "rate", rate);
    }

    public double rate() {
        return rate;
    }

    /** Keras's {@code seed=}. */
    public AlphaDropout seed(long value) {
        setSeed(value);
        return this;
    }

    /** Keras's {@code noise_shape}: batch axis first, -1 for None (the input's size); null for the input's shape. */
    public AlphaDropout noiseShape(int... shape) {
        checkNotBuilt();
        this.noiseShape = shape == null ? null : shape.clone();
        return this;
    }

    public int[] noiseShape() {
        return noiseShape == null ? null : noiseShape.clone();
    }

    @Override
    public AlphaDropout name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public AlphaDropout inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    protected void checkInputShape(int[] in) {
        if (noiseShape != null && noiseShape.length != in.length + 1) {
            throw new LayerShapeException("Layer '" + name() + "' (AlphaDropout): noise_shape "
                    + Shapes.toString(noiseShape) + " has " + noiseShape.length + " axes but the input "
                    + Shapes.withBatch(in) + " has " + (in.length + 1) + "; give one entry per axis, batch first");
        }
    }

    @Override
    protected boolean active() {
        return rate > 0;
    }

    @Override
    protected float[] applyNoise(Tensor x, Rng rng, float[] out) {
        int[] shape = x.shape();
        int[] ns = concreteNoiseShape(shape);
        int draws = 1;
        for (int d : ns) {
            draws *= d;
        }
        boolean[] kept = new boolean[draws];
        for (int i = 0; i < draws; i++) {
            kept[i] = rng.nextDouble() >= rate;
        }
        double alphaP = -ALPHA * SCALE;
        // Keras computes a and b in Python floats, then applies them to float32 tensors
        double aD = Math.pow((1 - rate) * (1 + rate * alphaP * alphaP), -0.5);
        float a = (float) aD;
        float b = (float) (-aD * alphaP * rate);
        float ap = (float) alphaP;
        float[] xd = x.data();
        float[] dydx = new float[out.length];
        int[] noiseIndex = broadcastIndex(shape, ns);
        for (int i = 0; i < out.length; i++) {
            boolean k = kept[noiseIndex[i]];
            float v = k ? xd[i] : ap;
            out[i] = a * v + b;
            dydx[i] = k ? a : 0f;
        }
        return dydx;
    }

    private int[] concreteNoiseShape(int[] shape) {
        if (noiseShape == null) {
            return shape.clone();
        }
        checkInputShape(Shapes.dropFirst(shape));
        int[] ns = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            ns[i] = noiseShape[i] == -1 ? shape[i] : noiseShape[i];
            if (ns[i] != shape[i] && ns[i] != 1) {
                throw new LayerShapeException("Layer '" + name() + "' (AlphaDropout): noise_shape "
                        + Shapes.toString(noiseShape) + " does not broadcast to the input " + Shapes.toString(shape)
                        + " (axis " + i + " must be " + shape[i] + ", 1 or None)");
            }
        }
        return ns;
    }

    /** For every element of {@code shape}, the flat index of its draw in the broadcast {@code ns}. */
    static int[] broadcastIndex(int[] shape, int[] ns) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        int[] idx = new int[n];
        int rank = shape.length;
        int[] nsStride = new int[rank];
        int s = 1;
        for (int ax = rank - 1; ax >= 0; ax--) {
            nsStride[ax] = ns[ax] == 1 ? 0 : s;
            s *= ns[ax];
        }
        int[] coord = new int[rank];
        for (int i = 0; i < n; i++) {
            int k = 0;
            for (int ax = 0; ax < rank; ax++) {
                k += coord[ax] * nsStride[ax];
            }
            idx[i] = k;
            for (int ax = rank - 1; ax >= 0; ax--) {
                if (++coord[ax] < shape[ax]) {
                    break;
                }
                coord[ax] = 0;
            }
        }
        return idx;
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys). */
    public static AlphaDropout fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("AlphaDropout", config);
        if (!c.has("rate")) {
            throw c.error("option rate is required");
        }
        AlphaDropout d = new AlphaDropout(c.number("rate", 0));
        Object ns = c.get("noise_shape");
        if (ns != null) {
            if (!(ns instanceof List)) {
                throw c.error("option noise_shape must be a list of integers or None, got " + ns);
            }
            List<?> l = (List<?>) ns;
            int[] shape = new int[l.size()];
            for (int i = 0; i < shape.length; i++) {
                Object v = l.get(i);
                if (v != null && !(v instanceof Number && ((Number) v).intValue() > 0)) {
                    throw c.error("option noise_shape must hold positive integers or None, got " + ns);
                }
                shape[i] = v == null ? -1 : ((Number) v).intValue();
            }
            d.noiseShape(shape);
        }
        return c.finish(readSeed(c, d));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("rate", rate);
        c.put("seed", seed());
        List<Object> ns = null;
        if (noiseShape != null) {
            ns = new ArrayList<>();
            for (int v : noiseShape) {
                ns.add(v == -1 ? null : v);
            }
        }
        c.put("noise_shape", ns);
        return c;
    }
}
