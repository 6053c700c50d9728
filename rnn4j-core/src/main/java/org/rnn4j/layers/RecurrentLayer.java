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

/**
 * Base of Keras's SimpleRNN, LSTM and GRU: the options (fluent setters named after Keras's
 * arguments, frozen once built), their getters, the Keras weight layouts and the Keras config.
 * The stateless calls live in {@link RecurrentLoop} and the fused whole-sequence forward and
 * backward in its per-context {@link RecurrentRun}: the layer object holds configuration and
 * weights only. Inputs are {@code [x]} or {@code [x, h0]} ({@code [x, h0, c0]} for LSTM);
 * outputs {@code [output]} or, with returnState, {@code [output, h]} ({@code [output, h, c]}).
 *
 * @param <T> the concrete layer, so fluent setters return it
 */
public abstract class RecurrentLayer<T extends RecurrentLayer<T>> extends RecurrentLoop {
    private Activation activation = Activations.get("tanh");
    private Activation recurrentActivation = Activations.get("sigmoid");
    private boolean useBias = true;
    private boolean returnSequences;
    private boolean returnState;
    private boolean goBackwards;
    private boolean zeroOutputForMask;
    private boolean stateful;
    private double dropout;
    private double recurrentDropout;
    private Long seed;
    private Initializer kernelInitializer = Initializers.get("glorot_uniform");
    private Initializer recurrentInitializer = Initializers.get("orthogonal");
    private Initializer biasInitializer = Initializers.get("zeros");
    private Regularizer kernelRegularizer;
    private Regularizer recurrentRegularizer;
    private Regularizer biasRegularizer;

    protected RecurrentLayer(int units) {
        super(units);
    }

    /** A copy named explicitly (see {@link Layer#Layer(String)}). */
    protected RecurrentLayer(int units, String explicitName) {
        super(units, explicitName);
    }

    @SuppressWarnings("unchecked")
    protected final T self() {
        return (T) this;
    }

    /** A new layer of the same class and units with the given name, consuming no name counter. */
    protected abstract T newInstance(String name);

    // ------------------------------------------------------------------ fluent options

    public T activation(String name) {
        return activation(Activations.get(name));
    }

    public T activation(Activation a) {
        checkNotBuilt();
        this.activation = a;
        return self();
    }

    /** For LSTM and GRU (public setters there). */
    protected void setRecurrentActivation(Activation a) {
        checkNotBuilt();
        this.recurrentActivation = a;
    }

    public T useBias(boolean value) {
        checkNotBuilt();
        this.useBias = value;
        return self();
    }

    public T returnSequences(boolean value) {
        checkNotBuilt();
        this.returnSequences = value;
        return self();
    }

    /**
     * Keras's {@code return_state}: {@link #forwardAll} (and symbolic {@code call}) return
     * {@code [output, h]} ({@code [output, h, c]} for LSTM); the single-output
     * {@link #forward(Tensor, Mask, boolean, LayerContext)} still returns the output alone.
     */
    public T returnState(boolean value) {
        checkNotBuilt();
        this.returnState = value;
        return self();
    }

    public T goBackwards(boolean value) {
        checkNotBuilt();
        this.goBackwards = value;
        return self();
    }

    /** Keras's RNN {@code zero_output_for_mask}: zeros instead of the carried output at masked steps. */
    public T zeroOutputForMask(boolean value) {
        checkNotBuilt();
        this.zeroOutputForMask = value;
        return self();
    }

    /**
     * Keras's {@code stateful}: the final states of each call (each batch of predict/fit) are the
     * initial states of the next, until {@link #resetStates()}. Needs a fixed batch size (the
     * first call's, or {@link #statefulBatchSize}); a stateful layer refuses concurrent calls.
     */
    public T stateful(boolean value) {
        checkNotBuilt();
        this.stateful = value;
        return self();
    }

    /** Fraction of the inputs dropped in training (one mask per call, shared by all steps, as Keras). */
    public T dropout(double rate) {
        checkNotBuilt();
        this.dropout = Math.min(1.0, Math.max(0.0, rate));
        return self();
    }

