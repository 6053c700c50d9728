package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.activations.Activations;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.Initializers;
import org.rnn4j.regularizers.Regularizer;

/**
 * The options of a layer with a "kernel" and an optional "bias" weight and an activation, as
 * Keras's convolutions declare them ({@link BaseConv}, {@link BaseConvTranspose}): activation
 * (default linear), use_bias (true), kernel and bias initializers (glorot_uniform, zeros) and
 * regularizers (none). Setters are fluent and refuse changes once the layer is built.
 *
 * @param <T> the concrete layer, so fluent setters keep its type
 */
public abstract class BaseKernelLayer<T extends BaseKernelLayer<T>> extends Layer {
    private Activation activation = Activations.get("linear");
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.get("glorot_uniform");
    private Initializer biasInitializer = Initializers.get("zeros");
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;

    /** This layer as its concrete type. */
    protected abstract T self();

    public T activation(String name) {
        return activation(Activations.get(name));
    }

    public T activation(Activation a) {
        checkNotBuilt();
        this.activation = a;
        return self();
    }

    public T useBias(boolean value) {
        checkNotBuilt();
        this.useBias = value;
        return self();
    }

    public T kernelInitializer(String name) {
        return kernelInitializer(Initializers.get(name));
    }

    public T kernelInitializer(Initializer init) {
        checkNotBuilt();
        this.kernelInitializer = init;
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

    public Activation activation() {
        return activation;
    }

    public boolean useBias() {
        return useBias;
    }

    public Initializer kernelInitializer() {
        return kernelInitializer;
    }

    public Initializer biasInitializer() {
        return biasInitializer;
    }

    public Regularizer kernelRegularizer() {
        return kernelRegularizer;
    }

    public Regularizer biasRegularizer() {
        return biasRegularizer;
    }

    /** Adds the "kernel" weight of {@code shape} with this layer's initializer and regularizer. */
    protected final Variable addKernel(int[] shape, org.rnn4j.util.Rng rng) {
        return addWeight("kernel", shape, kernelInitializer, kernelRegularizer, rng);
    }

    /** Adds the "bias" weight of {@code shape}, or returns null without use_bias. */
    protected final Variable addBias(int[] shape, org.rnn4j.util.Rng rng) {
        return useBias ? addWeight("bias", shape, biasInitializer, biasRegularizer, rng) : null;
    }

    /**
     * The config entries of these options, in Keras's order (after the layer's own): activation,
     * use_bias, initializers, regularizers, and the activity regularizer and constraints rnn4j
     * does not support (always null).
     */
    protected final void putKernelOptions(Map<String, Object> c) {
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
        c.put("kernel_initializer", kernelInitializer.name());
        c.put("bias_initializer", biasInitializer.name());
        c.put("kernel_regularizer", kernelRegularizer);
        c.put("bias_regularizer", biasRegularizer);
        c.put("activity_regularizer", org.rnn4j.layers.config.ConfigValues.regularizer(activityRegularizer()));
        c.put("kernel_constraint", constraintConfig("kernel"));
        c.put("bias_constraint", constraintConfig("bias"));
    }

    /** Reads the activation and use_bias options of a Keras config into {@code l}. */
    static void readActivationAndBias(ConfigReader c, BaseKernelLayer<?> l) {
        l.activation(c.activation("activation", "linear"));
        l.useBias(c.bool("use_bias", true));
    }
}
