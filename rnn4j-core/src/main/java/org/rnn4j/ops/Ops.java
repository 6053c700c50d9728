package org.rnn4j.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.layers.config.ConfigValues;

/**
 * Keras 3 operations on symbolic tensors ({@code keras.ops.*} and Python operators in functional
 * models), and their translation from and to Keras files.
 *
 * <p>Java API: {@code Ops.add(x, y)} is Keras's {@code x + y}; an argument is a
 * {@link SymbolicTensor} or a constant (a {@link Number}, a {@link org.rnn4j.tensor.Tensor} or a
 * {@code float[]}, broadcast NumPy-style against the batch-first shape). Axes count the batch
 * axis, as in Keras ({@code Ops.mean(x, 1, false)} is {@code keras.ops.mean(x, axis=1)}).
 *
 * <p>Keras files: {@link #fromKeras(String, String, Map, List)} builds the op of a config.json
 * layer entry whose {@code module} starts with {@code keras.src.ops}; {@link #isOpModule} tells such
 * entries apart from layers (e.g. {@code keras.src.ops.numpy.Add} vs {@code keras.layers.Add}).
 * Saving: {@link Op#kerasModule()}, {@link Layer#className()}, {@link Op#config()},
 * {@link Op#kerasArgs(List)}, {@link Op#kerasKwargs()}.
 */
public final class Ops {
    private Ops() {
    }

    // ---------------------------------------------------------------- element-wise, two arguments

    public static SymbolicTensor add(Object x1, Object x2) {
        return binary(Add::new, x1, x2);
    }

    public static SymbolicTensor subtract(Object x1, Object x2) {
        return binary(Subtract::new, x1, x2);
    }

    public static SymbolicTensor multiply(Object x1, Object x2) {
        return binary(Multiply::new, x1, x2);
    }

    /** {@code keras.ops.divide} (Python's {@code x / y} saves as {@link TrueDivide}: {@link #trueDivide}). */
    public static SymbolicTensor divide(Object x1, Object x2) {
        return binary(Divide::new, x1, x2);
    }

    /** Python's {@code x / y} ({@code keras.ops.true_divide}). */
    public static SymbolicTensor trueDivide(Object x1, Object x2) {
        return binary(TrueDivide::new, x1, x2);
    }

    public static SymbolicTensor matmul(Object x1, Object x2) {
        return binary(Matmul::new, x1, x2);
    }

    private static SymbolicTensor binary(Function<List<Object>, Op> f, Object x1, Object x2) {
        List<Object> layout = new ArrayList<>(2);
        List<SymbolicTensor> tensors = new ArrayList<>(2);
        for (Object x : new Object[] {x1, x2}) {
            if (x instanceof SymbolicTensor t) {
                layout.add(Op.TENSOR);
                tensors.add(t);
            } else {
                layout.add(Constant.toJson(x));
            }
        }
        return f.apply(layout).call(tensors).get(0);
    }

    // ---------------------------------------------------------------- element-wise, one argument

    public static SymbolicTensor negative(SymbolicTensor x) {
        return new Negative().call(x);
    }

    public static SymbolicTensor relu(SymbolicTensor x) {
        return new Relu().call(x);
    }

    public static SymbolicTensor sigmoid(SymbolicTensor x) {
        return new Sigmoid().call(x);
    }

    public static SymbolicTensor tanh(SymbolicTensor x) {
        return new Tanh().call(x);
    }

    public static SymbolicTensor exp(SymbolicTensor x) {
        return new Exp().call(x);
    }

    public static SymbolicTensor log(SymbolicTensor x) {
        return new Log().call(x);
    }

    public static SymbolicTensor sqrt(SymbolicTensor x) {
        return new Sqrt().call(x);
    }

    public static SymbolicTensor square(SymbolicTensor x) {
        return new Square().call(x);
    }

    /** {@code keras.ops.abs} / {@code keras.ops.absolute}. */
    public static SymbolicTensor abs(SymbolicTensor x) {
        return new Absolute().call(x);
    }

    public static SymbolicTensor cast(SymbolicTensor x, String dtype) {
        return new Cast(dtype).call(x);
    }

