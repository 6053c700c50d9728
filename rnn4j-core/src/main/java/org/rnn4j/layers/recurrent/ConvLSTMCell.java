package org.rnn4j.layers.recurrent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.activations.Activations;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.Initializers;
import org.rnn4j.kernels.ConvGeometry;
import org.rnn4j.kernels.ConvKernels;
import org.rnn4j.kernels.ConvNd;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Variable;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * The cell of Keras's ConvLSTM1D/2D/3D: an LSTM whose matmuls are convolutions (channels_last),
 * {@code z = conv(x, kernel; strides, padding, dilation) + bias + conv(h, recurrent_kernel; 1, "same")},
 * gates i, f, c, o in blocks of {@code filters} along the last axis. States and the output are
 * {@code (outH, outW, filters)} maps, flattened per sample for the {@link Cell} interface; per
 * position the gate math is LSTM's with {@code units = filters}. ConvLSTM1D is the {@code H = 1} case
 * (its kernels {@code (k, C, 4F)} have the same memory layout as {@code (1, k, C, 4F)}). 1D and 2D
 * run on the fast {@link ConvKernels}; ConvLSTM3D ({@code (D, H, W)} maps, kernels
 * {@code (kD, kH, kW, C, 4F)}) on the general {@link ConvNd}, whose channels_last layout is the same.
 */
public final class ConvLSTMCell implements Cell {
    final int rank;
    final int filters;
    final int kH;
    final int kW;
    /** The depth axis of ConvLSTM3D (1 otherwise). */
    final int kD;
    int strideD = 1;
    int dilationD = 1;
    int strideH = 1;
    int strideW = 1;
    int dilationH = 1;
    int dilationW = 1;
    String padding = "valid";
    Activation activation = Activations.get("tanh");
    Activation recurrentActivation = Activations.get("sigmoid");
    boolean useBias = true;
    boolean unitForgetBias = true;
    Initializer kernelInitializer = Initializers.get("glorot_uniform");
    Initializer recurrentInitializer = Initializers.get("orthogonal");
    Initializer biasInitializer = Initializers.get("zeros");
    Regularizer kernelRegularizer;
    Regularizer recurrentRegularizer;
    Regularizer biasRegularizer;
    double dropout;
    double recurrentDropout;
    Long seed;
    /** Test hook: masks used instead of drawn ones ({@code GATES} per side), for finite differences and Keras references. */
    float[][] fixedInputMasks;
    float[][] fixedRecurrentMasks;
    private long dropoutSeed;
    private final String name;
    private ConvGeometry in;
    private ConvGeometry rec;
    /** ConvLSTM3D's input and recurrent geometries (null for 1D/2D). */
    private ConvNd.Geometry inNd;
    private ConvNd.Geometry recNd;
    private Variable kernel;
    private Variable recurrentKernel;
    private Variable bias;
    private final List<Variable> weights = new ArrayList<>(3);

    ConvLSTMCell(int rank, int filters, int kH, int kW, String name) {
        this(rank, filters, 1, kH, kW, name);
    }

    ConvLSTMCell(int rank, int filters, int kD, int kH, int kW, String name) {
        this.rank = rank;
        this.filters = filters;
        this.kD = kD;
        this.kH = kH;
        this.kW = kW;
        this.name = name;
    }

    @Override
    public String className() {
        return "ConvLSTMCell";
    }

    @Override
    public String name() {
        return name;
    }

    /** Sets the spatial input size {@code (D, H, W)} (D = 1 below rank 3); must precede {@link #build}. */
    void spatial(int inD, int inH, int inW, int channels) {
        in = null;
        inNd = null;
        if (rank == 3) {
            inNd = ConvNd.Geometry.of(new int[] {inD, inH, inW}, channels, new int[] {kD, kH, kW},
                    new int[] {strideD, strideH, strideW}, new int[] {dilationD, dilationH, dilationW}, padding);
        } else {
            in = ConvGeometry.of(inH, inW, channels, kH, kW, strideH, strideW, dilationH, dilationW, padding);
        }
    }

    /** The output (and state) map size {@code (D, H, W)}, D = 1 below rank 3; a size < 1 means the input is too small. */
    int[] outSpatial() {
        return rank == 3 ? inNd.out.clone() : new int[] {1, in.outH, in.outW};
    }

