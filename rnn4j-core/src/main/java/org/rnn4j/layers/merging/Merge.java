package org.rnn4j.layers.merging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code Merge} (keras/src/layers/merging/base_merge.py): the base of the layers that join
 * several tensors into one. A merge layer has no weights and keeps nothing between calls: what
 * backward needs lives in the {@link LayerContext}, so one merge layer may run in many threads at
 * once.
 *
 * <p>Shapes are per sample (batch axis excluded, {@code -1} = Keras's None). The input count is
 * checked when the layer is built or called: Keras accepts a list of one or more inputs for
 * {@link Add}, {@link Multiply}, {@link Average}, {@link Maximum}, {@link Minimum} and
 * {@link Concatenate}, exactly two for {@link Subtract} and {@link Dot}.
 *
 * <p>Masks ({@code [batch, time]}, true = real step): as Keras's {@code Merge.compute_mask}, the
 * output mask is the logical OR of the input masks when every input has one, and none otherwise
 * ({@link Concatenate} and {@link Dot} have their own rules). Keras 3 ORs (a step is kept if any
 * input kept it); it does not AND.
 */
public abstract class Merge extends Layer {
    protected Merge() {
    }

    /** The fewest inputs the layer takes (Keras: 1; {@link Subtract} and {@link Dot}: 2). */
    protected int minInputs() {
        return 1;
    }

    /** The most inputs the layer takes (Keras: unbounded; {@link Subtract} and {@link Dot}: 2). */
    protected int maxInputs() {
        return Integer.MAX_VALUE;
    }

    @Override
    public Merge name(String newName) {
        super.name(newName);
        return this;
    }

    // ---------------------------------------------------------------- shapes

    @Override
    public final List<int[]> computeOutputShapes(List<int[]> inputShapes) {
        checkCount(inputShapes.size(), inputShapes);
        for (int[] s : inputShapes) {
            if (s == null) {
                throw new LayerShapeException(prefix() + "an input shape is null: " + Shapes.listToString(nonNull(inputShapes)));
            }
        }
        return List.of(mergedShape(inputShapes));
    }

    /** The output's per-sample shape for valid input shapes (the count is already checked). */
    protected abstract int[] mergedShape(List<int[]> inputShapes);

    /** The one-input case (Keras allows a list of one input for most merges). */
    @Override
    public final int[] computeOutputShape(int[] inputShape) {
        return computeOutputShapes(List.of(inputShape)).get(0);
    }

    // ---------------------------------------------------------------- running

    /** A merge of one input (Keras's {@code Add()([x])}); the graph form is {@link #forwardAll}. */
    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        return forwardAll(List.of(x), Collections.singletonList(mask), training, ctx).get(0);
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        return backwardAll(Collections.singletonList(gradOutput), ctx).get(0);
    }

    @Override
    public abstract List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx);

    @Override
    public abstract List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx);

    // ---------------------------------------------------------------- masks

    @Override
    protected boolean supportsMasking() {
        return true;
    }

    @Override
    public Mask computeMask(Tensor input, Mask mask) {
        return computeMasks(List.of(input), Collections.singletonList(mask)).get(0);
    }

    /**
     * Keras's {@code Merge.compute_mask}: none if any input has none, else the logical OR of the
     * input masks (a time axis of 1 broadcasts, as {@code ops.logical_or} does).
     */
    @Override
    public List<Mask> computeMasks(List<Tensor> inputs, List<Mask> masks) {
        checkMaskCount(inputs, masks);
        if (masks == null) {
            return Collections.singletonList(null);
        }
        for (Mask m : masks) {
            if (m == null) {
                return Collections.singletonList(null);
            }
        }
        int batch = masks.get(0).batch();
        int time = 1;
        for (Mask m : masks) {
            if (m.batch() != batch) {
                throw new IllegalArgumentException(prefix() + "input masks have different batch sizes: " + maskShapes(masks));
            }
            if (m.time() != 1) {
                if (time != 1 && time != m.time()) {
                    throw new IllegalArgumentException(prefix() + "input masks of shapes " + maskShapes(masks)
                            + " do not broadcast");
                }
                time = m.time();
            }
        }
        boolean[] out = new boolean[batch * time];
        for (Mask m : masks) {
            boolean[] v = m.values();
            int mt = m.time();
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < time; t++) {
                    if (v[b * mt + (mt == 1 ? 0 : t)]) {
                        out[b * time + t] = true;
                    }
                }
            }
        }
        return Collections.singletonList(new Mask(out, batch, time));
    }

    // ---------------------------------------------------------------- helpers for subclasses

    /** {@code "Layer 'add' (Add): "}, the start of every error message of this layer. */
    protected final String prefix() {
        return "Layer '" + name() + "' (" + className() + "): ";
    }

    /** Checks the number of inputs, naming the layer and every input shape when it is wrong. */
    protected final void checkCount(int count, List<int[]> shapes) {
        int min = minInputs();
        int max = maxInputs();
        if (count < min || count > max) {
            String want = min == max ? "exactly " + min + " input" + (min == 1 ? "" : "s")
                    : "at least " + min + " input" + (min == 1 ? "" : "s");
            throw new LayerShapeException(prefix() + "should be called on " + want + "; received " + count
                    + (shapes == null ? "" : ": " + Shapes.listToString(nonNull(shapes))));
        }
    }

    /** Checks the number of runtime inputs (and of masks, when given). */
    protected final void checkInputs(List<Tensor> inputs, List<Mask> masks) {
        if (inputs == null) {
            throw new IllegalArgumentException(prefix() + "inputs are null");
        }
        List<int[]> shapes = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) == null) {
                throw new IllegalArgumentException(prefix() + "input " + i + " is null");
            }
            shapes.add(inputs.get(i).shape());
        }
        int count = inputs.size();
        int min = minInputs();
        int max = maxInputs();
        if (count < min || count > max) {
            String want = min == max ? "exactly " + min : "at least " + min;
            throw new LayerShapeException(prefix() + "should be called on " + want + " input(s); received "
                    + count + ": " + fullShapes(shapes));
        }
        checkMaskCount(inputs, masks);
        int batch = inputs.get(0).rank() == 0 ? -1 : inputs.get(0).dim(0);
        for (Tensor t : inputs) {
            if (t.rank() < 1 || t.dim(0) != batch) {
                throw new LayerShapeException(prefix() + "cannot merge tensors with different batch sizes: " + fullShapes(shapes));
            }
        }
    }

    private void checkMaskCount(List<Tensor> inputs, List<Mask> masks) {
        if (masks != null && masks.size() != inputs.size()) {
            throw new IllegalArgumentException(prefix() + "got " + inputs.size() + " inputs but " + masks.size() + " masks");
        }
    }

    /** The mask of input {@code i}, or null. */
    protected static Mask maskOf(List<Mask> masks, int i) {
        return masks == null ? null : masks.get(i);
    }

    /** Checks that a {@code [batch, time]} mask fits an input {@code [batch, time, ...]}. */
    protected final void checkMaskFits(Mask m, Tensor x, int index) {
        if (x.rank() < 3 || m.batch() != x.dim(0) || m.time() != x.dim(1)) {
            throw new IllegalArgumentException(prefix() + "the mask of input " + index + " has shape ("
                    + m.batch() + ", " + m.time() + ") but the input has shape " + Shapes.toString(x.shape())
                    + "; a mask covers the time axis of a [batch, time, features] input");
        }
    }

    /** Full shapes, batch included, e.g. {@code [(2, 3), (2, 4)]}. */
    protected static String fullShapes(List<int[]> shapes) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < shapes.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(Shapes.toString(shapes.get(i)));
        }
        return b.append(']').toString();
    }

    private static String maskShapes(List<Mask> masks) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < masks.size(); i++) {
            b.append(i == 0 ? "" : ", ").append('(').append(masks.get(i).batch()).append(", ")
                    .append(masks.get(i).time()).append(')');
        }
        return b.append(']').toString();
    }

    private static List<int[]> nonNull(List<int[]> shapes) {
        List<int[]> l = new ArrayList<>(shapes.size());
        for (int[] s : shapes) {
            l.add(s == null ? new int[0] : s);
        }
        return l;
    }

    /** A list of {@code n} nulls (gradients not needed). */
    protected static List<Tensor> nulls(int n) {
        return new ArrayList<>(Collections.nCopies(n, (Tensor) null));
    }
}
