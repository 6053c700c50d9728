package org.rnn4j.models;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.activations.Activation;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Layer;
import org.rnn4j.tensor.Tensor;

/**
 * Low-latency inference for one sample at a time on a model {@code LSTM -> Dense...} (dropout
 * layers are skipped, as at inference): every buffer is allocated once here, so a call allocates
 * nothing, and the batch-1 matmuls take the unpacked path. Two ways to use it:
 * <ul>
 *   <li>{@link #predict(float[], float[])}: a whole sequence {@code [T, F]} (what
 *       {@code model.predict} returns for that sample, up to float rounding);</li>
 *   <li>{@link #reset()} then {@link #step(float[], int, float[])} per arriving time step: the
 *       LSTM state is kept between calls and the head is applied to the latest state (a
 *       stateful stream, as Keras's {@code stateful=True} with batch 1).</li>
 * </ul>
 * Weights are read from the model at each call, so training the model later is seen. Not
 * thread-safe: use one predictor per thread.
 */
public final class StreamingPredictor {
    private final LSTM lstm;
    private final List<Dense> head = new ArrayList<>();
    private final List<List<org.rnn4j.layers.Variable>> headWeights = new ArrayList<>();
    private final int steps;
    private final int features;
    private final int units;
    private final MatMul mm = Kernels.matmul();
    private final Activation act;
    private final Activation rec;
    private final float[] h;
    private final float[] c;
    private final float[] z;
    private final float[] proj;
    private final float[][] headOut;
    private final int outputs;

    /**
     * @throws IllegalArgumentException naming the first layer this path does not handle
     */
    public StreamingPredictor(Model model) {
        String why = unsupported(model);
        if (why != null) {
            throw new IllegalArgumentException("StreamingPredictor: " + why
                    + ". It handles LSTM(return_sequences=False, go_backwards=False) followed by Dense/Dropout"
                    + " layers; use model.predict for other models");
        }
        List<Layer> layers = chain(model);
        lstm = (LSTM) layers.get(0);
        int width = lstm.units();
        for (Layer l : layers.subList(1, layers.size())) {
            if (l instanceof Dense d) {
                head.add(d);
                headWeights.add(d.weights());
                width = d.units();
            }
        }
        int[] in = model.inputs().get(0).shape();
        steps = in[0];
        features = in[1];
        units = lstm.units();
        act = Kernels.activation(lstm.activation());
        rec = Kernels.activation(lstm.recurrentActivation());
        h = new float[units];
        c = new float[units];
        z = new float[4 * units];
        proj = new float[steps * 4 * units];
        headOut = new float[head.size()][];
        for (int i = 0; i < head.size(); i++) {
            headOut[i] = new float[head.get(i).units()];
        }
        outputs = width;
    }

    /** Null when the model can use this path, else the reason (naming the layer). */
    public static String unsupported(Model model) {
        if (!model.isBuilt()) {
            return "the model is not built (give the first layer an input shape)";
        }
        if (model.inputs().size() != 1 || model.outputs().size() != 1) {
            return "the model has " + model.inputs().size() + " inputs and " + model.outputs().size() + " outputs";
        }
        List<Layer> layers = chain(model);
        if (layers == null) {
            return "the model is not a chain of layers";
        }
        if (layers.isEmpty() || !(layers.get(0) instanceof LSTM l)) {
            return "the first layer is " + (layers.isEmpty() ? "missing" : "'" + layers.get(0).name() + "' ("
                    + layers.get(0).getClass().getSimpleName() + "), not an LSTM");
        }
        if (l.returnSequences() || l.returnState() || l.goBackwards()) {
            return "LSTM '" + l.name() + "' has return_sequences, return_state or go_backwards set";
        }
        if (model.inputs().get(0).shape().length != 2) {
            return "the input shape per sample is " + java.util.Arrays.toString(model.inputs().get(0).shape())
                    + ", not (timesteps, features)";
        }
        for (Layer x : layers.subList(1, layers.size())) {
            if (!(x instanceof Dense) && !(x instanceof Dropout)) {
                return "layer '" + x.name() + "' (" + x.getClass().getSimpleName() + ") is not Dense or Dropout";
            }
        }
        return null;
    }

    /** The layers from input to output when the graph is a plain chain (one node per layer), else null. */
    private static List<Layer> chain(Model model) {
        List<Layer> out = new ArrayList<>();
        for (org.rnn4j.layers.Node n : model.nodes()) {
            if (n.inputs().size() != 1 || n.outputs().size() != 1 || out.contains(n.layer())) {
                return null;
            }
            out.add(n.layer());
        }
        return out;
    }

    /** Width of the output of {@link #predict} and {@link #step}. */
    public int outputs() {
        return outputs;
    }

