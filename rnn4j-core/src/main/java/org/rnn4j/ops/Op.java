package org.rnn4j.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Tensor;

/**
 * A Keras 3 operation node ({@code keras.src.ops.*}): what {@code x + y}, {@code x[:, -1]} or
 * {@code keras.ops.mean(x, axis=1)} leave in a functional model. An op is a {@link Layer} without
 * weights, so it is a node of the one graph engine; its per-call state lives in the
 * {@link LayerContext} only.
 *
 * <p><b>Arguments.</b> Keras records an op's call as {@code args}: a list that mixes tensors and
 * constants (numbers, nested lists, {@code __numpy__}/{@code __tensor__} arrays, slices...). An op
 * keeps that list as its <em>argument layout</em>: every tensor is the marker {@link #TENSOR}, every
 * constant stays in its Keras JSON form. The op is called ({@link #call}) on the tensors only, in
 * the order their markers appear (depth first, e.g. {@code Concatenate}'s {@code [[t0, t1]]}).
 * {@link #kerasArgs(List)} gives the layout back with the saver's tensor entries put in.
 *
 * <p><b>Axes</b> in op configs count the batch axis (Keras's axis 1 is the first per-sample
 * axis), as in Keras. An op must keep the batch axis where it is (no reduction, slicing,
 * transposition or reshape of axis 0); those fail when the op is created or called, naming it.
 */
public abstract class Op extends Layer {
    /** The marker of a tensor argument in an argument layout. */
    public static final Object TENSOR = new Object() {
        @Override
        public String toString() {
            return "<tensor>";
        }
    };

    private final List<Object> argLayout;
    private final int tensorCount;

    protected Op(List<Object> argLayout) {
        this.argLayout = freeze(argLayout);
        this.tensorCount = countTensors(this.argLayout);
        if (tensorCount == 0) {
            throw new IllegalArgumentException(prefix() + "needs at least one tensor argument; got only constants "
                    + argLayout);
        }
    }

    /** Keras's module of the op class, e.g. {@code keras.src.ops.numpy}. */
    public abstract String kerasModule();

    /** The argument layout ({@link #TENSOR} markers and constants in Keras JSON form), read-only. */
    public final List<Object> argLayout() {
        return argLayout;
    }

    /** How many tensors the op is called on (the {@link #TENSOR} markers of its layout). */
    public final int tensorArgCount() {
        return tensorCount;
    }

    /**
     * The node's {@code args} for saving: the layout with the i-th {@link #TENSOR} marker replaced
     * by {@code tensorEntries.get(i)} (the saver's {@code __keras_tensor__} dicts, in node input order).
     */
    public final List<Object> kerasArgs(List<?> tensorEntries) {
        if (tensorEntries.size() != tensorCount) {
            throw new IllegalArgumentException(prefix() + "takes " + tensorCount + " tensor(s) but "
                    + tensorEntries.size() + " entries were given");
        }
        Iterator<?> it = tensorEntries.iterator();
        @SuppressWarnings("unchecked")
        List<Object> out = (List<Object>) substitute(argLayout, it);
        return out;
    }

    /** The node's {@code kwargs} for saving (always empty: Keras puts op options in the config). */
    public Map<String, Object> kerasKwargs() {
        return new LinkedHashMap<>();
    }

    /** The op's options, Keras keys ({@code axis}, {@code keepdims}, ...), without {@code name}. */
    protected Map<String, Object> options() {
        return new LinkedHashMap<>();
    }

    /** Keras's op config: {@code name} and the op's options, exactly the keys Keras writes. */
    @Override
    public final Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name());
        c.putAll(options());
        return c;
    }

    @Override
    public Op name(String newName) {
        super.name(newName);
        return this;
    }

    /** {@code "Operation 'add' (keras.src.ops.numpy.Add): "}, the start of this op's messages. */
    protected final String prefix() {
        return "Operation '" + name() + "' (" + kerasModule() + "." + className() + "): ";
    }

    // ---------------------------------------------------------------- single-tensor forms

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        return computeOutputShapes(List.of(inputShape)).get(0);
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        return forwardAll(List.of(x), Collections.singletonList(mask), training, ctx).get(0);
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        return backwardAll(Collections.singletonList(gradOutput), ctx).get(0);
    }

    @Override
    public abstract List<int[]> computeOutputShapes(List<int[]> inputShapes);

    @Override
    public abstract List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx);

    @Override
    public abstract List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx);

    /** Ops drop masks, as Keras 3's operations do. */
    @Override
    public List<Mask> computeMasks(List<Tensor> inputs, List<Mask> masks) {
        return Collections.singletonList(null);
    }

    // ---------------------------------------------------------------- helpers

    protected final void checkTensorCount(int n) {
        if (n != tensorCount) {
            throw new IllegalArgumentException(prefix() + "takes " + tensorCount + " tensor(s) but is called on " + n);
        }
    }

    protected final IllegalArgumentException error(String message) {
        return new IllegalArgumentException(prefix() + message);
    }

    /** The state of the last training forward at this call site, or the standard error. */
    protected final <T> T recorded(LayerContext ctx) {
        T s = ctx.existingState();
        if (s == null) {
            throw noForwardRecorded();
        }
        return s;
    }

    static int countTensors(Object o) {
        if (o == TENSOR) {
            return 1;
        }
        int n = 0;
        if (o instanceof List<?> l) {
            for (Object e : l) {
                n += countTensors(e);
            }
        }
        return n;
    }

    private static List<Object> freeze(List<Object> l) {
        List<Object> c = new ArrayList<>(l.size());
        for (Object o : l) {
            c.add(o instanceof List<?> sub ? freezeAny(sub) : o);
        }
        return Collections.unmodifiableList(c);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> freezeAny(List<?> l) {
        return freeze((List<Object>) l);
    }

    private static Object substitute(Object o, Iterator<?> it) {
        if (o == TENSOR) {
            return it.next();
        }
        if (o instanceof List<?> l) {
            List<Object> c = new ArrayList<>(l.size());
            for (Object e : l) {
                c.add(substitute(e, it));
            }
            return c;
        }
        if (o instanceof Map<?, ?> m) {
            return deepCopy(m);
        }
        return o;
    }

    private static Object deepCopy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                c.put(String.valueOf(e.getKey()), deepCopy(e.getValue()));
            }
            return c;
        }
        if (o instanceof List<?> l) {
            List<Object> c = new ArrayList<>(l.size());
            for (Object e : l) {
                c.add(deepCopy(e));
            }
            return c;
        }
        return o;
    }
}
