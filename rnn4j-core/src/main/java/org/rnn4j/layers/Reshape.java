package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's Reshape: reshapes each sample to {@code targetShape} (batch axis excluded); one
 * entry may be -1 and is inferred.
 */
public class Reshape extends Layer {
    private final int[] targetShape;

    /** What a training forward pass records for backward: the input's shape. */
    private static final class State {
        int[] inputShape;
    }

    public Reshape(int... targetShape) {
        int unknown = 0;
        for (int d : targetShape) {
            if (d == -1) {
                unknown++;
            } else if (d <= 0) {
                throw new IllegalArgumentException("Reshape: target shape " + Shapes.toString(targetShape)
                        + " has a non-positive size; use -1 for one inferred axis");
            }
        }
        if (unknown > 1) {
            throw new IllegalArgumentException("Reshape: target shape " + Shapes.toString(targetShape)
                    + " may contain at most one -1");
        }
        this.targetShape = targetShape.clone();
    }

    public int[] targetShape() {
        return targetShape.clone();
    }

    @Override
    public Reshape inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Reshape name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        for (int d : in) {
            if (d < 0) {
                // An unknown input size leaves the -1 entry unknown (Keras's None).
                return targetShape.clone();
            }
        }
        return resolve(Shapes.product(in, 0, in.length), in);
    }

    private int[] resolve(int total, int[] in) {
        int[] out = targetShape.clone();
        int known = 1;
        int infer = -1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                infer = i;
            } else {
                known *= out[i];
            }
        }
        if (infer >= 0 && known > 0 && total % known == 0) {
            out[infer] = total / known;
            known = total;
        }
        if (known != total) {
            throw new LayerShapeException("Layer '" + name() + "' (Reshape) cannot reshape input "
                    + Shapes.withBatch(in) + " (" + total + " values per sample) to target shape "
                    + Shapes.toString(targetShape) + "; the sizes must multiply to " + total);
        }
        return out;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        int[] sample = Shapes.dropFirst(x.shape());
        int[] out = resolve(Shapes.product(sample, 0, sample.length), sample);
        if (training) {
            ctx.state(State::new).inputShape = x.shape();
        }
        return x.reshape(Shapes.prepend(x.dim(0), out));
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.inputShape == null) {
            throw noForwardRecorded();
        }
        return gradOutput.reshape(s.inputShape);
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static Reshape fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("Reshape", config);
        Object v = c.get("target_shape");
        if (!(v instanceof java.util.List) || ((java.util.List<?>) v).isEmpty()) {
            throw c.error("option target_shape must be a list of sizes, got " + v);
        }
        java.util.List<?> l = (java.util.List<?>) v;
        int[] shape = new int[l.size()];
        for (int i = 0; i < shape.length; i++) {
            Object d = l.get(i);
            shape[i] = d instanceof Number && ((Number) d).doubleValue() == -1 ? -1 : c.checkSize("target_shape", d);
        }
        return c.finish(new Reshape(shape));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("target_shape", BaseConv.tuple(targetShape));
        return c;
    }
}
