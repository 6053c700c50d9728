package org.rnn4j.layers.recurrent;

import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.activations.Activations;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.RecurrentEngines;
import org.rnn4j.layers.RecurrentLayer;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's GRUCell: gates z, r, h; {@code h = z*h_prev + (1-z)*hh}. With {@code resetAfter} (the
 * Keras 3 default) {@code hh = act(x W_h + b_in_h + r*(h_prev U_h + b_rec_h))} and the bias is
 * {@code (2, 3*units)} (row 0 input, row 1 recurrent); without it
 * {@code hh = act(x W_h + b_h + (r*h_prev) U_h)} and the bias is {@code (3*units,)}.
 */
public class GRUCell extends BaseCell<GRUCell> {
    private boolean resetAfter = true;

    public GRUCell(int units) {
        super(units);
    }

    public GRUCell recurrentActivation(String a) {
        return recurrentActivation(Activations.get(a));
    }

    public GRUCell recurrentActivation(Activation a) {
        setRecurrentActivation(a);
        return this;
    }

    public Activation recurrentActivation() {
        return recurrentActivationValue();
    }

    /** Keras's {@code reset_after} (default true). */
    public GRUCell resetAfter(boolean v) {
        checkNotBuilt();
        this.resetAfter = v;
        return this;
    }

    public boolean resetAfter() {
        return resetAfter;
    }

    @Override
    protected int gateCount() {
        return 3;
    }

    @Override
    protected int[] biasShape() {
        return resetAfter ? new int[] {2, 3 * units} : new int[] {3 * units};
    }

    @Override
    protected RecurrentLayer<?> newFusedLayer(String layerName) {
        GRU g = RecurrentEngines.gru(units, layerName);
        g.recurrentActivation(recurrentActivation()).resetAfter(resetAfter);
        return g;
    }

    /** What one step's backward needs. */
    private static final class Step {
        float[] xin;
        float[] hin;    // previous h with recurrent dropout (the matmul operand)
        float[] hp;     // previous h (the carry of h = z*h_prev + ...)
        float[] zx;     // [B, 3H] x W + input bias
        float[] zh;     // [B, 3H] h U (+ recurrent bias); with !resetAfter only z, r filled, h block = (r*h) U_h
        float[] pre;    // [B, 3H] pre-activations of z, r, hh
        float[] g;      // [B, 3H] activated z, r, hh
        float[] rh;     // [B, H] r * hin (reset before)
    }