    /** Fraction of the recurrent state dropped in training (one mask per call, as Keras). */
    public T recurrentDropout(double rate) {
        checkNotBuilt();
        this.recurrentDropout = Math.min(1.0, Math.max(0.0, rate));
        return self();
    }

    /** Seed of the dropout masks (Keras's {@code seed}); by default drawn from the model's seed. */
    public T seed(Long value) {
        checkNotBuilt();
        this.seed = value;
        return self();
    }

    public T seed(long value) {
        return seed(Long.valueOf(value));
    }

    public T kernelInitializer(String name) {
        return kernelInitializer(Initializers.get(name));
    }

    public T kernelInitializer(Initializer init) {
        checkNotBuilt();
        this.kernelInitializer = init;
        return self();
    }

    public T recurrentInitializer(String name) {
        return recurrentInitializer(Initializers.get(name));
    }

    public T recurrentInitializer(Initializer init) {
        checkNotBuilt();
        this.recurrentInitializer = init;
        return self();
    }

    public T biasInitializer(String name) {
        return biasInitializer(Initializers.get(name));
    }

    public T biasInitializer(Initializer init) {
        checkNotBuilt();
        this.biasInitializer = init;
        return self();
    }

    public T kernelRegularizer(Regularizer r) {
        checkNotBuilt();
        this.kernelRegularizer = r;
        return self();
    }

    public T recurrentRegularizer(Regularizer r) {
        checkNotBuilt();
        this.recurrentRegularizer = r;
        return self();
    }

    public T biasRegularizer(Regularizer r) {
        checkNotBuilt();
        this.biasRegularizer = r;
        return self();
    }

    @Override
    public T inputShape(int... shape) {
        super.inputShape(shape);
        return self();
    }

    @Override
    public T name(String n) {
        super.name(n);
        return self();
    }

    // ------------------------------------------------------------------ getters

    public int units() {
        return units;
    }

    public Activation activation() {
        return activation;
    }

    protected Activation recurrentActivationValue() {
        return recurrentActivation;
    }

    public boolean useBias() {
        return useBias;
    }

    public boolean returnSequences() {
        return returnSequences;
    }

    public boolean returnState() {
        return returnState;
    }

    public boolean goBackwards() {
        return goBackwards;
    }

    public boolean zeroOutputForMask() {
        return zeroOutputForMask;
    }

    @Override
    public boolean stateful() {
        return stateful;
    }

    public double dropout() {
        return dropout;
    }

    public double recurrentDropout() {
        return recurrentDropout;
    }

    public Long seed() {
        return seed;
    }

    public Initializer kernelInitializer() {
        return kernelInitializer;
    }

    public Initializer recurrentInitializer() {
        return recurrentInitializer;
    }

    public Initializer biasInitializer() {
        return biasInitializer;
    }

    public Regularizer kernelRegularizer() {
        return kernelRegularizer;
    }

    public Regularizer recurrentRegularizer() {
        return recurrentRegularizer;
    }

    public Regularizer biasRegularizer() {
        return biasRegularizer;
    }

    /** The {@code kernel} weight {@code (input_dim, G*units)}; null before build. */
    public Variable kernel() {
        return kernel;
    }

    /** The {@code recurrent_kernel} weight {@code (units, G*units)}; null before build. */
    public Variable recurrentKernel() {
        return recurrentKernel;
    }

    /** The {@code bias} weight, or null without bias or before build. */
    public Variable bias() {
        return bias;
    }

    /** A copy of this layer's configuration (not its weights) under a new name. */
    public T copyConfig(String newName) {
        T c = newInstance(newName);
        RecurrentLayer<T> o = c;
        o.activation = activation;
        o.recurrentActivation = recurrentActivation;
        o.useBias = useBias;
        o.returnSequences = returnSequences;
        o.returnState = returnState;
        o.goBackwards = goBackwards;
        o.zeroOutputForMask = zeroOutputForMask;
        o.stateful = stateful;
        o.dropout = dropout;
        o.recurrentDropout = recurrentDropout;
        o.seed = seed;
        o.kernelInitializer = kernelInitializer;
        o.recurrentInitializer = recurrentInitializer;
        o.biasInitializer = biasInitializer;
        o.kernelRegularizer = kernelRegularizer;
        o.recurrentRegularizer = recurrentRegularizer;
        o.biasRegularizer = biasRegularizer;
        o.trainable(isTrainable());
        copyOptionsTo(c);
        return c;
    }

