package org.rnn4j.layers;

import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Tensor;

/**
 * A layer weight (Keras's Variable): its value, the gradient accumulated by backward passes
 * ({@code +=}, cleared by the optimizer step), and an optional regularizer.
 */
public final class Variable {
    private final String name;
    private Tensor value;
    private Tensor grad;
    private final boolean trainable;
    private final Regularizer regularizer;
    /** Applied by the optimizer after each step (Keras's {@code variable.constraint}); null for none. */
    private volatile org.rnn4j.constraints.Constraint constraint;
    private volatile boolean overwriteWithGradient;

    public Variable(String name, Tensor value, boolean trainable, Regularizer regularizer) {
        this.name = name;
        this.value = value;
        this.trainable = trainable;
        this.regularizer = regularizer;
    }

    public Variable(String name, Tensor value) {
        this(name, value, true, null);
    }

    /** Keras's short name: {@code kernel}, {@code recurrent_kernel}, {@code bias}, ... */
    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public int[] shape() {
        return value.shape();
    }

    /** Replaces the values (shape must match), e.g. when loading weights. */
    public void assign(Tensor newValue) {
        if (!java.util.Arrays.equals(newValue.shape(), value.shape())) {
            throw new IllegalArgumentException("Weight '" + name + "' has shape "
                    + org.rnn4j.tensor.Shapes.toString(value.shape()) + " but the new value has shape "
                    + org.rnn4j.tensor.Shapes.toString(newValue.shape()));
        }
        System.arraycopy(newValue.data(), 0, value.data(), 0, newValue.size());
    }

    /** The gradient buffer, created on first use. */
    public Tensor grad() {
        if (grad == null) {
            grad = Tensor.zeros(value.shape());
        }
        return grad;
    }

    public void zeroGrad() {
        if (grad != null) {
            java.util.Arrays.fill(grad.data(), 0f);
        }
    }

    public boolean trainable() {
        return trainable;
    }

    public Regularizer regularizer() {
        return regularizer;
    }

    /** Keras's {@code variable.constraint}: projected after every optimizer step; null for none. */
    public org.rnn4j.constraints.Constraint constraint() {
        return constraint;
    }

    public void constraint(org.rnn4j.constraints.Constraint value) {
        this.constraint = value;
    }

    public int size() {
        return value.size();
    }

    /**
     * Keras's {@code variable.overwrite_with_gradient} (float8 training's scales): the optimizer
     * assigns the gradient to the variable instead of a learning step, and keeps no slots for it.
     */
    public boolean overwriteWithGradient() {
        return overwriteWithGradient;
    }

    public void overwriteWithGradient(boolean value) {
        this.overwriteWithGradient = value;
    }
}
