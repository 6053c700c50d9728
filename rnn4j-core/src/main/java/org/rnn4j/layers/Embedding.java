package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.Initializers;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's Embedding: token ids (whole numbers stored as floats) to rows of an
 * {@code (input_dim, output_dim)} table named "embeddings". With {@code maskZero}, id 0 is
 * padding and the output mask is {@code id != 0}.
 */
public class Embedding extends Layer {
    private final int inputDim;
    private final int outputDim;
    private boolean maskZero;
    // Keras 3's default "uniform" is RandomUniform(-0.05, 0.05).
    private Initializer embeddingsInitializer = Initializers.get("random_uniform");
    private Regularizer embeddingsRegularizer;

    private Variable embeddings;

    /** What a training forward pass records for backward: the ids looked up and the input's shape. */
    private static final class State {
        int[] ids;
        int[] inputShape;
    }

    public Embedding(int inputDim, int outputDim) {
        if (inputDim <= 0 || outputDim <= 0) {
            throw new IllegalArgumentException("Embedding: inputDim and outputDim must be positive, got inputDim="
                    + inputDim + ", outputDim=" + outputDim);
        }
        this.inputDim = inputDim;
        this.outputDim = outputDim;
    }

    public Embedding maskZero(boolean value) {
        checkNotBuilt();
        this.maskZero = value;
        return this;
    }

    public Embedding embeddingsInitializer(String name) {
        return embeddingsInitializer(Initializers.get(name));
    }

    public Embedding embeddingsInitializer(Initializer init) {
        checkNotBuilt();
        this.embeddingsInitializer = init;
        return this;
    }

    public Embedding embeddingsRegularizer(Regularizer r) {
        checkNotBuilt();
        this.embeddingsRegularizer = r;
        return this;
    }

    @Override
    public Embedding inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Embedding name(String n) {
        super.name(n);
        return this;
    }

    public int inputDim() {
        return inputDim;
    }

    public int outputDim() {
        return outputDim;
    }

    public boolean maskZero() {
        return maskZero;
    }

    public Initializer embeddingsInitializer() {
        return embeddingsInitializer;
    }

    public Regularizer embeddingsRegularizer() {
        return embeddingsRegularizer;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        if (maskZero && in.length != 1) {
            throw shapeError("(None, timesteps) of token ids (maskZero masks are per time step)", in);
        }
        int[] out = new int[in.length + 1];
        System.arraycopy(in, 0, out, 0, in.length);
        out[in.length] = outputDim;
        return out;
    }

    @Override
    protected void createWeights(int[] in, Rng rng) {
        embeddings = addWeight("embeddings", new int[] {inputDim, outputDim}, embeddingsInitializer,
                embeddingsRegularizer, rng);
    }

    private int tokenId(float v, int position) {
        int id = (int) v;
        if (id != v || id < 0 || id >= inputDim) {
            String what = id != v ? "is not a whole number" : "is out of range";
            String shown = id == v ? Integer.toString(id) : Float.toString(v);
            throw new IllegalArgumentException("Layer '" + name() + "' (Embedding): token id " + shown + " at flat position "
                    + position + " " + what + "; ids must be whole numbers in [0, " + inputDim + ") since inputDim="
                    + inputDim + ". Raise inputDim to cover the vocabulary or fix the tokenizer");
        }
        return id;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        requireBuilt();
        int[] built = inputShape();
        int[] actual = Shapes.dropFirst(x.shape());
        boolean ok = actual.length == built.length;
        for (int i = 0; ok && i < built.length; i++) {
            ok = built[i] < 0 || built[i] == actual[i];
        }
        if (!ok) {
            throw shapeError(Shapes.withBatch(built), actual);
        }
        float[] xd = x.data();
        int[] ids = new int[xd.length];
        for (int i = 0; i < xd.length; i++) {
            ids[i] = tokenId(xd[i], i);
        }
        int[] outShape = new int[x.rank() + 1];
        System.arraycopy(x.shape(), 0, outShape, 0, x.rank());
        outShape[x.rank()] = outputDim;
        Tensor y = Tensor.zeros(outShape);
        float[] table = embeddings.value().data();
        float[] yd = y.data();
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(table, ids[i] * outputDim, yd, i * outputDim, outputDim);
        }
        if (training) {
            State s = ctx.state(State::new);
            s.ids = ids;
            s.inputShape = x.shape();
        }
        return y;
    }

    /** Scatter-adds into the table's gradient; ids are not differentiable, so the input gradient is zero. */
    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.ids == null) {
            throw noForwardRecorded();
        }
        int[] lastIds = s.ids;
        float[] g = embeddings.grad().data();
        float[] dy = gradOutput.data();
        for (int i = 0; i < lastIds.length; i++) {
            int row = lastIds[i] * outputDim;
            int o = i * outputDim;
            for (int j = 0; j < outputDim; j++) {
                g[row + j] += dy[o + j];
            }
        }
        return ctx.inputGradientNeeded() ? Tensor.zeros(s.inputShape) : null;
    }

    @Override
    public Mask computeMask(Tensor input, Mask mask) {
        if (!maskZero) {
            return null;
        }
        if (input.rank() != 2) {
            throw shapeError("(None, timesteps) of token ids (maskZero masks are per time step)",
                    Shapes.dropFirst(input.shape()));
        }
        float[] d = input.data();
        boolean[] m = new boolean[d.length];
        for (int i = 0; i < d.length; i++) {
            m[i] = d[i] != 0f;
        }
        return new Mask(m, input.dim(0), input.dim(1));
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static Embedding fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("Embedding", config);
        Embedding e = new Embedding(c.size("input_dim"), c.size("output_dim"));
        e.maskZero(c.bool("mask_zero", false));
        return c.finish(e);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("input_dim", inputDim);
        c.put("output_dim", outputDim);
        c.put("embeddings_initializer", embeddingsInitializer.name());
        c.put("embeddings_regularizer", embeddingsRegularizer);
        c.put("activity_regularizer", org.rnn4j.layers.config.ConfigValues.regularizer(activityRegularizer()));
        c.put("embeddings_constraint", null);
        c.put("mask_zero", maskZero);
        return c;
    }
}