    private int outPositions() {
        return rank == 3 ? inNd.outPositions : in.outputPositions();
    }

    private int channels() {
        return rank == 3 ? inNd.channels : in.channels;
    }

    private int inputSize() {
        return rank == 3 ? inNd.inPositions * inNd.channels : in.inputSize();
    }

    @Override
    public int[] stateSizes() {
        int n = outPositions() * filters;
        return new int[] {n, n};
    }

    private int[] kernelShape(int channels) {
        if (rank == 3) {
            return new int[] {kD, kH, kW, channels, 4 * filters};
        }
        return rank == 1 ? new int[] {kW, channels, 4 * filters} : new int[] {kH, kW, channels, 4 * filters};
    }

    @Override
    public void build(int inputDim, Rng rng) {
        if ((in == null && inNd == null) || java.util.Arrays.stream(outSpatial()).anyMatch(o -> o < 1)) {
            throw new IllegalStateException("ConvLSTM cell '" + name + "': no valid spatial size");
        }
        if (rank == 3) {
            // Keras's recurrent convolution: strides 1, "same", no dilation
            int[] o = inNd.out;
            recNd = ConvNd.Geometry.of(o.clone(), filters, new int[] {kD, kH, kW}, new int[] {1, 1, 1},
                    new int[] {1, 1, 1}, "same");
        } else {
            rec = ConvGeometry.of(in.outH, in.outW, filters, kH, kW, 1, 1, 1, 1, "same");
        }
        kernel = add("kernel", kernelShape(channels()), kernelInitializer, kernelRegularizer, rng);
        recurrentKernel = add("recurrent_kernel", kernelShape(filters), recurrentInitializer, recurrentRegularizer, rng);
        if (useBias) {
            Initializer b = biasInitializer;
            bias = add("bias", new int[] {4 * filters}, !unitForgetBias ? b : new Initializer() {
                @Override
                public String name() {
                    return b.name();
                }

                @Override
                public void fill(Tensor w, Rng r) {
                    Tensor first = Tensor.zeros(filters);
                    Tensor rest = Tensor.zeros(2 * filters);
                    b.fill(first, r);
                    b.fill(rest, r);
                    float[] d = w.data();
                    System.arraycopy(first.data(), 0, d, 0, filters);
                    Arrays.fill(d, filters, 2 * filters, 1f);
                    System.arraycopy(rest.data(), 0, d, 2 * filters, 2 * filters);
                }
            }, biasRegularizer, rng);
        }
        if (dropout > 0 || recurrentDropout > 0) {
            // after the weights, so that dropout leaves their initial values as without it
            dropoutSeed = seed != null ? seed : rng.split().nextLong();
        }
    }

    /** A weight with its regularizer (the trainer adds the penalty and its gradient, as Keras's layer losses). */
    private Variable add(String n, int[] shape, Initializer init, Regularizer reg, Rng rng) {
        Tensor t = Tensor.zeros(shape);
        init.fill(t, rng);
        Variable v = new Variable(n, t, true, reg);
        weights.add(v);
        return v;
    }

    @Override
    public boolean isBuilt() {
        return kernel != null;
    }

    @Override
    public List<Variable> weights() {
        return Collections.unmodifiableList(weights);
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("name", name);
    }

    /** One side's convolution: the input one (strides, padding, dilation) or the recurrent one (1, "same"). */
    private void conv(boolean recurrent, float[] x, int b, float[] k, float[] bias, int outChannels, float[] out) {
        if (rank == 3) {
            ConvNd.forward(x, b, recurrent ? recNd : inNd, k, bias, 1, outChannels, out);
        } else {
            ConvKernels.forward(x, b, recurrent ? rec : in, k, bias, outChannels, out);
        }
    }

    private void convBackward(boolean recurrent, float[] x, int b, float[] k, int outChannels, float[] dz, float[] dk,
                              float[] dBias, float[] dx) {
        if (rank == 3) {
            ConvNd.backward(x, b, recurrent ? recNd : inNd, k, 1, outChannels, dz, dk, dBias, dx);
        } else {
            ConvKernels.backward(x, b, recurrent ? rec : in, k, outChannels, dz, dk, dBias, dx);
        }
    }

