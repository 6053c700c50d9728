package org.rnn4j.models;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Node;
import org.rnn4j.layers.StringInput;
import org.rnn4j.layers.StringOutput;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.tensor.StringTensor;
import org.rnn4j.tensor.Tensor;

/**
 * The model boundary for strings: each input of dtype {@code "string"} must be read by exactly
 * one {@link StringInput} layer (StringLookup); its strings are encoded by that layer and the
 * graph runs on the result. Other inputs pass through as float tensors. An output of dtype
 * {@code "string"} (a {@link StringOutput}: an inverted StringLookup) is decoded to strings on the
 * way out, and may not feed another layer.
 */
final class StringInputs {
    private StringInputs() {
    }

    /** The graph's input tensors for {@code xs}: one {@link Tensor} or {@link StringTensor} per model input. */
    static List<Tensor> encode(Model model, List<?> xs) {
        List<SymbolicTensor> inputs = model.inputs();
        if (xs.size() != inputs.size()) {
            throw new IllegalArgumentException("Model '" + model.name() + "' has " + inputs.size() + " inputs "
                    + model.inputNames() + " but " + xs.size() + " arrays were given");
        }
        List<Tensor> out = new ArrayList<>(xs.size());
        for (int i = 0; i < xs.size(); i++) {
            Object x = xs.get(i);
            SymbolicTensor in = inputs.get(i);
            String name = model.inputNames().get(i);
            if (x instanceof StringTensor s) {
                out.add(reader(model, in, name).encodeStrings(s));
            } else if (x instanceof Tensor t) {
                if ("string".equals(in.dtype())) {
                    reader(model, in, name); // checks the input is read by a lookup whose ids the tensor holds
                }
                out.add(t);
            } else {
                throw new IllegalArgumentException("Model '" + model.name() + "', input '" + name + "': expected a"
                        + " Tensor or a StringTensor but got " + (x == null ? "null" : x.getClass().getSimpleName()));
            }
        }
        return out;
    }

    /** The model's outputs with each string-typed one turned into strings by the layer making it. */
    static List<Object> decode(Model model, List<Tensor> ys) {
        List<SymbolicTensor> outs = model.outputs();
        List<Object> decoded = new ArrayList<>(ys.size());
        for (int k = 0; k < ys.size(); k++) {
            SymbolicTensor t = outs.get(k);
            if (!"string".equals(t.dtype())) {
                decoded.add(ys.get(k));
            } else if (t.layer() instanceof StringOutput so) {
                decoded.add(so.decodeStrings(ys.get(k)));
            } else {
                throw new IllegalArgumentException("Model '" + model.name() + "', output '" + t.name() + "' has dtype"
                        + " string but its layer (" + t.layer().className() + ") cannot make strings; only a StringLookup"
                        + " with invert=True can be a string output");
            }
        }
        return decoded;
    }

    /**
     * Strings flow only across the model's boundary: a layer inside the graph reading the output of
     * an inverted StringLookup would get ids where Keras gives it strings, so the graph is refused.
     */
    static void checkNoInnerStrings(String modelName, List<Node> nodes) {
        for (Node n : nodes) {
            for (SymbolicTensor in : n.inputs()) {
                if ("string".equals(in.dtype()) && !(in.layer() instanceof org.rnn4j.layers.InputLayer)) {
                    throw new IllegalArgumentException("Model '" + modelName + "': layer '" + n.layer().name() + "' ("
                            + n.layer().className() + ") reads the strings of '" + in.name() + "' ("
                            + in.layer().className() + "); rnn4j returns strings only as model outputs (not supported"
                            + " yet: layers on strings inside a model); make '" + in.name() + "' an output");
                }
            }
        }
    }

    /** The one layer that reads a string input, or an error saying what the model needs. */
    private static StringInput reader(Model model, SymbolicTensor input, String name) {
        if (!"string".equals(input.dtype())) {
            throw new IllegalArgumentException("Model '" + model.name() + "', input '" + name + "' has dtype "
                    + input.dtype() + ", not string: pass a Tensor, or make it keras.Input(..., dtype=\"string\")"
                    + " read by a StringLookup");
        }
        List<Layer> readers = new ArrayList<>();
        for (Node n : model.nodes()) {
            for (SymbolicTensor t : n.inputs()) {
                if (t == input && !readers.contains(n.layer())) {
                    readers.add(n.layer());
                }
            }
        }
        if (readers.size() != 1 || !(readers.get(0) instanceof StringInput si && si.readsStrings())) {
            List<String> names = new ArrayList<>();
            for (Layer l : readers) {
                names.add(l.name() + " (" + l.className() + ")");
            }
            throw new IllegalArgumentException("Model '" + model.name() + "', string input '" + name + "' is read by "
                    + names + "; rnn4j runs a string input only when exactly one StringLookup reads it (not supported"
                    + " yet: other layers on strings, or several lookups on one input)");
        }
        return (StringInput) readers.get(0);
    }
}