    public static SymbolicTensor softmax(SymbolicTensor x, int axis) {
        return new Softmax(axis).call(x);
    }

    // ---------------------------------------------------------------- reductions

    public static SymbolicTensor mean(SymbolicTensor x, int axis, boolean keepdims) {
        return new Mean(new int[] {axis}, keepdims).call(x);
    }

    public static SymbolicTensor mean(SymbolicTensor x, int[] axes, boolean keepdims) {
        return new Mean(axes, keepdims).call(x);
    }

    public static SymbolicTensor sum(SymbolicTensor x, int axis, boolean keepdims) {
        return new Sum(new int[] {axis}, keepdims).call(x);
    }

    public static SymbolicTensor sum(SymbolicTensor x, int[] axes, boolean keepdims) {
        return new Sum(axes, keepdims).call(x);
    }

    public static SymbolicTensor max(SymbolicTensor x, int axis, boolean keepdims) {
        return new Max(new int[] {axis}, keepdims).call(x);
    }

    public static SymbolicTensor max(SymbolicTensor x, int[] axes, boolean keepdims) {
        return new Max(axes, keepdims).call(x);
    }

    public static SymbolicTensor min(SymbolicTensor x, int axis, boolean keepdims) {
        return new Min(new int[] {axis}, keepdims).call(x);
    }

    public static SymbolicTensor min(SymbolicTensor x, int[] axes, boolean keepdims) {
        return new Min(axes, keepdims).call(x);
    }

    // ---------------------------------------------------------------- shapes

    public static SymbolicTensor concatenate(int axis, SymbolicTensor... xs) {
        return new Concatenate(axis, xs.length).call(xs);
    }

    /** {@code keras.ops.reshape(x, newshape)}; {@code newshape} counts the batch axis and starts with -1. */
    public static SymbolicTensor reshape(SymbolicTensor x, int... newshape) {
        return new Reshape(newshape).call(x);
    }

    public static SymbolicTensor transpose(SymbolicTensor x, int... axes) {
        return new Transpose(axes).call(x);
    }

    public static SymbolicTensor expandDims(SymbolicTensor x, int axis) {
        return new ExpandDims(axis).call(x);
    }

    /** {@code keras.ops.squeeze(x, axis)}; no axes: every per-sample axis of size 1. */
    public static SymbolicTensor squeeze(SymbolicTensor x, int... axis) {
        return new Squeeze(axis.length == 0 ? null : axis, axis.length > 1).call(x);
    }

    /** {@code x[key]}: e.g. {@code getItem(x, all(), at(-1), all())} is {@code x[:, -1, :]}. */
    public static SymbolicTensor getItem(SymbolicTensor x, GetItem.Index... key) {
        return new GetItem(key).call(x);
    }

    /** {@code :} */
    public static GetItem.Slice all() {
        return GetItem.ALL;
    }

    /** An integer index (negative counts from the end). */
    public static GetItem.Int at(int index) {
        return new GetItem.Int(index);
    }

    /** {@code start:stop:step}, null for an omitted part. */
    public static GetItem.Slice slice(Integer start, Integer stop, Integer step) {
        return new GetItem.Slice(start, stop, step);
    }

    /** {@code None} (np.newaxis). */
    public static GetItem.NewAxis newAxis() {
        return new GetItem.NewAxis();
    }

    /** {@code ...} */
    public static GetItem.Ellipsis ellipsis() {
        return new GetItem.Ellipsis();
    }

    // ---------------------------------------------------------------- Keras files

    private interface Factory {
        Op create(Map<String, Object> config, List<Object> args);
    }

    private static final Map<String, Factory> BY_KEY = new LinkedHashMap<>();

    private static void reg(String module, String className, Factory f) {
        BY_KEY.put(module + "." + className, f);
    }

