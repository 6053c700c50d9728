package org.rnn4j.layers.recurrent;

import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.activations.Activations;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.RecurrentEngines;
import org.rnn4j.layers.RecurrentLayer;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's LSTMCell: gates i, f, c, o in the kernel {@code (input_dim, 4*units)}, recurrent
 * kernel {@code (units, 4*units)} and bias {@code (4*units,)};
 * {@code c = f*c_prev + i*act(.)}, {@code h = o*act(c)}; output h, states [h, c].
 */
public class LSTMCell extends BaseCell<LSTMCell> {
    private boolean unitForgetBias = true;

    public LSTMCell(int units) {
        super(units);
    }

    public LSTMCell recurrentActivation(String a) {
        return recurrentActivation(Activations.get(a));
    }

    public LSTMCell recurrentActivation(Activation a) {
        setRecurrentActivation(a);
        return this;
    }

    public Activation recurrentActivation() {
        return recurrentActivationValue();
    }

    /** Keras's {@code unit_forget_bias} (default true): the forget block of the bias starts at 1. */
    public LSTMCell unitForgetBias(boolean v) {
        checkNotBuilt();
        this.unitForgetBias = v;
        return this;
    }

    public boolean unitForgetBias() {
        return unitForgetBias;
    }

    @Override
    protected int gateCount() {
        return 4;
    }

    @Override
    public int[] stateSizes() {
        return new int[] {units, units};
    }

    @Override
    protected RecurrentLayer<?> newFusedLayer(String layerName) {
        LSTM l = RecurrentEngines.lstm(units, layerName);
        l.recurrentActivation(recurrentActivation()).unitForgetBias(unitForgetBias);
        return l;
    }

    @Override
    protected Initializer effectiveBiasInitializer() {
        Initializer base = super.effectiveBiasInitializer();
        if (!unitForgetBias) {
            return base;
        }
        // Keras: concat(init((units,)), ones((units,)), init((2*units,))).
        return new Initializer() {
            @Override
            public String name() {
                return base.name();
            }

            @Override
            public void fill(Tensor w, Rng rng) {
                Tensor first = Tensor.zeros(units);
                Tensor rest = Tensor.zeros(2 * units);
                base.fill(first, rng);
                base.fill(rest, rng);
                float[] d = w.data();
                System.arraycopy(first.data(), 0, d, 0, units);
                java.util.Arrays.fill(d, units, 2 * units, 1f);
                System.arraycopy(rest.data(), 0, d, 2 * units, 2 * units);
            }
        };
    }

    /** What one step's backward needs. */
    private static final class Step {
        float[] xin;
        float[] hin;
        float[] cp;
        float[] z;     // [B, 4H] pre-activations
        float[] g;     // [B, 4H] activated gates
        float[] c;     // [B, H]
        float[] actC;  // [B, H]
    }

    @Override
    public Tensor[] forwardStep(Tensor x, Tensor[] states, boolean training, LayerContext ctx, int step) {
        checkStep(x, states);
        int b = x.dim(0);
        int f = kernel.shape()[0];
        int h = units;
        int gh = 4 * h;
        Masks m = masks(ctx);
        Step st = ctx.child(step).state(Step::new);
        st.xin = masked(x.data(), training ? m.input : null);
        st.hin = masked(states[0].data(), training ? m.recurrent : null);
        st.cp = states[1].data().clone();
        float[] z = new float[b * gh];
        if (useBias()) {
            float[] bv = bias.value().data();
            for (int r = 0; r < b; r++) {
                System.arraycopy(bv, 0, z, r * gh, gh);
            }
        }
        project(b, gh, f, st.xin, kernel.value().data(), 0, gh, z, 0, gh, true);
        project(b, gh, h, st.hin, recurrentKernel.value().data(), 0, gh, z, 0, gh, true);
        float[] g = new float[b * gh];
        float[] c = new float[b * h];
        float[] ac = new float[b * h];
        float[] hv = new float[b * h];
        LstmGates.forward(activation(), recurrentActivation(), z, st.cp, b, h, g, c, ac, hv);
        st.z = z;
        st.g = g;
        st.c = c;
        st.actC = ac;
        return new Tensor[] {Tensor.of(hv, b, h), Tensor.of(hv.clone(), b, h), Tensor.of(c.clone(), b, h)};
    }

    @Override
    public Tensor[] backwardStep(Tensor dOutput, Tensor[] dStates, LayerContext ctx, int step) {
        Step st = ctx.child(step).existingState();
        Masks m = masks(ctx);
        int b = dOutput.dim(0);
        int h = units;
        int gh = 4 * h;
        float[] dh = dOutput.data().clone();
        float[] dsh = dStates[0].data();
        for (int i = 0; i < dh.length; i++) {
            dh[i] += dsh[i];
        }
        float[] dg = new float[b * gh];
        float[] dcp = new float[b * h];
        LstmGates.backward(activation(), recurrentActivation(), st.z, st.g, st.c, st.actC, st.cp, dh, dStates[1].data(),
                b, h, dg, dcp);
        if (useBias()) {
            columnSums(dg, b, gh, 0, gh, bias.grad().data(), 0);
        }
        matmul.gemm(true, false, h, gh, b, st.hin, 0, h, dg, 0, gh, recurrentKernel.grad().data(), 0, gh, true);
        float[] dhp = new float[b * h];
        matmul.gemm(false, true, b, h, gh, dg, 0, gh, recurrentKernel.value().data(), 0, gh, dhp, 0, h, false);
        scale(dhp, m.recurrent);
        Tensor dx = inputSide(b, st.xin, dg, m.input);
        return new Tensor[] {dx, Tensor.of(dhp, b, h), Tensor.of(dcp, b, h)};
    }

    @Override
    protected void putAfterBias(Map<String, Object> c) {
        c.put("unit_forget_bias", unitForgetBias);
    }

    /** A cell from its Keras config (the {@code config} of {"class_name": "LSTMCell", ...}). */
    public static LSTMCell fromConfig(java.util.Map<String, Object> config) {
        return (LSTMCell) Cells.fromConfig("LSTMCell", config);
    }
}
