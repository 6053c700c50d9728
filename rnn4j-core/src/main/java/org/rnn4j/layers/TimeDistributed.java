package org.rnn4j.layers;

import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's TimeDistributed: applies the wrapped layer to every time slice of
 * {@code (batch, time, ...)} by folding time into the batch ({@code [B*T, ...]}), which gives the
 * same numbers as Keras's per-step loop with one call. The inner layer is built for the per-step
 * shape; its weights are this layer's weights. The input mask passes through unchanged.
 */
public class TimeDistributed extends Layer {
    private final Layer layer;

    /** What a training forward pass records for backward: the unfolded input's shape. */
    private static final class State {
        int[] inputShape;
    }

    public TimeDistributed(Layer layer) {
        if (layer == null) {
            throw new IllegalArgumentException("TimeDistributed needs a layer to wrap, got null");
        }
        this.layer = layer;
    }

    /** The wrapped layer (Keras's {@code layer} attribute). */
    public Layer layer() {
        return layer;
    }

    @Override
    public TimeDistributed inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public TimeDistributed name(String n) {
        super.name(n);
        return this;
    }

    /** Freezing the wrapper freezes the wrapped layer, as in Keras. */
    @Override
    public TimeDistributed trainable(boolean value) {
        super.trainable(value);
        layer.trainable(value);
        return this;
    }

    @Override
    protected boolean supportsMasking() {
        return true;
    }

    private int[] perStep(int[] in) {
        if (in.length < 2) {
            throw shapeError("(None, timesteps, ...) with at least one axis after time", in);
        }
        return Shapes.dropFirst(in);
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        int[] step = perStep(in);
        int[] innerOut;
        try {
            innerOut = layer.isBuilt() ? layer.outputShape() : layer.computeOutputShape(step);
        } catch (LayerShapeException e) {
            throw new LayerShapeException("Layer '" + name() + "' (TimeDistributed) applies '" + layer.name()
                    + "' to each time step of " + Shapes.withBatch(in) + ", i.e. to slices of shape "
                    + Shapes.withBatch(step) + ": " + e.getMessage());
        }
        return Shapes.prepend(in[0], innerOut);
    }

    @Override
    protected void createWeights(int[] in, Rng rng) {
        layer.build(perStep(in), rng);
    }

    @Override
    public List<Variable> weights() {
        return layer.weights();
    }

    private static int[] fold(int[] shape) {
        int[] s = Shapes.dropFirst(shape);
        s[0] = shape[0] * shape[1];
        return s;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        requireBuilt();
        if (x.rank() < 3) {
            throw shapeError(Shapes.withBatch(inputShape()), Shapes.dropFirst(x.shape()));
        }
        int batch = x.dim(0);
        int time = x.dim(1);
        // The inner layer sees B*T independent samples; time-step masks do not apply inside.
        Tensor y = layer.forward(x.reshape(fold(x.shape())), null, training, ctx.child(0));
        if (training) {
            ctx.state(State::new).inputShape = x.shape();
        }
        int[] out = y.shape();
        int[] unfolded = new int[out.length + 1];
        unfolded[0] = batch;
        unfolded[1] = time;
        System.arraycopy(out, 1, unfolded, 2, out.length - 1);
        return y.reshape(unfolded);
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.inputShape == null) {
            throw noForwardRecorded();
        }
        Tensor dx = layer.backward(gradOutput.reshape(fold(gradOutput.shape())), ctx.child(0));
        return dx == null ? null : dx.reshape(s.inputShape);
    }

    /** Keras's config; {@code "layer"} holds the wrapped {@link Layer} (serialize it with its own config). */
    /**
     * Rebuilds the wrapper from its config when {@code "layer"} holds a {@link Layer} (as
     * {@link #config()} writes it). A serialized {@code {"class_name", "config"}} layer needs the
     * registry: use {@link #fromConfig(Map, java.util.function.Function)}.
     */
    public static TimeDistributed fromConfig(Map<String, Object> config) {
        return fromConfig(config, null);
    }

    /**
     * Rebuilds the wrapper; {@code deserialize} turns a serialized inner layer
     * ({@code {"class_name": ..., "config": ...}}) into a layer (the loader's registry).
     */
    public static TimeDistributed fromConfig(Map<String, Object> config,
                                             java.util.function.Function<Map<String, Object>, Layer> deserialize) {
        ConfigReader c = new ConfigReader("TimeDistributed", config);
        Object v = c.get("layer");
        Layer inner;
        if (v instanceof Layer) {
            inner = (Layer) v;
        } else if (v instanceof Map && deserialize != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) v;
            inner = deserialize.apply(m);
        } else if (v instanceof Map) {
            throw c.error("option layer is a serialized layer; pass a deserializer to fromConfig(config, deserialize)");
        } else {
            throw c.error("option layer must be a layer or a serialized layer {\"class_name\": ..., \"config\": ...}, got " + v);
        }
        return c.finish(new TimeDistributed(inner));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        // The layer object itself: the Keras saver serializes it with its build_config, as Keras does.
        c.put("layer", layer);
        return c;
    }

    @Override
    public void inputGradientNeeded(boolean value) {
        super.inputGradientNeeded(value);
        layer.inputGradientNeeded(value);
    }
}