    /** Copies the subclass's own options (unitForgetBias, resetAfter). */
    protected void copyOptionsTo(T other) {
    }

    // ------------------------------------------------------------------ shapes and weights

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length != 2 || in[1] <= 0) {
            throw new LayerShapeException("Layer '" + name() + "' (" + className() + ") expects input of shape "
                    + "(None, timesteps, features) with a known feature size but got " + Shapes.withBatch(in)
                    + "; recurrent layers take 3D input (batch, timesteps, features), e.g. inputShape(4, 6)"
                    + (in.length > 2 ? "; flatten the extra axes first, e.g. with TimeDistributed(new Flatten())"
                    : in.length < 2 ? "; make a sequence first, e.g. with RepeatVector or Reshape" : ""));
        }
        return returnSequences ? new int[] {in[0], units} : new int[] {units};
    }

    /** Keras's shape of {@code bias}. */
    protected int[] biasShape() {
        return new int[] {gateCount() * units};
    }

    /** The initializer actually used for {@code bias} (LSTM's unit_forget_bias wraps it). */
    protected Initializer effectiveBiasInitializer() {
        return biasInitializer;
    }

    @Override
    protected void createWeights(int[] in, Rng rng) {
        int gh = gateCount() * units;
        kernel = addWeight("kernel", new int[] {in[1], gh}, kernelInitializer, kernelRegularizer, rng);
        recurrentKernel = addWeight("recurrent_kernel", new int[] {units, gh}, recurrentInitializer,
                recurrentRegularizer, rng);
        if (useBias) {
            bias = addWeight("bias", biasShape(), effectiveBiasInitializer(), biasRegularizer, rng);
        }
        // Same draws from the model's Rng as before (one split when unseeded); each context then
        // draws its masks from its own stream seeded here.
        dropoutSeed = seed != null ? seed : rng.split().nextLong();
        stepActivation = Kernels.activation(activation);
        stepRecurrentActivation = Kernels.activation(recurrentActivation);
    }

    @Override
    public Mask computeMask(Tensor input, Mask mask) {
        return returnSequences ? mask : null;
    }

    // ------------------------------------------------------------------ config

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("return_sequences", returnSequences);
        c.put("return_state", returnState);
        c.put("go_backwards", goBackwards);
        c.put("stateful", stateful);
        c.put("unroll", false);
        c.put("zero_output_for_mask", zeroOutputForMask);
        c.put("units", units);
        c.put("activation", activation.name());
        if (hasRecurrentActivation()) {
            c.put("recurrent_activation", recurrentActivation.name());
        }
        c.put("use_bias", useBias);
        c.put("kernel_initializer", kernelInitializer.name());
        c.put("recurrent_initializer", recurrentInitializer.name());
        c.put("bias_initializer", biasInitializer.name());
        putOwnOptions(c);
        c.put("kernel_regularizer", kernelRegularizer);
        c.put("recurrent_regularizer", recurrentRegularizer);
        c.put("bias_regularizer", biasRegularizer);
        c.put("activity_regularizer", org.rnn4j.layers.config.ConfigValues.regularizer(activityRegularizer()));
        c.put("kernel_constraint", null);
        c.put("recurrent_constraint", null);
        c.put("bias_constraint", null);
        c.put("dropout", dropout);
        c.put("recurrent_dropout", recurrentDropout);
        putTrailingOptions(c);
        return c;
    }

    protected boolean hasRecurrentActivation() {
        return true;
    }

    /** Options Keras lists after the initializers (LSTM's unit_forget_bias). */
    protected void putOwnOptions(Map<String, Object> c) {
    }

    /** Options Keras lists after dropout (GRU's reset_after, then seed). */
    protected void putTrailingOptions(Map<String, Object> c) {
        c.put("seed", seed);
    }
}
