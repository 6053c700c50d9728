package org.rnn4j.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code keras.src.ops.numpy.GetItem}: NumPy basic indexing {@code x[key]} with a constant
 * key: integers (negative count from the end), slices {@code start:stop:step} (any of them None,
 * negative steps included), {@code None} (a new axis of size 1) and one {@code Ellipsis}. The batch
 * axis must be taken whole: the key's first entry is {@code :} or an Ellipsis (as in
 * {@code x[:, -1, :]} or {@code x[..., 0]}).
 *
 * <p>Args: {@code [x, key]} where key is one entry or a list (Keras's tuple) of entries in Keras
 * JSON form: an int, null, {@code {"class_name": "__slice__", "config": {"start", "stop", "step"}}}
 * or {@code {"class_name": "__ellipsis__", "config": {}}}.
 */
public final class GetItem extends GatherOp {
    /** One entry of a key. */
    public sealed interface Index permits Int, Slice, NewAxis, Ellipsis {
    }

    /** An integer index (negative counts from the end); removes the axis. */
    public record Int(int index) implements Index {
    }

    /** {@code start:stop:step}; null for an omitted part. */
    public record Slice(Integer start, Integer stop, Integer step) implements Index {
        public Slice {
            if (step != null && step == 0) {
                throw new IllegalArgumentException("GetItem: slice step cannot be zero");
            }
        }
    }

    /** {@code None} / {@code np.newaxis}: a new axis of size 1. */
    public record NewAxis() implements Index {
    }

    /** {@code ...}: as many whole axes as needed. */
    public record Ellipsis() implements Index {
    }

    /** {@code :}, the whole axis. */
    public static final Slice ALL = new Slice(null, null, null);

    private final List<Index> key;

    /** From the node's args layout {@code [TENSOR, key]}. */
    GetItem(List<Object> args) {
        super(args);
        if (args.size() != 2 || args.get(0) != TENSOR) {
            throw error("args must be [tensor, key]; got " + args);
        }
        this.key = parseKey(args.get(1));
        validate();
    }

    /** A Java key, e.g. {@code new GetItem(ALL, new Int(-1), ALL)} for {@code x[:, -1, :]}. */
    public GetItem(Index... key) {
        this(layout(key));
    }

    private static List<Object> layout(Index[] key) {
        List<Object> l = new ArrayList<>(key.length);
        for (Index i : key) {
            l.add(toJson(i));
        }
        List<Object> args = new ArrayList<>(2);
        args.add(TENSOR);
        args.add(l);
        return args;
    }

    public List<Index> key() {
        return key;
    }

    @Override
    public String kerasModule() {
        return "keras.src.ops.numpy";
    }

    private List<Index> parseKey(Object k) {
        List<Index> out = new ArrayList<>();
        if (k instanceof List<?> l) {
            for (Object o : l) {
                out.add(parseIndex(o));
            }
        } else {
            out.add(parseIndex(k));
        }
        return List.copyOf(out);
    }

    private Index parseIndex(Object o) {
        if (o == null) {
            return new NewAxis();
        }
        if (o instanceof Number n) {
            return new Int(OpShapes.toInt(this, n, "index"));
        }
        if (o instanceof Map<?, ?> m) {
            Object cn = m.get("class_name");
            Object cfg = m.get("config");
            if ("__ellipsis__".equals(cn)) {
                return new Ellipsis();
            }
            if ("__slice__".equals(cn) && cfg instanceof Map<?, ?> c) {
                return new Slice(part(c.get("start")), part(c.get("stop")), part(c.get("step")));
            }
        }
        if (o == TENSOR) {
            throw error("indexing with a tensor is not supported (constant keys only)");
        }
        throw error("unsupported index " + o + " (ints, slices, None and Ellipsis are supported)");
    }

    private Integer part(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return OpShapes.toInt(this, n, "slice");
        }
        throw error("slice bounds must be integers or None; got " + v);
    }

    static Object toJson(Index i) {
        if (i instanceof Int n) {
            return n.index();
        }
        if (i instanceof NewAxis) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> c = new LinkedHashMap<>();
        if (i instanceof Slice s) {
            m.put("class_name", "__slice__");
            c.put("start", s.start());
            c.put("stop", s.stop());
            c.put("step", s.step());
        } else {
            m.put("class_name", "__ellipsis__");
        }
        m.put("config", c);
        return m;
    }

    private void validate() {
        int ellipses = 0;
        for (Index i : key) {
            if (i instanceof Ellipsis) {
                ellipses++;
            }
        }
        if (ellipses > 1) {
            throw error("a key can hold at most one Ellipsis");
        }
        Index first = key.isEmpty() ? ALL : key.get(0);
        boolean wholeBatch = first instanceof Ellipsis
                || (first instanceof Slice s && s.start() == null && s.stop() == null
                && (s.step() == null || s.step() == 1));
        if (!wholeBatch) {
            throw error("the key " + describe() + " indexes the batch axis; its first entry must be ':' or '...'");
        }
    }

    private String describe() {
        StringBuilder b = new StringBuilder("[");
        for (int k = 0; k < key.size(); k++) {
            Index i = key.get(k);
            b.append(k == 0 ? "" : ", ");
            if (i instanceof Int n) {
                b.append(n.index());
            } else if (i instanceof NewAxis) {
                b.append("None");
            } else if (i instanceof Ellipsis) {
                b.append("...");
            } else if (i instanceof Slice s) {
                b.append(s.start() == null ? "" : s.start()).append(':').append(s.stop() == null ? "" : s.stop());
                if (s.step() != null) {
                    b.append(':').append(s.step());
                }
            }
        }
        return b.append(']').toString();
    }

    /** The key with the Ellipsis expanded and trailing whole axes added: one entry per output or input axis. */
    private List<Index> expanded(int rank) {
        int consuming = 0;
        for (Index i : key) {
            if (i instanceof Int || i instanceof Slice) {
                consuming++;
            }
        }
        if (consuming > rank) {
            throw error("the key " + describe() + " has " + consuming + " indices for a tensor of rank " + rank);
        }
        List<Index> out = new ArrayList<>();
        boolean sawEllipsis = false;
        for (Index i : key) {
            if (i instanceof Ellipsis) {
                sawEllipsis = true;
                for (int k = 0; k < rank - consuming; k++) {
                    out.add(ALL);
                }
            } else {
                out.add(i);
            }
        }
        if (!sawEllipsis) {
            for (int k = 0; k < rank - consuming; k++) {
                out.add(ALL);
            }
        }
        return out;
    }

    /** Python's slice.indices: {start, step, length} for an axis of size n. */
    private static int[] sliceRange(Slice s, int n) {
        int step = s.step() == null ? 1 : s.step();
        int start;
        int stop;
        if (step > 0) {
            start = s.start() == null ? 0 : clamp(s.start() < 0 ? s.start() + n : s.start(), 0, n);
            stop = s.stop() == null ? n : clamp(s.stop() < 0 ? s.stop() + n : s.stop(), 0, n);
        } else {
            start = s.start() == null ? n - 1 : clamp(s.start() < 0 ? s.start() + n : s.start(), -1, n - 1);
            stop = s.stop() == null ? -1 : clamp(s.stop() < 0 ? s.stop() + n : s.stop(), -1, n - 1);
        }
        int len = step > 0 ? Math.max(0, (stop - start + step - 1) / step) : Math.max(0, (start - stop - step - 1) / -step);
        return new int[] {start, step, len};
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private int intIndex(Int i, int n, int axis) {
        int k = i.index() < 0 ? i.index() + n : i.index();
        if (k < 0 || k >= n) {
            throw error("index " + i.index() + " is out of bounds for axis " + axis + " with size " + n);
        }
        return k;
    }

    @Override
    int[] outputShape(List<int[]> in) {
        int[] s = in.get(0);
        List<int[]> dims = new ArrayList<>();
        int d = 0;
        for (Index i : expanded(s.length)) {
            if (i instanceof NewAxis) {
                dims.add(new int[] {1});
            } else if (i instanceof Int n) {
                if (s[d] >= 0) {
                    intIndex(n, s[d], d);
                }
                d++;
            } else if (i instanceof Slice sl) {
                dims.add(new int[] {s[d] < 0 ? -1 : sliceRange(sl, s[d])[2]});
                d++;
            }
        }
        int[] out = new int[dims.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = dims.get(k)[0];
        }
        return out;
    }

    @Override
    Plan plan(List<int[]> in) {
        int[] s = in.get(0);
        int[] st = OpShapes.strides(s);
        List<Integer> outDims = new ArrayList<>();
        List<Integer> outStrides = new ArrayList<>();
        int base = 0;
        int d = 0;
        for (Index i : expanded(s.length)) {
            if (i instanceof NewAxis) {
                outDims.add(1);
                outStrides.add(0);
            } else if (i instanceof Int n) {
                base += intIndex(n, s[d], d) * st[d];
                d++;
            } else if (i instanceof Slice sl) {
                int[] r = sliceRange(sl, s[d]);
                outDims.add(r[2]);
                outStrides.add(r[1] * st[d]);
                if (r[2] > 0) {
                    base += r[0] * st[d];
                }
                d++;
            }
        }
        int[] out = outDims.stream().mapToInt(Integer::intValue).toArray();
        int[] ost = outStrides.stream().mapToInt(Integer::intValue).toArray();
        return new Plan(out, null, OpShapes.gatherMap(out, ost, base));
    }

    @Override
    public String toString() {
        return super.toString() + " " + describe();
    }
}
