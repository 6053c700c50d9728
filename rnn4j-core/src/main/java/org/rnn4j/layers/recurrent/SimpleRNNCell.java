package org.rnn4j.layers.recurrent;

import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.RecurrentEngines;
import org.rnn4j.layers.RecurrentLayer;
import org.rnn4j.tensor.Tensor;

/** Keras's SimpleRNNCell: {@code h = act(x W + b + h_prev U)}; output h, state [h]. */
public class SimpleRNNCell extends BaseCell<SimpleRNNCell> {
    public SimpleRNNCell(int units) {
        super(units);
    }

    @Override
    protected int gateCount() {
        return 1;
    }

    @Override
    protected boolean hasRecurrentActivation() {
        return false;
    }

    @Override
    protected RecurrentLayer<?> newFusedLayer(String layerName) {
        return RecurrentEngines.simpleRnn(units, layerName);
    }

    /** What one step's backward needs. */
    private static final class Step {
        float[] xin;
        float[] hin;
        float[] z;
        float[] h;
    }

    @Override
    public Tensor[] forwardStep(Tensor x, Tensor[] states, boolean training, LayerContext ctx, int step) {
        checkStep(x, states);
        int b = x.dim(0);
        int f = kernel.shape()[0];
        int h = units;
        Masks m = masks(ctx);
        Step st = ctx.child(step).state(Step::new);
        st.xin = masked(x.data(), training ? m.input : null);
        st.hin = masked(states[0].data(), training ? m.recurrent : null);
        float[] z = new float[b * h];
        if (useBias()) {
            float[] bv = bias.value().data();
            for (int r = 0; r < b; r++) {
                System.arraycopy(bv, 0, z, r * h, h);
            }
        }
        project(b, h, f, st.xin, kernel.value().data(), 0, h, z, 0, h, true);
        project(b, h, h, st.hin, recurrentKernel.value().data(), 0, h, z, 0, h, true);
        float[] y = new float[b * h];
        activation().forward(z, y, 0, b, h);
        st.z = z;
        st.h = y;
        Tensor out = Tensor.of(y, b, h);
        return new Tensor[] {out, Tensor.of(y.clone(), b, h)};
    }

    @Override
    public Tensor[] backwardStep(Tensor dOutput, Tensor[] dStates, LayerContext ctx, int step) {
        Step st = ctx.child(step).existingState();
        Masks m = masks(ctx);
        int b = dOutput.dim(0);
        int h = units;
        float[] dz = dOutput.data().clone();
        float[] ds = dStates[0].data();
        for (int i = 0; i < dz.length; i++) {
            dz[i] += ds[i];
        }
        activation().backward(st.z, st.h, dz, dz, 0, b, h);
        if (useBias()) {
            columnSums(dz, b, h, 0, h, bias.grad().data(), 0);
        }
        matmul.gemm(true, false, h, h, b, st.hin, 0, h, dz, 0, h, recurrentKernel.grad().data(), 0, h, true);
        float[] dhp = new float[b * h];
        matmul.gemm(false, true, b, h, h, dz, 0, h, recurrentKernel.value().data(), 0, h, dhp, 0, h, false);
        scale(dhp, m.recurrent);
        Tensor dx = inputSide(b, st.xin, dz, m.input);
        return new Tensor[] {dx, Tensor.of(dhp, b, h)};
    }

    /** A cell from its Keras config (the {@code config} of {"class_name": "SimpleRNNCell", ...}). */
    public static SimpleRNNCell fromConfig(java.util.Map<String, Object> config) {
        return (SimpleRNNCell) Cells.fromConfig("SimpleRNNCell", config);
    }
}
