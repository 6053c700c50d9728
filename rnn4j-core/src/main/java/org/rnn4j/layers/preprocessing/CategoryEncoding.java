package org.rnn4j.layers.preprocessing;

import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.config.ConfigValues;
import org.rnn4j.tensor.Tensor;

/**
 * Keras 3's CategoryEncoding: integer ids in {@code [0, num_tokens)} (carried in float tensors)
 * become {@code one_hot}, {@code multi_hot} (default) or {@code count} vectors of size
 * {@code num_tokens}. Dense output only ({@code sparse=false}); no {@code count_weights} input.
 * It has no weights and passes no gradient to its (integer) input.
 */
public class CategoryEncoding extends Layer {
    private final int numTokens;
    private String outputMode = "multi_hot";

    public CategoryEncoding(int numTokens) {
        if (numTokens < 1) {
            throw new IllegalArgumentException("CategoryEncoding: `num_tokens` must be >= 1. Received: num_tokens=" + numTokens);
        }
        this.numTokens = numTokens;
    }

    /** {@code "multi_hot"} (default; Keras's old name {@code "binary"} accepted), {@code "one_hot"} or {@code "count"}. */
    public CategoryEncoding outputMode(String mode) {
        checkNotBuilt();
        String m = "binary".equals(mode) ? "multi_hot" : mode;
        if (!"count".equals(m) && !"one_hot".equals(m) && !"multi_hot".equals(m)) {
            throw new IllegalArgumentException("CategoryEncoding: Unknown arg for output_mode: " + mode
                    + "; use one_hot, multi_hot or count");
        }
        this.outputMode = m;
        return this;
    }

    @Override
    public CategoryEncoding name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public CategoryEncoding inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    public int numTokens() {
        return numTokens;
    }

    public String outputMode() {
        return outputMode;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        return CategoricalOutput.shape(name(), outputMode, numTokens, in);
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        float[] d = x.data();
        long[] ids = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            ids[i] = CategoricalOutput.integer(name(), d[i]);
        }
        if (training) {
            ctx.state(InputShape::new).shape = x.shape();
        }
        return CategoricalOutput.encode(name(), outputMode, numTokens, ids, x.shape(), null);
    }

    /** Per call site: the shape of the last training input. */
    static final class InputShape {
        int[] shape;
    }

    /** The input is a set of integer ids: its gradient is zero (as Embedding's). */
    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        InputShape s = ctx.existingState();
        if (s == null || s.shape == null) {
            throw noForwardRecorded();
        }
        return ctx.inputGradientNeeded() ? Tensor.zeros(s.shape) : null;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("num_tokens", numTokens);
        c.put("output_mode", outputMode);
        return c;
    }

    public static CategoryEncoding fromConfig(Map<String, Object> config) {
        if (config.get("num_tokens") == null) {
            throw new IllegalArgumentException("CategoryEncoding: num_tokens must be set to use this layer. If the number"
                    + " of tokens is not known beforehand, use the IntegerLookup layer instead.");
        }
        if (ConfigValues.getBoolean(config, "sparse", false)) {
            throw new IllegalArgumentException("CategoryEncoding: sparse=True is not supported; rnn4j's tensors are dense");
        }
        CategoryEncoding l = new CategoryEncoding(ConfigValues.getInt(config, "num_tokens", 0))
                .outputMode(ConfigValues.getString(config, "output_mode", "multi_hot"));
        String name = ConfigValues.name(config);
        if (name != null) {
            l.name(name);
        }
        l.trainable(ConfigValues.getBoolean(config, "trainable", true));
        return l;
    }
}
