package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.activations.Activations;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.Initializers;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/** Keras's Dense: {@code activation(x . kernel + bias)} over the last axis of any-rank input. */
public class Dense extends Layer {
    private final int units;
    private Activation activation = Activations.get("linear");
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.get("glorot_uniform");
    private Initializer biasInitializer = Initializers.get("zeros");
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;

    private Variable kernel;
    private Variable bias;

    /** What a training forward pass records for backward, and backward's reusable scratch. */
    private static final class State {
        Tensor input;
        Tensor preActivation;
        Tensor output;
        float[] dz;
    }

    public Dense(int units) {
        if (units <= 0) {
            throw new IllegalArgumentException("Dense: units must be positive, got " + units);
        }
        this.units = units;
    }

    public Dense activation(String name) {
        checkNotBuilt();
        this.activation = Activations.get(name);
        return this;
    }

    public Dense activation(Activation a) {
        checkNotBuilt();
        this.activation = a;
        return this;
    }

    public Dense useBias(boolean value) {
        checkNotBuilt();
        this.useBias = value;
        return this;
    }

    public Dense kernelInitializer(String name) {
        return kernelInitializer(Initializers.get(name));
    }

    public Dense kernelInitializer(Initializer init) {
        checkNotBuilt();
        this.kernelInitializer = init;
        return this;
    }

    public Dense biasInitializer(String name) {
        return biasInitializer(Initializers.get(name));
    }

    public Dense biasInitializer(Initializer init) {
        checkNotBuilt();
        this.biasInitializer = init;
        return this;
    }

    public Dense kernelRegularizer(Regularizer r) {
        checkNotBuilt();
        this.kernelRegularizer = r;
        return this;
    }

    public Dense biasRegularizer(Regularizer r) {
        checkNotBuilt();
        this.biasRegularizer = r;
        return this;
    }

    @Override
    public Dense inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Dense name(String n) {
        super.name(n);
        return this;
    }

    public int units() {
        return units;
    }

    public Activation activation() {
        return activation;
    }

    public boolean useBias() {
        return useBias;
    }

    @Override
    protected boolean supportsMasking() {
        return true;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length < 1 || in[in.length - 1] <= 0) {
            throw shapeError("(None, ..., features) with a known last axis", in);
        }
        int[] out = in.clone();
        out[out.length - 1] = units;
        return out;
    }

    @Override
    protected void createWeights(int[] in, Rng rng) {
        int inputDim = in[in.length - 1];
        kernel = addWeight("kernel", new int[] {inputDim, units}, kernelInitializer, kernelRegularizer, rng);
        if (useBias) {
            bias = addWeight("bias", new int[] {units}, biasInitializer, biasRegularizer, rng);
        }
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        requireBuilt();
        int inputDim = kernel.shape()[0];
        if (x.dim(-1) != inputDim) {
            throw shapeError(Shapes.withBatch(inputShape()), Shapes.dropFirst(x.shape()));
        }
        int rows = x.size() / inputDim;
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = units;
        Tensor z = Tensor.zeros(outShape);
        float[] zd = z.data();
        if (useBias) {
            float[] b = bias.value().data();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(b, 0, zd, r * units, units);
            }
        }
        Kernels.matmul().gemm(rows, units, inputDim, x.data(), kernel.value().data(), zd, useBias);
        Tensor y;
        if (training && !activation.derivativeFromOutput()) {
            y = Tensor.zeros(outShape);
            activation.forward(zd, y.data(), 0, rows, units);
        } else {
            activation.forward(zd, zd, 0, rows, units);
            y = z;
        }
        if (training) {
            State s = ctx.state(State::new);
            s.input = x;
            s.preActivation = y == z ? null : z;
            s.output = y;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || s.input == null) {
            throw noForwardRecorded();
        }
        Tensor lastInput = s.input;
        int inputDim = kernel.shape()[0];
        int rows = lastInput.size() / inputDim;
        int n = gradOutput.size();
        if (s.dz == null || s.dz.length < n) {
            s.dz = new float[n];
        }
        float[] dz = s.dz;
        activation.backward(s.preActivation == null ? null : s.preActivation.data(), s.output.data(),
                gradOutput.data(), dz, 0, rows, units);
        // dKernel += x^T dz ; dBias += sum_rows dz ; dx = dz kernel^T
        Kernels.matmul().gemm(true, false, inputDim, units, rows, lastInput.data(), 0, inputDim,
                dz, 0, units, kernel.grad().data(), 0, units, true);
        if (useBias) {
            Kernels.matmul().addColumnSums(rows, units, dz, 0, units, bias.grad().data(), 0);
        }
        if (!ctx.inputGradientNeeded()) {
            return null;
        }
        Tensor dx = Tensor.zeros(lastInput.shape());
        Kernels.matmul().gemm(false, true, rows, inputDim, units, dz, 0, units,
                kernel.value().data(), 0, units, dx.data(), 0, inputDim, false);
        return dx;
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case); weights are set separately. */
    public static Dense fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("Dense", config);
        Dense d = new Dense(c.size("units"));
        d.activation(c.activation("activation", "linear"));
        d.useBias(c.bool("use_bias", true));
        return c.finish(d);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("units", units);
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
        c.put("kernel_initializer", kernelInitializer.name());
        c.put("bias_initializer", biasInitializer.name());
        if (!constraints().isEmpty()) {
            c.put("kernel_constraint", constraintConfig("kernel"));
            c.put("bias_constraint", constraintConfig("bias"));
        }
        return c;
    }
}