    static {
        String np = "keras.src.ops.numpy";
        String nn = "keras.src.ops.nn";
        reg(np, "Add", (c, a) -> new Add(a));
        reg(np, "Subtract", (c, a) -> new Subtract(a));
        reg(np, "Multiply", (c, a) -> new Multiply(a));
        reg(np, "Divide", (c, a) -> new Divide(a));
        reg(np, "TrueDivide", (c, a) -> new TrueDivide(a));
        reg(np, "Matmul", (c, a) -> new Matmul(a));
        reg(np, "Negative", (c, a) -> unary(new Negative(), a));
        reg(nn, "Relu", (c, a) -> unary(new Relu(), a));
        reg(nn, "Sigmoid", (c, a) -> unary(new Sigmoid(), a));
        reg(nn, "Softmax", (c, a) -> unary(Softmax.fromConfig(c), a));
        reg(np, "Tanh", (c, a) -> unary(new Tanh(), a));
        reg(np, "Exp", (c, a) -> unary(new Exp(), a));
        reg(np, "Log", (c, a) -> unary(new Log(), a));
        reg(np, "Sqrt", (c, a) -> unary(new Sqrt(), a));
        reg(np, "Square", (c, a) -> unary(new Square(), a));
        reg(np, "Absolute", (c, a) -> unary(new Absolute(), a));
        reg("keras.src.ops.core", "Cast", (c, a) -> unary(Cast.fromConfig(c), a));
        reg(np, "Mean", (c, a) -> unary(Mean.fromConfig(c), a));
        reg(np, "Sum", (c, a) -> unary(Sum.fromConfig(c), a));
        reg(np, "Max", (c, a) -> unary(Max.fromConfig(c), a));
        reg(np, "Min", (c, a) -> unary(Min.fromConfig(c), a));
        reg(np, "Reshape", (c, a) -> unary(Reshape.fromConfig(c), a));
        reg(np, "Transpose", (c, a) -> unary(Transpose.fromConfig(c), a));
        reg(np, "ExpandDims", (c, a) -> unary(ExpandDims.fromConfig(c), a));
        reg(np, "Squeeze", (c, a) -> unary(Squeeze.fromConfig(c), a));
        reg(np, "GetItem", (c, a) -> new GetItem(a));
        reg(np, "Concatenate", Ops::concatenateFromKeras);
        reg(np, "Equal", (c, a) -> new Logic.Equal(a));
        reg(np, "NotEqual", (c, a) -> new Logic.NotEqual(a));
        reg(np, "Greater", (c, a) -> new Logic.Greater(a));
        reg(np, "GreaterEqual", (c, a) -> new Logic.GreaterEqual(a));
        reg(np, "Less", (c, a) -> new Logic.Less(a));
        reg(np, "LessEqual", (c, a) -> new Logic.LessEqual(a));
        reg(np, "LogicalAnd", (c, a) -> new Logic.LogicalAnd(a));
        reg(np, "LogicalOr", (c, a) -> new Logic.LogicalOr(a));
        reg(np, "LogicalNot", (c, a) -> unary(new Logic.LogicalNot(), a));
        reg(np, "Any", (c, a) -> unary(Logic.Any.fromConfig(c), a));
        reg(np, "All", (c, a) -> unary(Logic.All.fromConfig(c), a));
    }

    private static Op unary(Op op, List<Object> args) {
        if (args.size() != 1 || args.get(0) != Op.TENSOR) {
            throw op.error("takes one tensor argument; got args " + args);
        }
        return op;
    }

    private static Op concatenateFromKeras(Map<String, Object> c, List<Object> args) {
        int axis = ConfigValues.getInt(c, "axis", 0);
        if (args.size() != 1 || !(args.get(0) instanceof List<?> l) || l.isEmpty()) {
            throw new IllegalArgumentException("Operation Concatenate: args must be one list of tensors; got " + args);
        }
        for (Object o : l) {
            if (o != Op.TENSOR) {
                throw new IllegalArgumentException("Operation Concatenate: only tensors can be concatenated; got " + o);
            }
        }
        return new Concatenate(axis, l.size());
    }

    /** Whether a config.json layer entry's {@code module} is an operation (starts with {@code keras.src.ops}). */
    public static boolean isOpModule(String module) {
        return module != null && (module.startsWith("keras.src.ops") || module.startsWith("keras.ops"));
    }

    /** Every supported op as {@code module.ClassName}, sorted. */
    public static List<String> supported() {
        return List.copyOf(new TreeSet<>(BY_KEY.keySet()));
    }

    /** Whether {@code module.className} is a supported op. */
    public static boolean isSupported(String module, String className) {
        return BY_KEY.containsKey(normalize(module) + "." + className);
    }