    /** Keras draws the masks once per call (ConvLSTM's RNN resets them after each call); training only. */
    @Override
    public void beginSequence(int batch, boolean training, LayerContext ctx) {
        boolean in = training && dropout > 0 && dropout < 1;
        boolean rc = training && recurrentDropout > 0 && recurrentDropout < 1;
        if (!in && !rc && ctx.existingState() == null) {
            return;   // nothing to drop and nothing left from an earlier training call
        }
        ConvLSTMDropout d = ctx.state(ConvLSTMDropout::new);
        if ((in || rc) && d.rng == null) {
            d.rng = new Rng(dropoutSeed);
        }
        d.input = !in ? null : fixedInputMasks != null ? fixed(fixedInputMasks, batch * inputSize(), "input")
                : ConvLSTMDropout.draw(d.rng, batch * inputSize(), dropout);
        int n = batch * outPositions() * filters;
        d.recurrent = !rc ? null : fixedRecurrentMasks != null ? fixed(fixedRecurrentMasks, n, "recurrent")
                : ConvLSTMDropout.draw(d.rng, n, recurrentDropout);
        // sliced per call: the optimizer changes the weights between calls, never within one
        d.kernels = in ? ConvLSTMDropout.gateSlices(kernel.value().data(), filters) : null;
        d.biases = in && useBias ? ConvLSTMDropout.gateSlices(bias.value().data(), filters) : null;
        d.recurrentKernels = rc ? ConvLSTMDropout.gateSlices(recurrentKernel.value().data(), filters) : null;
    }

    private float[][] fixed(float[][] masks, int n, String side) {
        if (masks.length != ConvLSTMDropout.GATES || masks[0].length != n) {
            throw new IllegalStateException("ConvLSTM cell '" + name + "': fixed " + side + " dropout masks must be "
                    + ConvLSTMDropout.GATES + " x " + n + " values for this batch, got " + masks.length + " x "
                    + (masks.length == 0 ? 0 : masks[0].length));
        }
        return masks;
    }

    /**
     * {@code z[:, gate block g] = conv(x * mask_g, kernel_g) (+ bias_g)} for the four gates: Keras's
     * masked ConvLSTM step, each gate seeing its own dropped copy of the input (or of h).
     */
    private void gateConv(boolean recurrent, float[] x, int b, float[][] masks, float[][] kernels, float[][] biases,
                          float[] z) {
        float[] xg = new float[x.length];
        float[] zg = new float[z.length / ConvLSTMDropout.GATES];
        for (int g = 0; g < ConvLSTMDropout.GATES; g++) {
            ConvLSTMDropout.mul(x, masks[g], xg);
            conv(recurrent, xg, b, kernels[g], biases == null ? null : biases[g], filters, zg);
            ConvLSTMDropout.addBlock(zg, g, filters, z);
        }
    }

    /** The backward of {@link #gateConv}: kernel (and bias) gradients into their gate blocks, {@code dx} written. */
    private void gateConvBackward(boolean recurrent, float[] x, int b, float[][] masks, float[][] kernels, float[] dz,
                                  float[] dKernel, float[] dBias, float[] dx) {
        int gates = ConvLSTMDropout.GATES;
        float[] xg = new float[x.length];
        float[] dzg = new float[dz.length / gates];
        float[] dkg = new float[kernels[0].length];
        float[] dbg = dBias == null ? null : new float[filters];
        float[] dxg = new float[dx.length];
        Arrays.fill(dx, 0f);
        for (int g = 0; g < gates; g++) {
            ConvLSTMDropout.mul(x, masks[g], xg);
            ConvLSTMDropout.takeBlock(dz, g, filters, dzg);
            Arrays.fill(dkg, 0f);
            if (dbg != null) {
                Arrays.fill(dbg, 0f);
            }
            convBackward(recurrent, xg, b, kernels[g], filters, dzg, dkg, dbg, dxg);
            ConvLSTMDropout.addBlock(dkg, g, filters, dKernel);
            if (dbg != null) {
                ConvLSTMDropout.addBlock(dbg, g, filters, dBias);
            }
            float[] m = masks[g];
            for (int i = 0; i < dx.length; i++) {
                dx[i] += dxg[i] * m[i];
            }
        }
    }

