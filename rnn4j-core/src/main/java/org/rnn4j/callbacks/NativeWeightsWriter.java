package org.rnn4j.callbacks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Variable;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * A dependency-free weights file (core's fallback when no Keras writer is present): a header,
 * then each weight as {@code layer/name}, its shape and big-endian float32 values, in Keras order.
 */
public final class NativeWeightsWriter implements ModelWriter {
    private static final String MAGIC = "RNN4J-WEIGHTS-1";

    @Override
    public void write(Model model, Path target) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(target)))) {
            out.writeUTF(MAGIC);
            List<String> names = new ArrayList<>();
            List<Variable> vars = new ArrayList<>();
            for (Layer l : model.layers()) {
                for (Variable v : l.weights()) {
                    names.add(l.name() + "/" + v.name());
                    vars.add(v);
                }
            }
            out.writeInt(vars.size());
            for (int i = 0; i < vars.size(); i++) {
                out.writeUTF(names.get(i));
                int[] shape = vars.get(i).shape();
                out.writeInt(shape.length);
                for (int d : shape) {
                    out.writeInt(d);
                }
                for (float f : vars.get(i).value().data()) {
                    out.writeFloat(f);
                }
            }
        }
    }

    @Override
    public boolean supports(Path target) {
        return target.getFileName().toString().endsWith(".weights.bin");
    }

    /** Reads a file written by {@link #write} into the model's weights (same architecture). */
    public static void read(Model model, Path source) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(source)))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new IOException(source + " is not an rnn4j weights file");
            }
            int n = in.readInt();
            List<Variable> vars = model.weights();
            if (n != vars.size()) {
                throw new IOException(source + " holds " + n + " weights but model '" + model.name() + "' has " + vars.size());
            }
            for (Variable v : vars) {
                String name = in.readUTF();
                int[] shape = new int[in.readInt()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readInt();
                }
                float[] data = new float[(int) org.rnn4j.tensor.Shapes.size(shape)];
                for (int j = 0; j < data.length; j++) {
                    data[j] = in.readFloat();
                }
                try {
                    v.assign(Tensor.of(data, shape));
                } catch (IllegalArgumentException e) {
                    throw new IOException("Weight '" + name + "' in " + source + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