    /**
     * The op of a config.json layer entry with a single tensor argument and no constants (the
     * node's args {@code [x]}); see {@link #fromKeras(String, String, Map, List)}.
     */
    public static Op fromKeras(String module, String className, Map<String, Object> config) {
        return fromKeras(module, className, config, List.of(Op.TENSOR));
    }

    /**
     * The op of a config.json layer entry: {@code module} and {@code class_name} of the entry, its
     * {@code config} and the {@code args} of its inbound node, as parsed JSON (numbers as
     * Integer/Long/Double, lists, maps). In {@code args}, tensors are either the
     * {@code {"class_name": "__keras_tensor__", ...}} dicts as Keras wrote them or {@link Op#TENSOR};
     * everything else is a constant. The op is then called on the node's tensors in the order they
     * appear in {@code args} (depth first), see {@link #tensorArgs(List)}; its name is
     * {@code config.name}. An op rnn4j does not know, or an unsupported use of one (a reduction
     * over the batch axis, a tensor index...), throws {@link UnsupportedOpException} naming the op,
     * its module and the node.
     */
    public static Op fromKeras(String module, String className, Map<String, Object> config, List<Object> args) {
        return fromKeras(module, className, config, args, Map.of());
    }

    /** As {@link #fromKeras(String, String, Map, List)} with the node's {@code kwargs} (must be empty). */
    public static Op fromKeras(String module, String className, Map<String, Object> config, List<Object> args,
                               Map<String, Object> kwargs) {
        Map<String, Object> cfg = config == null ? Map.of() : config;
        String node = cfg.get("name") instanceof String s ? s : "?";
        Factory f = BY_KEY.get(normalize(module) + "." + className);
        if (f == null) {
            throw new UnsupportedOpException(module, className, node, "rnn4j runs the operations "
                    + String.join(", ", shortNames()));
        }
        if (kwargs != null && !kwargs.isEmpty()) {
            throw new UnsupportedOpException(module, className, node, "call keyword arguments "
                    + kwargs.keySet() + " are not supported");
        }
        List<Object> layout = layout(args == null ? List.of() : args);
        Op op;
        try {
            op = f.create(cfg, layout);
        } catch (UnsupportedOpException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UnsupportedOpException(module, className, node, e.getMessage());
        }
        if (cfg.get("name") instanceof String s) {
            op.name(s);
        }
        return op;
    }

    /** The {@code __keras_tensor__} configs ({@code shape}, {@code dtype}, {@code keras_history}) of args, in call order. */
    public static List<Map<String, Object>> tensorArgs(List<Object> args) {
        List<Map<String, Object>> out = new ArrayList<>();
        collect(args, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object o, List<Map<String, Object>> out) {
        if (isKerasTensor(o)) {
            Object cfg = ((Map<?, ?>) o).get("config");
            out.add(cfg instanceof Map<?, ?> ? (Map<String, Object>) cfg : Map.of());
        } else if (o instanceof List<?> l) {
            for (Object e : l) {
                collect(e, out);
            }
        }
    }

    private static boolean isKerasTensor(Object o) {
        return o instanceof Map<?, ?> m && "__keras_tensor__".equals(m.get("class_name"));
    }

    private static List<Object> layout(List<Object> args) {
        List<Object> out = new ArrayList<>(args.size());
        for (Object o : args) {
            out.add(layoutOf(o));
        }
        return out;
    }

    private static Object layoutOf(Object o) {
        if (isKerasTensor(o)) {
            return Op.TENSOR;
        }
        if (o instanceof List<?> l) {
            List<Object> c = new ArrayList<>(l.size());
            for (Object e : l) {
                c.add(layoutOf(e));
            }
            return c;
        }
        return o;
    }

    private static String normalize(String module) {
        if (module != null && module.startsWith("keras.ops.")) {
            return "keras.src.ops." + module.substring("keras.ops.".length());
        }
        return module;
    }

    private static List<String> shortNames() {
        TreeSet<String> s = new TreeSet<>();
        for (String k : BY_KEY.keySet()) {
            s.add(k.substring(k.lastIndexOf('.') + 1));
        }
        return new ArrayList<>(s);
    }
}
