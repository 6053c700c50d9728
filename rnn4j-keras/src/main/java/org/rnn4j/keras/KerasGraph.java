package org.rnn4j.keras;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * A loaded Keras Functional model with several inputs (inference only): layers called once each,
 * {@code Concatenate}, and an LSTM started from given states ({@code lstm([x, h, c])}). Chain
 * models load as {@link org.rnn4j.models.Sequential} instead ({@link KerasModels#load}).
 */
public final class KerasGraph {
    /** One call in the graph; {@code layer} is null for Concatenate. */
    static final class Node {
        final String name;
        final String className;
        final Layer layer;
        final List<String> inbound;
        final int concatAxis;
        int[] outputShape;
        /** Number of state outputs (return_state): 2 for LSTM (h, c), 1 for GRU/SimpleRNN, else 0. */
        int states;

        Node(String name, String className, Layer layer, List<String> inbound, int concatAxis) {
            this.name = name;
            this.className = className;
            this.layer = layer;
            this.inbound = inbound;
            this.concatAxis = concatAxis;
        }
    }

    private final String name;
    private final Map<String, int[]> inputs;
    private final List<Node> nodes;
    private final String output;

    KerasGraph(String name, Map<String, int[]> inputs, List<Node> nodes, String output) {
        this.name = name;
        this.inputs = inputs;
        this.nodes = nodes;
        this.output = output;
    }

    public String name() {
        return name;
    }

    /** Input names in the model's input order ({@code model.inputs}). */
    public List<String> inputNames() {
        return new ArrayList<>(inputs.keySet());
    }

    /** Per-sample shape of each input (-1 = None). */
    public List<int[]> inputShapes() {
        List<int[]> l = new ArrayList<>();
        inputs.values().forEach(s -> l.add(s.clone()));
        return l;
    }

    /** The layers with their Keras names, in execution order. */
    public List<Layer> layers() {
        List<Layer> l = new ArrayList<>();
        for (Node n : nodes) {
            if (n.layer != null) {
                l.add(n.layer);
            }
        }
        return Collections.unmodifiableList(l);
    }

    public List<Variable> weights() {
        List<Variable> all = new ArrayList<>();
        for (Layer l : layers()) {
            all.addAll(l.weights());
        }
        return all;
    }

    public long countParams() {
        long n = 0;
        for (Layer l : layers()) {
            n += l.countParams();
        }
        return n;
    }

    public int[] outputShape() {
        for (Node n : nodes) {
            if (n.name.equals(output)) {
                return n.outputShape.clone();
            }
        }
        throw new IllegalStateException("no output node");
    }

    /** Runs the model on one batch per input, given in {@link #inputNames()} order. */
    public Tensor predict(Tensor... xs) {
        if (xs.length != inputs.size()) {
            throw new IllegalArgumentException("Model '" + name + "' has " + inputs.size() + " inputs " + inputNames()
                    + " but " + xs.length + " arrays were given");
        }
        Map<String, Tensor> values = new HashMap<>();
        Map<String, Mask> masks = new HashMap<>();
        int k = 0;
        int batch = xs[0].dim(0);
        for (Map.Entry<String, int[]> in : inputs.entrySet()) {
            Tensor x = xs[k++];
            int[] sample = Shapes.dropFirst(x.shape());
            if (!fits(in.getValue(), sample) || x.dim(0) != batch) {
                throw new IllegalArgumentException("Model '" + name + "': input '" + in.getKey() + "' expects "
                        + Shapes.withBatch(in.getValue()) + " but got " + java.util.Arrays.toString(x.shape()));
            }
            values.put(in.getKey(), x);
        }
        for (Node n : nodes) {
            // A fresh context per call: layers keep no per-call state, so predict is thread-safe.
            org.rnn4j.layers.LayerContext ctx = new org.rnn4j.layers.LayerContext();
            Tensor x = values.get(n.inbound.get(0));
            Mask mask = masks.get(n.inbound.get(0));
            Tensor y;
            Mask outMask;
            if (n.layer == null) {
                List<Tensor> parts = new ArrayList<>();
                Mask combined = null;
                for (String src : n.inbound) {
                    parts.add(values.get(src));
                    combined = and(combined, masks.get(src));
                }
                y = concat(parts, n.concatAxis);
                outMask = combined;
            } else if (n.inbound.size() == 3 && n.layer instanceof LSTM) {
                // Keras 3 (whose outputs are the reference) does not pass the input's mask to an RNN
                // called with initial_state in a Functional graph; Keras 2 did. We follow Keras 3.
                y = StatefulLstm.forward((LSTM) n.layer, x, null, values.get(n.inbound.get(1)), values.get(n.inbound.get(2)));
                outMask = null;
            } else {
                y = n.layer.forward(x, mask, false, ctx);
                outMask = n.layer.computeMask(x, mask);
            }
            values.put(n.name, y);
            if (n.states > 0) {
                List<Tensor> st = ((org.rnn4j.layers.RecurrentLayer<?>) n.layer).states(ctx);
                for (int s = 0; s < n.states; s++) {
                    values.put(n.name + "#" + (s + 1), st.get(s));
                }
            }
            if (outMask != null) {
                masks.put(n.name, outMask);
            }
        }
        return values.get(output);
    }

    private static boolean fits(int[] declared, int[] actual) {
        if (declared.length != actual.length) {
            return false;
        }
        for (int i = 0; i < declared.length; i++) {
            if (declared[i] != -1 && declared[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    private static Mask and(Mask a, Mask b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        boolean[] va = a.values();
        boolean[] vb = b.values();
        boolean[] v = new boolean[va.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = va[i] && vb[i];
        }
        return new Mask(v, a.batch(), a.time());
    }

    /** Concatenation along a per-sample axis (0-based, batch excluded). */
    static Tensor concat(List<Tensor> parts, int axis) {
        int[] shape = parts.get(0).shape();
        int ax = axis + 1;
        int outer = 1;
        for (int i = 0; i < ax; i++) {
            outer *= shape[i];
        }
        int total = 0;
        int[] widths = new int[parts.size()];
        for (int p = 0; p < parts.size(); p++) {
            int[] s = parts.get(p).shape();
            int inner = 1;
            for (int i = ax; i < s.length; i++) {
                inner *= s[i];
            }
            widths[p] = inner;
            total += inner;
        }
        float[] out = new float[outer * total];
        int off = 0;
        for (int p = 0; p < parts.size(); p++) {
            float[] d = parts.get(p).data();
            for (int o = 0; o < outer; o++) {
                System.arraycopy(d, o * widths[p], out, o * total + off, widths[p]);
            }
            off += widths[p];
        }
        int[] os = shape.clone();
        os[ax] = 0;
        for (Tensor t : parts) {
            os[ax] += t.dim(ax);
        }
        return Tensor.of(out, os);
    }

    /** The per-sample output shape of a concatenation (checks the other axes agree). */
    static int[] concatShape(List<int[]> shapes, int axis, String where) throws KerasFormatException {
        int[] out = shapes.get(0).clone();
        if (axis < 0 || axis >= out.length) {
            throw new KerasFormatException(where + ": axis out of range for inputs of rank " + (out.length + 1));
        }
        for (int i = 1; i < shapes.size(); i++) {
            int[] s = shapes.get(i);
            if (s.length != out.length) {
                throw new KerasFormatException(where + ": inputs have different ranks");
            }
            for (int d = 0; d < s.length; d++) {
                if (d != axis && s[d] != out[d]) {
                    throw new KerasFormatException(where + ": input shapes " + Shapes.withBatch(shapes.get(0)) + " and "
                            + Shapes.withBatch(s) + " differ off the concatenation axis");
                }
            }
            out[axis] = out[axis] < 0 || s[axis] < 0 ? -1 : out[axis] + s[axis];
        }
        return out;
    }

    static Map<String, int[]> copy(Map<String, int[]> m) {
        return new LinkedHashMap<>(m);
    }
}