    private static ConvLSTMDropout dropoutOf(LayerContext ctx, boolean training) {
        Object s = training ? ctx.existingState() : null;
        return s instanceof ConvLSTMDropout ? (ConvLSTMDropout) s : null;
    }

    private static final class Step {
        float[] x;
        float[] hp;
        float[] cp;
        float[] z;
        float[] g;
        float[] c;
        float[] actC;
        /** The call's masks (null without dropout), as the forward used them. */
        ConvLSTMDropout dropout;
    }

    @Override
    public Tensor[] forwardStep(Tensor x, Tensor[] states, boolean training, LayerContext ctx, int step) {
        int b = x.dim(0);
        int pos = outPositions();
        int f = filters;
        int gf = 4 * f;
        int rows = b * pos;
        Step st = ctx.child(step).state(Step::new);
        st.x = x.data();
        st.hp = states[0].data();
        st.cp = states[1].data();
        float[] z = new float[rows * gf];
        float[] zh = new float[rows * gf];
        ConvLSTMDropout d = dropoutOf(ctx, training);
        st.dropout = d;
        if (d != null && d.input != null) {
            gateConv(false, st.x, b, d.input, d.kernels, d.biases, z);
        } else {
            conv(false, st.x, b, kernel.value().data(), useBias ? bias.value().data() : null, gf, z);
        }
        if (d != null && d.recurrent != null) {
            gateConv(true, st.hp, b, d.recurrent, d.recurrentKernels, null, zh);
        } else {
            conv(true, st.hp, b, recurrentKernel.value().data(), null, gf, zh);
        }
        for (int i = 0; i < z.length; i++) {
            z[i] += zh[i];
        }
        float[] g = new float[rows * gf];
        float[] c = new float[rows * f];
        float[] ac = new float[rows * f];
        float[] h = new float[rows * f];
        LstmGates.forward(activation, recurrentActivation, z, st.cp, rows, f, g, c, ac, h);
        st.z = z;
        st.g = g;
        st.c = c;
        st.actC = ac;
        int n = pos * f;
        return new Tensor[] {Tensor.of(h, b, n), Tensor.of(h.clone(), b, n), Tensor.of(c.clone(), b, n)};
    }

    @Override
    public Tensor[] backwardStep(Tensor dOutput, Tensor[] dStates, LayerContext ctx, int step) {
        Step st = ctx.child(step).existingState();
        int b = dOutput.dim(0);
        int pos = outPositions();
        int f = filters;
        int gf = 4 * f;
        int rows = b * pos;
        float[] dh = dOutput.data().clone();
        float[] dsh = dStates[0].data();
        for (int i = 0; i < dh.length; i++) {
            dh[i] += dsh[i];
        }
        float[] dg = new float[rows * gf];
        float[] dcp = new float[rows * f];
        LstmGates.backward(activation, recurrentActivation, st.z, st.g, st.c, st.actC, st.cp, dh, dStates[1].data(),
                rows, f, dg, dcp);
        float[] dx = new float[b * inputSize()];
        float[] dhp = new float[rows * f];
        ConvLSTMDropout d = st.dropout;
        float[] dBias = useBias ? bias.grad().data() : null;
        if (d != null && d.input != null) {
            gateConvBackward(false, st.x, b, d.input, d.kernels, dg, kernel.grad().data(), dBias, dx);
        } else {
            convBackward(false, st.x, b, kernel.value().data(), gf, dg, kernel.grad().data(), dBias, dx);
        }
        if (d != null && d.recurrent != null) {
            gateConvBackward(true, st.hp, b, d.recurrent, d.recurrentKernels, dg, recurrentKernel.grad().data(), null,
                    dhp);
        } else {
            convBackward(true, st.hp, b, recurrentKernel.value().data(), gf, dg, recurrentKernel.grad().data(), null,
                    dhp);
        }
        int n = pos * f;
        return new Tensor[] {Tensor.of(dx, b, inputSize()), Tensor.of(dhp, b, n), Tensor.of(dcp, b, n)};
    }
}