    /** Clears the LSTM state kept by {@link #step}. */
    public void reset() {
        java.util.Arrays.fill(h, 0f);
        java.util.Arrays.fill(c, 0f);
    }

    /**
     * One sample: {@code x[xOff ..]} holds {@code [T, F]} row-major; writes {@link #outputs()}
     * values to {@code out} and returns it. Starts from a zero state (like {@code model.predict}).
     */
    public float[] predict(float[] x, int xOff, float[] out) {
        checkOut(out);
        reset();
        int gh = 4 * units;
        float[] w = lstm.kernel().value().data();
        float[] b = lstm.useBias() ? lstm.bias().value().data() : null;
        // The input projection of all steps at once: [T, F] x [F, 4H] (+ bias).
        for (int t = 0; t < steps; t++) {
            if (b != null) {
                System.arraycopy(b, 0, proj, t * gh, gh);
            } else {
                java.util.Arrays.fill(proj, t * gh, (t + 1) * gh, 0f);
            }
        }
        mm.gemm(false, false, steps, gh, features, x, xOff, features, w, 0, gh, proj, 0, gh, true);
        for (int t = 0; t < steps; t++) {
            cell(proj, t * gh);
        }
        return head(out);
    }

    /** {@link #predict(float[], int, float[])} from offset 0. */
    public float[] predict(float[] x, float[] out) {
        return predict(x, 0, out);
    }

    /** Convenience: a {@code [T, F]} or {@code [1, T, F]} tensor in, a new {@code [1, outputs]} tensor out. */
    public Tensor predict(Tensor x) {
        int need = steps * features;
        if (x.data().length != need) {
            throw new IllegalArgumentException("StreamingPredictor: expected one sample of shape (" + steps + ", "
                    + features + "), got " + java.util.Arrays.toString(x.shape()));
        }
        return Tensor.of(predict(x.data(), 0, new float[outputs]), 1, outputs);
    }

    /**
     * Advances the kept LSTM state by one time step {@code x[xOff .. xOff+F)} and applies the
     * head to the new state.
     */
    public float[] step(float[] x, int xOff, float[] out) {
        checkOut(out);
        int gh = 4 * units;
        float[] w = lstm.kernel().value().data();
        if (lstm.useBias()) {
            System.arraycopy(lstm.bias().value().data(), 0, z, 0, gh);
        } else {
            java.util.Arrays.fill(z, 0f);
        }
        mm.gemm(false, false, 1, gh, features, x, xOff, features, w, 0, gh, z, 0, gh, true);
        cell(z, 0);
        return head(out);
    }

    /** One LSTM step from the pre-activations {@code src[off .. off+4H)} (input part). */
    private void cell(float[] src, int off) {
        int gh = 4 * units;
        System.arraycopy(src, off, z, 0, gh);
        float[] u = lstm.recurrentKernel().value().data();
        mm.gemm(false, false, 1, gh, units, h, 0, units, u, 0, gh, z, 0, gh, true);
        rec.forward(z, z, 0, 1, 2 * units);          // i, f
        act.forward(z, z, 2 * units, 1, units);      // candidate
        rec.forward(z, z, 3 * units, 1, units);      // o
        int n = units;
        for (int j = 0; j < n; j++) {
            c[j] = z[n + j] * c[j] + z[j] * z[2 * n + j];
        }
        // h = o * act(c): act(c) into h first (h's old value is no longer needed).
        act.forward(c, h, 0, 1, n);
        for (int j = 0; j < n; j++) {
            h[j] *= z[3 * n + j];
        }
    }

    private float[] head(float[] out) {
        float[] in = h;
        int width = units;
        for (int i = 0; i < head.size(); i++) {
            Dense d = head.get(i);
            List<org.rnn4j.layers.Variable> ws = headWeights.get(i);
            float[] k = ws.get(0).value().data();
            float[] y = i == head.size() - 1 ? out : headOut[i];
            int n = d.units();
            if (d.useBias()) {
                System.arraycopy(ws.get(1).value().data(), 0, y, 0, n);
            } else {
                java.util.Arrays.fill(y, 0, n, 0f);
            }
            mm.gemm(false, false, 1, n, width, in, 0, width, k, 0, n, y, 0, n, true);
            Kernels.activation(d.activation()).forward(y, y, 0, 1, n);
            in = y;
            width = n;
        }
        if (head.isEmpty()) {
            System.arraycopy(h, 0, out, 0, units);
        }
        return out;
    }

    private void checkOut(float[] out) {
        if (out.length < outputs) {
            throw new IllegalArgumentException("StreamingPredictor: the output array holds " + out.length
                    + " values, the model gives " + outputs);
        }
    }
}
