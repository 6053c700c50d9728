package org.rnn4j.spark;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.rnn4j.layers.Variable;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.tensor.Tensor;

/**
 * The driver's training checkpoints on any Hadoop file system ({@code file:}, {@code hdfs:},
 * {@code s3a:}, ...): model weights, the optimizer's state ({@link Optimizer#variables()}:
 * iteration, learning rate, slots) and where training stands (epoch, next step, the epoch's
 * running loss). Each checkpoint is written to a temporary name and renamed into place
 * ({@code checkpoint-<step>}), so a crash mid-write never leaves a partial checkpoint that a
 * resume would read; older checkpoints are deleted after a new one is in place.
 */
public final class Checkpoints {
    private static final long MAGIC = 0x524E4E344A434B31L; // "RNN4JCK1"
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)");
    private static final int KEEP = 2;

    private Checkpoints() {
    }

    /** Where training stood when a checkpoint was written. */
    public static final class State {
        public final long globalStep;
        public final int epoch;
        /** The next step to run in {@link #epoch} (equal to the steps per epoch: the epoch's steps are done). */
        public final int nextStep;
        public final long samples;
        public final double lossTotal;
        public final long lossCount;
        public final double[] outputLossTotals;
        final float[][] weights;
        final float[][] optimizerVariables;

        State(long globalStep, int epoch, int nextStep, long samples, double lossTotal, long lossCount,
              double[] outputLossTotals, float[][] weights, float[][] optimizerVariables) {
            this.globalStep = globalStep;
            this.epoch = epoch;
            this.nextStep = nextStep;
            this.samples = samples;
            this.lossTotal = lossTotal;
            this.lossCount = lossCount;
            this.outputLossTotals = outputLossTotals;
            this.weights = weights;
            this.optimizerVariables = optimizerVariables;
        }

        /** Writes the saved weights and optimizer state into {@code model} (same architecture and optimizer). */
        public void restoreInto(Model model) {
            List<Variable> vars = model.weights();
            if (vars.size() != weights.length) {
                throw new IllegalStateException("The checkpoint has " + weights.length + " weights but model '"
                        + model.name() + "' has " + vars.size());
            }
            List<Tensor> values = new ArrayList<>(weights.length);
            for (int i = 0; i < weights.length; i++) {
                values.add(Tensor.of(weights[i].clone(), vars.get(i).shape()));
            }
            model.setWeights(values);
            model.buildOptimizer();
            List<Tensor> current = model.optimizer().variables();
            if (current.size() != optimizerVariables.length) {
                throw new IllegalStateException("The checkpoint has " + optimizerVariables.length
                        + " optimizer variables but " + model.optimizer() + " has " + current.size());
            }
            List<Tensor> opt = new ArrayList<>(current.size());
            for (int i = 0; i < current.size(); i++) {
                opt.add(Tensor.of(optimizerVariables[i].clone(), current.get(i).shape()));
            }
            model.optimizer().setVariables(opt);
        }
    }

    static State capture(Model model, long globalStep, int epoch, int nextStep, long samples, double lossTotal,
                         long lossCount, double[] outputLossTotals) {
        List<Variable> vars = model.weights();
        float[][] w = new float[vars.size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = vars.get(i).value().data().clone();
        }
        model.buildOptimizer();
        List<Tensor> ov = model.optimizer().variables();
        float[][] o = new float[ov.size()][];
        for (int i = 0; i < o.length; i++) {
            o[i] = ov.get(i).data().clone();
        }
        return new State(globalStep, epoch, nextStep, samples, lossTotal, lossCount, outputLossTotals.clone(), w, o);
    }

    /** Writes a checkpoint atomically under {@code dir}; returns its path. */
    public static String write(Configuration conf, String dir, State s) {
        try {
            Path d = new Path(dir);
            FileSystem fs = d.getFileSystem(conf);
            fs.mkdirs(d);
            Path target = new Path(d, String.format("checkpoint-%012d", s.globalStep));
            Path tmp = new Path(d, "_tmp-" + UUID.randomUUID());
            try (DataOutputStream out = fs.create(tmp, true)) {
                out.writeLong(MAGIC);
                out.writeLong(s.globalStep);
                out.writeInt(s.epoch);
                out.writeInt(s.nextStep);
                out.writeLong(s.samples);
                out.writeDouble(s.lossTotal);
                out.writeLong(s.lossCount);
                writeDoubles(out, s.outputLossTotals);
                writeArrays(out, s.weights);
                writeArrays(out, s.optimizerVariables);
                out.writeLong(MAGIC);
            }
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(tmp, target)) {
                fs.delete(tmp, false);
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
            List<Long> steps = steps(fs, d);
            for (int i = 0; i < steps.size() - KEEP; i++) {
                fs.delete(new Path(d, String.format("checkpoint-%012d", steps.get(i))), false);
            }
            return target.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a checkpoint to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The latest complete checkpoint under {@code dir}, or null when there is none. */
    public static State latest(Configuration conf, String dir) {
        try {
            Path d = new Path(dir);
            FileSystem fs = d.getFileSystem(conf);
            if (!fs.exists(d)) {
                return null;
            }
            List<Long> steps = steps(fs, d);
            if (steps.isEmpty()) {
                return null;
            }
            Path p = new Path(d, String.format("checkpoint-%012d", steps.get(steps.size() - 1)));
            try (DataInputStream in = fs.open(p)) {
                if (in.readLong() != MAGIC) {
                    throw new IOException(p + " is not an rnn4j checkpoint");
                }
                long step = in.readLong();
                int epoch = in.readInt();
                int next = in.readInt();
                long samples = in.readLong();
                double lossTotal = in.readDouble();
                long lossCount = in.readLong();
                double[] outLosses = readDoubles(in);
                float[][] w = readArrays(in);
                float[][] o = readArrays(in);
                if (in.readLong() != MAGIC) {
                    throw new IOException(p + " is truncated");
                }
                return new State(step, epoch, next, samples, lossTotal, lossCount, outLosses, w, o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<Long> steps(FileSystem fs, Path d) throws IOException {
        List<Long> steps = new ArrayList<>();
        for (FileStatus st : fs.listStatus(d)) {
            Matcher m = NAME.matcher(st.getPath().getName());
            if (m.matches()) {
                steps.add(Long.parseLong(m.group(1)));
            }
        }
        steps.sort(null);
        return steps;
    }

    private static void writeDoubles(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double v : a) {
            out.writeDouble(v);
        }
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        double[] a = new double[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readDouble();
        }
        return a;
    }

    private static void writeArrays(DataOutputStream out, float[][] arrays) throws IOException {
        out.writeInt(arrays.length);
        for (float[] a : arrays) {
            out.writeInt(a.length);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(a.length * 4);
            buf.asFloatBuffer().put(a);
            out.write(buf.array());
        }
    }

    private static float[][] readArrays(DataInputStream in) throws IOException {
        float[][] arrays = new float[in.readInt()][];
        for (int i = 0; i < arrays.length; i++) {
            int n = in.readInt();
            byte[] bytes = new byte[n * 4];
            in.readFully(bytes);
            float[] a = new float[n];
            java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(a);
            arrays[i] = a;
        }
        return arrays;
    }
}
