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
    private List<int[]> inputShapes;
    private List<int[]> outputShapes;
    private boolean built;
    private boolean trainable = true;
    private final List<Variable> weights = new ArrayList<>();
    private Regularizer activityRegularizer;

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

    /**
     * Keras's {@code activity_regularizer} (every Keras layer takes it): each call adds
     * {@code regularizer(output) / batch size} per output to the model's loss (Keras 3's
     * {@code Layer.__call__}), in training and in {@code evaluate}; the model adds its gradient.
     */
    public Layer activityRegularizer(Regularizer regularizer) {
        checkNotBuilt();
        this.activityRegularizer = regularizer;
        return this;
    }

    /** The activity regularizer, or null. */
    public Regularizer activityRegularizer() {
        return activityRegularizer;
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
        build(List.of(inputShape), rng);
    }

    /**
     * Builds for the per-sample shapes of every input (one for most layers; merges and recurrent
     * layers with initial states take several). A built layer only checks that the shapes fit.
     */
    public final void build(List<int[]> shapes, Rng rng) {
        if (built) {
            if (shapes.size() != inputShapes.size()) {
                throw new LayerShapeException("Layer '" + name + "' (" + className() + ") was built for "
                        + inputShapes.size() + " input(s) but is now given " + shapes.size());
            }
            for (int i = 0; i < shapes.size(); i++) {
                // A layer without weights may be called on other shapes (Keras allows it: nothing depends on them).
                if (!compatible(inputShapes.get(i), shapes.get(i)) && !weights.isEmpty()) {
                    throw new LayerShapeException("Layer '" + name + "' (" + className() + ") was built for input shape "
                            + Shapes.withBatch(inputShapes.get(i)) + " but is now given " + Shapes.withBatch(shapes.get(i)));
                }
            }
            return;
        }
        List<int[]> out = computeOutputShapes(copies(shapes));
        createWeights(copies(shapes), rng);
        this.inputShapes = copies(shapes);
        this.outputShapes = copies(out);
        this.built = true;
    }

    private static List<int[]> copies(List<int[]> shapes) {
        List<int[]> c = new ArrayList<>(shapes.size());
        for (int[] s : shapes) {
            c.add(s.clone());
        }
        return c;
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

    /**
     * The per-sample shapes of every output for the shapes of every input. The default is the
     * one-input, one-output case of {@link #computeOutputShape}; layers with several inputs or
     * outputs override it.
     */
    public List<int[]> computeOutputShapes(List<int[]> inputShapes) {
        if (inputShapes.size() != 1) {
            throw new LayerShapeException("Layer '" + name + "' (" + className() + ") takes one input but is called on "
                    + inputShapes.size() + ": " + Shapes.listToString(inputShapes));
        }
        return List.of(computeOutputShape(inputShapes.get(0)));
    }

    /** Creates the weights with {@link #addWeight}; called once by {@link #build}. */
    protected void createWeights(int[] inputShape, Rng rng) {
    }

    /** Creates the weights for every input's shape; the default uses the first. */
    protected void createWeights(List<int[]> inputShapes, Rng rng) {
        createWeights(inputShapes.get(0), rng);
    }

    // ---------------------------------------------------------------- running (stateless calls)

    /**
     * Runs the layer on a batch. With {@code training}, records in {@code ctx} what
     * {@link #backward(Tensor, LayerContext)} needs. The layer object itself is not changed, so
     * concurrent calls with different contexts are safe.
     */
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        if (!overridesLegacy("forward", Tensor.class, Mask.class, boolean.class)) {
            throw new UnsupportedOperationException("Layer '" + name + "' (" + className() + ") has no forward pass");
        }
        return forward(x, mask, training);
    }

    /**
     * Back-propagates {@code gradOutput} through the training forward pass recorded in {@code ctx}:
     * adds the weight gradients into {@link Variable#grad()} and returns the gradient for the input
     * (or null when {@link LayerContext#inputGradientNeeded()} is false and the layer skips it).
     */
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        if (!overridesLegacy("backward", Tensor.class)) {
            throw new UnsupportedOperationException("Layer '" + name + "' (" + className() + ") has no backward pass");
        }
        boolean saved = inputGradientNeeded;
        inputGradientNeeded = ctx.inputGradientNeeded();
        try {
            return backward(gradOutput);
        } finally {
            inputGradientNeeded = saved;
        }
    }

    /**
     * The graph form of {@link #forward(Tensor, Mask, boolean, LayerContext)}: every input, every
     * output. Merge layers and recurrent layers with initial states or returned states override it.
     */
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("Layer '" + name + "' (" + className() + ") takes one input but got " + inputs.size());
        }
        return List.of(forward(inputs.get(0), masks == null ? null : masks.get(0), training, ctx));
    }

    /**
     * The graph form of {@link #backward(Tensor, LayerContext)}: a gradient per output (null for an
     * output nothing used, meaning zeros), a gradient per input back (null where not needed).
     */
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        return java.util.Collections.singletonList(backward(gradOutputs.get(0), ctx));
    }

    /** The masks of every output (Keras's {@code compute_mask}); the default is {@link #computeMask}. */
    public List<Mask> computeMasks(List<Tensor> inputs, List<Mask> masks) {
        Mask m = computeMask(inputs.get(0), masks == null ? null : masks.get(0));
        int n = outputShapes == null ? 1 : outputShapes.size();
        List<Mask> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(m);
        }
        return out;
    }

    /**
     * The output masks of a call that just ran in {@code ctx}; the default is {@link #computeMasks}.
     * Layers whose masks come out of the run itself (nested models) read them from the context.
     */
    public List<Mask> outputMasks(List<Tensor> inputs, List<Mask> masks, LayerContext ctx) {
        return computeMasks(inputs, masks);
    }

    /**
     * Eager use, outside a model (tests, notebooks): runs with this layer's own context. Not for
     * concurrent use; models always pass a context of their own.
     */
    public Tensor forward(Tensor x, Mask mask, boolean training) {
        return forward(x, mask, training, eagerContext());
    }

    public final Tensor forward(Tensor x) {
        return forward(x, null, false);
    }

    /** Eager backward through the last eager training {@link #forward(Tensor, Mask, boolean)}. */
    public Tensor backward(Tensor gradOutput) {
        LayerContext c = eagerContext();
        c.inputGradientNeeded(inputGradientNeeded);
        return backward(gradOutput, c);
    }

    private LayerContext eagerContext;

    /** The context of eager calls (created on first use). */
    protected final synchronized LayerContext eagerContext() {
        if (eagerContext == null) {
            eagerContext = new LayerContext();
        }
        return eagerContext;
    }

    // Transitional: while layers move to contexts, one overriding only the old eager methods still runs.
    private boolean overridesLegacy(String method, Class<?>... types) {
        try {
            return getClass().getMethod(method, types).getDeclaringClass() != Layer.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- symbolic calls (functional API)

    private final List<Node> inboundNodes = new ArrayList<>(1);

    /** The nodes where this layer was called, in call order (Keras's {@code _inbound_nodes}). */
    public List<Node> inboundNodes() {
        synchronized (inboundNodes) {
            return List.copyOf(inboundNodes);
        }
    }

    void addInboundNode(Node node) {
        synchronized (inboundNodes) {
            inboundNodes.add(node);
        }
    }

    /** The dtype of this layer's outputs for an input dtype; float32 for all but pass-through layers. */
    public String outputDtype(String inputDtype) {
        return "float32";
    }

    /** Renames without the not-built check (inputs and models can be renamed at any time). */
    protected final void renameUnchecked(String newName) {
        this.name = newName;
    }


    /**
     * Keras's {@code layer(x)} on symbolic tensors: builds the layer for their shapes (or checks
     * them, for a shared layer) and returns the single output. Use {@link #call(List)} for layers
     * with several outputs (e.g. {@code returnState}).
     */
    public SymbolicTensor call(SymbolicTensor... inputs) {
        List<SymbolicTensor> out = call(java.util.Arrays.asList(inputs));
        if (out.size() != 1) {
            throw new IllegalStateException("Layer '" + name + "' (" + className() + ") returns " + out.size()
                    + " outputs; use call(List.of(...)) to get all of them");
        }
        return out.get(0);
    }

    /** Keras's {@code layer([a, b, ...])}: every output, e.g. {@code [output, h, c]} of an LSTM with returnState. */
    public List<SymbolicTensor> call(List<SymbolicTensor> inputs) {
        return Node.create(this, inputs).outputs();
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

    public long countParams() {
        long n = 0;
        for (Variable v : weights()) {
            n += v.size();
        }
        return n;
    }

    public long trainableParams() {
        if (!trainable) {
            return 0;
        }
        long n = 0;
        for (Variable v : weights()) {
            if (v.trainable()) {
                n += v.size();
            }
        }
        return n;
    }

    /** The per-sample shape of the (first) input the layer was built for. */
    public int[] inputShape() {
        requireBuilt();
        return inputShapes.get(0).clone();
    }

    /** The per-sample shape of the (first) output. */
    public int[] outputShape() {
        requireBuilt();
        return outputShapes.get(0).clone();
    }

    public List<int[]> inputShapes() {
        requireBuilt();
        return copies(inputShapes);
    }

    public List<int[]> outputShapes() {
        requireBuilt();
        return copies(outputShapes);
    }

    /** The Keras config (snake_case keys) for saving, e.g. {@code units}, {@code activation}. */
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("trainable", trainable);
        c.put("dtype", "float32");
        if (activityRegularizer != null) {  // as Keras's base get_config: only when set
            c.put("activity_regularizer", org.rnn4j.layers.config.ConfigValues.regularizer(activityRegularizer));
        }
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
     * Eager use only: whether {@link #backward(Tensor)} must return the input gradient (models set
     * this per call site on the {@link LayerContext} instead).
     */
    public void inputGradientNeeded(boolean value) {
        this.inputGradientNeeded = value;
    }

    public boolean inputGradientNeeded() {
        return inputGradientNeeded;
    }
}
