package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Names;
import org.rnn4j.util.Rng;

/**
 * A Keras layer. Configuration is set with fluent setters before the layer is built and is frozen
 * afterwards; state is the list of weights. Each layer owns a fused forward and backward pass:
 * {@link #forward} with {@code training=true} records what {@link #backward} needs, and
 * {@code backward} accumulates ({@code +=}) into the weights' gradients.
 *
 * <p>Shapes exchanged with {@link #build} and {@link #outputShape} exclude the batch axis;
 * {@code -1} means unknown (Keras's None).
 */
public abstract class Layer {
    private String name;
    private int[] declaredInputShape;
    private int[] inputShape;
    private int[] outputShape;
    private boolean built;
    private boolean trainable = true;
    private final List<Variable> weights = new ArrayList<>();

    protected Layer() {
        this.name = Names.next(Names.snakeCase(className()));
    }

    /** Keras's class name, e.g. {@code "LSTM"}; shown in summaries and saved configs. */
    public String className() {
        return getClass().getSimpleName();
    }

    public String name() {
        return name;
    }

    /** Sets the layer name (Keras's {@code name=}); subclasses narrow the return type. */
    public Layer name(String newName) {
        checkNotBuilt();
        this.name = newName;
        return this;
    }

    /** Declares the per-sample input shape (Keras's {@code input_shape=}), batch axis excluded. */
    public Layer inputShape(int... shape) {
        checkNotBuilt();
        for (int d : shape) {
            if (d == 0 || d < -1) {
                throw new IllegalArgumentException("Layer '" + name + "': input shape "
                        + Shapes.toString(shape) + " has a non-positive size; use -1 for a variable length");
            }
        }
        this.declaredInputShape = shape.clone();
        return this;
    }

    public Layer trainable(boolean value) {
        this.trainable = value;
        return this;
    }

    public boolean isTrainable() {
        return trainable;
    }

    /** The input shape given with {@link #inputShape}, or null. */
    public int[] declaredInputShape() {
        return declaredInputShape == null ? null : declaredInputShape.clone();
    }

    public boolean isBuilt() {
        return built;
    }

    /** Checks the input shape, creates the weights and freezes the configuration. */
    public final void build(int[] inputShape, Rng rng) {
        if (built) {
            if (!compatible(this.inputShape, inputShape)) {
                throw new LayerShapeException("Layer '" + name + "' (" + className() + ") was built for input shape "
                        + Shapes.withBatch(this.inputShape) + " but is now given " + Shapes.withBatch(inputShape));
            }
            return;
        }
        int[] out = computeOutputShape(inputShape.clone());
        createWeights(inputShape.clone(), rng);
        this.inputShape = inputShape.clone();
        this.outputShape = out;
        this.built = true;
    }

    private static boolean compatible(int[] a, int[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i] && a[i] != -1 && b[i] != -1) {
                return false;
            }
        }
        return true;
    }

    /**
     * The output shape for a per-sample input shape; throws {@link LayerShapeException} naming
     * this layer, the expected and the actual shape when the input does not fit.
     */
    public abstract int[] computeOutputShape(int[] inputShape);

    /** Creates the weights with {@link #addWeight}; called once by {@link #build}. */
    protected void createWeights(int[] inputShape, Rng rng) {
    }

    /** Runs the layer on a batch. With {@code training}, records what {@link #backward} needs. */
    public abstract Tensor forward(Tensor x, Mask mask, boolean training);

    public final Tensor forward(Tensor x) {
        return forward(x, null, false);
    }

    /**
     * Back-propagates {@code gradOutput} through the last training forward pass: adds the weight
     * gradients into {@link Variable#grad()} and returns the gradient for the input.
     */
    public Tensor backward(Tensor gradOutput) {
        throw new UnsupportedOperationException("Layer '" + name + "' (" + className() + ") has no backward pass");
    }

    /** The mask of the output given the input and its mask (Keras's {@code compute_mask}). */
    public Mask computeMask(Tensor input, Mask mask) {
        return supportsMasking() ? mask : null;
    }

    /** Whether the layer passes an input mask through unchanged (Keras's {@code supports_masking}). */
    protected boolean supportsMasking() {
        return false;
    }

    /** The weights in Keras order (the order of {@code layer.weights} and of saved files). */
    public List<Variable> weights() {
        return Collections.unmodifiableList(weights);
    }

    public int countParams() {
        int n = 0;
        for (Variable v : weights()) {
            n += v.size();
        }
        return n;
    }

    public int trainableParams() {
        if (!trainable) {
            return 0;
        }
        int n = 0;
        for (Variable v : weights()) {
            if (v.trainable()) {
                n += v.size();
            }
        }
        return n;
    }

    public int[] inputShape() {
        requireBuilt();
        return inputShape.clone();
    }

    public int[] outputShape() {
        requireBuilt();
        return outputShape.clone();
    }

    /** The Keras config (snake_case keys) for saving, e.g. {@code units}, {@code activation}. */
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("trainable", trainable);
        c.put("dtype", "float32");
        return c;
    }

    protected Variable addWeight(String weightName, int[] shape, Initializer init, Regularizer reg, Rng rng) {
        Tensor value = Tensor.zeros(shape);
        init.fill(value, rng);
        Variable v = new Variable(weightName, value, true, reg);
        weights.add(v);
        return v;
    }

    protected Variable addNonTrainableWeight(String weightName, Tensor value) {
        Variable v = new Variable(weightName, value, false, null);
        weights.add(v);
        return v;
    }

    protected void checkNotBuilt() {
        if (built) {
            throw new IllegalStateException("Layer '" + name + "' is already built; set its options before adding it to a model");
        }
    }

    protected void requireBuilt() {
        if (!built) {
            throw new IllegalStateException("Layer '" + name + "' is not built yet: add it to a model with an input shape, or call build()");
        }
    }

    /** Throws the standard shape error for this layer. */
    protected LayerShapeException shapeError(String expected, int[] actual) {
        return new LayerShapeException("Layer '" + name + "' (" + className() + ") expects input of shape "
                + expected + " but got " + Shapes.withBatch(actual));
    }

    /** Throws when a backward call has no recorded training forward. */
    protected IllegalStateException noForwardRecorded() {
        return new IllegalStateException("Layer '" + name + "': backward() needs a preceding forward(x, mask, training=true)");
    }

    @Override
    public String toString() {
        return name + " (" + className() + ")";
    }

    /**
     * For copies that Keras names explicitly (Bidirectional's {@code forward_<name>} and
     * {@code backward_<name>}): takes the given name and consumes no per-JVM name counter.
     */
    protected Layer(String explicitName) {
        this.name = explicitName;
    }

    private boolean inputGradientNeeded = true;

    /**
     * Whether {@link #backward} must return the input gradient. A model's first layer does not need
     * it in training (Keras never computes it), so layers that can skip that work return null then.
     */
    public void inputGradientNeeded(boolean value) {
        this.inputGradientNeeded = value;
    }

    public boolean inputGradientNeeded() {
        return inputGradientNeeded;
    }
}
