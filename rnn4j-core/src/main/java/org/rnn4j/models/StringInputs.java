package org.rnn4j.models;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Node;
import org.rnn4j.layers.StringInput;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.tensor.StringTensor;
import org.rnn4j.tensor.Tensor;

/**
 * The model boundary for inputs of dtype {@code "string"}: each such input must be read by exactly
 * one {@link StringInput} layer (StringLookup); its strings are encoded by that layer and the
 * graph runs on the result. Other inputs pass through as float tensors.
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
        if (readers.size() != 1 || !(readers.get(0) instanceof StringInput)) {
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
