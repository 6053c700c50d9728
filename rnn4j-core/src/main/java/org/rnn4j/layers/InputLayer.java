package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code InputLayer}: the source of a model input. It has no weights and passes its batch
 * through; {@code org.rnn4j.models.Input.of(...)} makes one and returns its tensor.
 */
public final class InputLayer extends Layer {
    private final int[] shape;
    private final String dtype;
    private final SymbolicTensor output;

    public InputLayer(int[] shape, String dtype, String name) {
        super(name == null ? org.rnn4j.util.Names.next("input_layer") : name);
        for (int d : shape) {
            if (d == 0 || d < -1) {
                throw new IllegalArgumentException("Input: shape " + org.rnn4j.tensor.Shapes.toString(shape)
                        + " has a non-positive size; use -1 for a variable length");
            }
        }
        if (!dtype.equals("float32") && !dtype.equals("int32") && !dtype.equals("int64") && !dtype.equals("string")) {
            throw new IllegalArgumentException("Input: dtype '" + dtype + "' is not supported; use float32, int32, int64"
                    + " or string (read by a StringLookup)");
        }
        this.shape = shape.clone();
        this.dtype = dtype;
        build(shape, null);
        this.output = Node.input(this, shape, dtype).outputs().get(0);
        addInboundNode(output.node());
    }

    /** The tensor this input feeds (Keras's {@code Input(...)} value). */
    public SymbolicTensor output() {
        return output;
    }

    public String dtype() {
        return dtype;
    }

    @Override
    public InputLayer name(String n) {
        renameUnchecked(n);
        return this;
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        return shape.clone();
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        return x;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        return gradOutput;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new java.util.LinkedHashMap<>();
        Object[] batchShape = new Object[shape.length + 1];
        for (int i = 0; i < shape.length; i++) {
            batchShape[i + 1] = shape[i] < 0 ? null : shape[i];
        }
        c.put("batch_shape", java.util.Arrays.asList(batchShape));
        c.put("dtype", dtype);
        c.put("sparse", false);
        c.put("name", name());
        return c;
    }
}