    @Override
    public Tensor[] forwardStep(Tensor x, Tensor[] states, boolean training, LayerContext ctx, int step) {
        checkStep(x, states);
        int b = x.dim(0);
        int f = kernel.shape()[0];
        int h = units;
        int gh = 3 * h;
        Masks m = masks(ctx);
        Step st = ctx.child(step).state(Step::new);
        st.xin = masked(x.data(), training ? m.input : null);
        st.hin = masked(states[0].data(), training ? m.recurrent : null);
        st.hp = states[0].data().clone();
        float[] bv = useBias() ? bias.value().data() : null;
        float[] zx = new float[b * gh];
        float[] zh = new float[b * gh];
        for (int r = 0; r < b && bv != null; r++) {
            System.arraycopy(bv, 0, zx, r * gh, gh);
            if (resetAfter) {
                System.arraycopy(bv, gh, zh, r * gh, gh);
            }
        }
        float[] u = recurrentKernel.value().data();
        project(b, gh, f, st.xin, kernel.value().data(), 0, gh, zx, 0, gh, true);
        project(b, resetAfter ? gh : 2 * h, h, st.hin, u, 0, gh, zh, 0, gh, true);
        float[] pre = new float[b * gh];
        float[] g = new float[b * gh];
        for (int i = 0; i < b * gh; i++) {
            pre[i] = zx[i] + zh[i];
        }
        Activation rec = recurrentActivation();
        act(rec, pre, g, b, gh, 0, 2 * h);
        if (resetAfter) {
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < h; j++) {
                    int o = r * gh;
                    pre[o + 2 * h + j] = zx[o + 2 * h + j] + g[o + h + j] * zh[o + 2 * h + j];
                }
            }
        } else {
            float[] rh = new float[b * h];
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < h; j++) {
                    rh[r * h + j] = g[r * gh + h + j] * st.hin[r * h + j];
                }
            }
            st.rh = rh;
            float[] rec2 = new float[b * h];
            matmul.gemm(false, false, b, h, h, rh, 0, h, u, 2 * h, gh, rec2, 0, h, false);
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < h; j++) {
                    zh[r * gh + 2 * h + j] = rec2[r * h + j];
                    pre[r * gh + 2 * h + j] = zx[r * gh + 2 * h + j] + rec2[r * h + j];
                }
            }
        }
        act(activation(), pre, g, b, gh, 2 * h, h);
        float[] hv = new float[b * h];
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < h; j++) {
                int o = r * gh;
                float z = g[o + j];
                hv[r * h + j] = z * st.hp[r * h + j] + (1 - z) * g[o + 2 * h + j];
            }
        }
        st.zx = zx;
        st.zh = zh;
        st.pre = pre;
        st.g = g;
        return new Tensor[] {Tensor.of(hv, b, h), Tensor.of(hv.clone(), b, h)};
    }

    @Override
    public Tensor[] backwardStep(Tensor dOutput, Tensor[] dStates, LayerContext ctx, int step) {
        Step st = ctx.child(step).existingState();
        Masks m = masks(ctx);
        int b = dOutput.dim(0);
        int h = units;
        int gh = 3 * h;
        float[] g = st.g;
        float[] dh = dOutput.data().clone();
        float[] ds = dStates[0].data();
        for (int i = 0; i < dh.length; i++) {
            dh[i] += ds[i];
        }
        float[] dhp = new float[b * h];   // gradient of the previous h (carry path + recurrent matmuls)
        float[] dhin = new float[b * h];  // gradient of the matmul operand (before the recurrent mask)
        float[] dg = new float[b * gh];   // gradient of the activated gates, then of the pre-activations
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < h; j++) {
                int i = r * h + j;
                int o = r * gh;
                float z = g[o + j];
                dhp[i] = dh[i] * z;
                dg[o + j] = dh[i] * (st.hp[i] - g[o + 2 * h + j]);
                dg[o + 2 * h + j] = dh[i] * (1 - z);
            }
        }
        actBack(activation(), st.pre, g, dg, dg, b, gh, 2 * h, h);
        // dzx: gradients of x W + input bias; dzh: of h U (+ recurrent bias), per gate block.
        float[] dzx = new float[b * gh];
        float[] dzh = new float[b * gh];
        float[] u = recurrentKernel.value().data();
        float[] du = recurrentKernel.grad().data();
        if (resetAfter) {
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < h; j++) {
                    int o = r * gh;
                    float dpre = dg[o + 2 * h + j];
                    dzx[o + 2 * h + j] = dpre;
                    dzh[o + 2 * h + j] = dpre * g[o + h + j];
                    dg[o + h + j] = dpre * st.zh[o + 2 * h + j];
                }
            }
        } else {
            float[] drh = new float[b * h];
            for (int r = 0; r < b; r++) {
                System.arraycopy(dg, r * gh + 2 * h, dzx, r * gh + 2 * h, h);
            }
            // rec2 = rh . U_h: dU_h += rh^T dpre, drh = dpre U_h^T
            matmul.gemm(true, false, h, h, b, st.rh, 0, h, dzx, 2 * h, gh, du, 2 * h, gh, true);
            matmul.gemm(false, true, b, h, h, dzx, 2 * h, gh, u, 2 * h, gh, drh, 0, h, false);
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < h; j++) {
                    int i = r * h + j;
                    dg[r * gh + h + j] = drh[i] * st.hin[i];
                    dhin[i] += drh[i] * g[r * gh + h + j];
                }
            }
        }
        actBack(recurrentActivation(), st.pre, g, dg, dg, b, gh, 0, 2 * h);
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < 2 * h; j++) {
                int o = r * gh + j;
                dzx[o] = dg[o];
                dzh[o] = dg[o];
            }
        }
        int hc = resetAfter ? gh : 2 * h;
        matmul.gemm(true, false, h, hc, b, st.hin, 0, h, dzh, 0, gh, du, 0, gh, true);
        matmul.gemm(false, true, b, h, hc, dzh, 0, gh, u, 0, gh, dhin, 0, h, true);
        scale(dhin, m.recurrent);
        for (int i = 0; i < dhp.length; i++) {
            dhp[i] += dhin[i];
        }
        if (useBias()) {
            float[] db = bias.grad().data();
            columnSums(dzx, b, gh, 0, gh, db, 0);
            if (resetAfter) {
                columnSums(dzh, b, gh, 0, gh, db, gh);
            }
        }
        Tensor dx = inputSide(b, st.xin, dzx, m.input);
        return new Tensor[] {dx, Tensor.of(dhp, b, h)};
    }

    @Override
    protected void putTrailing(Map<String, Object> c) {
        c.put("reset_after", resetAfter);
    }

    /** A cell from its Keras config (the {@code config} of {"class_name": "GRUCell", ...}). */
    public static GRUCell fromConfig(java.util.Map<String, Object> config) {
        return (GRUCell) Cells.fromConfig("GRUCell", config);
    }
}
