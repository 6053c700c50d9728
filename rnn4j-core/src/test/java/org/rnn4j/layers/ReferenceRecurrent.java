package org.rnn4j.layers;

import org.rnn4j.activations.Activation;
import org.rnn4j.tensor.Tensor;

/**
 * The plain reference path for the fused recurrent layers: Keras's cell equations written out
 * per sample, per step and per unit in double precision, reading only the layer's options and
 * weights. Tests compare the fused forward with it.
 */
final class ReferenceRecurrent {
    private ReferenceRecurrent() {
    }

    static double f(Activation a, double v) {
        float[] x = {(float) v};
        float[] y = new float[1];
        a.forward(x, y, 0, 1, 1);
        return y[0];
    }

    static Tensor forward(RecurrentLayer<?> layer, Tensor x, Mask mask) {
        return forward(layer, x, mask, null, null).get(0);
    }

    /**
     * With initial states {@code h0}/{@code c0} (null = zeros): returns {@code [output, h, c]}.
     * Keras's backend rnn: states carry over masked steps; the output there is the previous
     * output, which starts at zeros (not h0); {@code zeroOutputForMask} makes it zeros.
     */
    static java.util.List<Tensor> forward(RecurrentLayer<?> layer, Tensor x, Mask mask, Tensor h0, Tensor c0) {
        int b = x.dim(0);
        int t = x.dim(1);
        int f = x.dim(2);
        int h = layer.units();
        int g = layer.kernel().shape()[1] / h;
        float[] w = layer.kernel().value().data();
        float[] u = layer.recurrentKernel().value().data();
        float[] bias = layer.bias() == null ? null : layer.bias().value().data();
        boolean resetAfter = layer instanceof GRU gru && gru.resetAfter();
        Activation act = layer.activation();
        Activation rec = layer.recurrentActivationValue();
        float[] out = new float[layer.returnSequences() ? b * t * h : b * h];
        float[] hOut = new float[b * h];
        float[] cOut = new float[b * h];
        for (int r = 0; r < b; r++) {
            double[] hs = new double[h];
            double[] cs = new double[h];
            double[] prevOut = new double[h];
            for (int j = 0; j < h; j++) {
                hs[j] = h0 == null ? 0 : h0.data()[r * h + j];
                cs[j] = c0 == null ? 0 : c0.data()[r * h + j];
            }
            for (int s = 0; s < t; s++) {
                int tt = layer.goBackwards() ? t - 1 - s : s;
                boolean real = mask == null || mask.get(r, tt);
                if (real) {
                    double[] xw = new double[g * h];
                    double[] hu = new double[g * h];
                    for (int col = 0; col < g * h; col++) {
                        for (int k = 0; k < f; k++) {
                            xw[col] += x.data()[(r * t + tt) * f + k] * w[k * g * h + col];
                        }
                        for (int k = 0; k < h; k++) {
                            hu[col] += hs[k] * u[k * g * h + col];
                        }
                        if (bias != null) {
                            xw[col] += bias[col];
                            if (resetAfter) {
                                hu[col] += bias[g * h + col];
                            }
                        }
                    }
                    double[] nh = new double[h];
                    if (g == 1) {
                        for (int j = 0; j < h; j++) {
                            nh[j] = f(act, xw[j] + hu[j]);
                        }
                    } else if (g == 4) {
                        for (int j = 0; j < h; j++) {
                            double i = f(rec, xw[j] + hu[j]);
                            double fg = f(rec, xw[h + j] + hu[h + j]);
                            double cc = f(act, xw[2 * h + j] + hu[2 * h + j]);
                            double o = f(rec, xw[3 * h + j] + hu[3 * h + j]);
                            cs[j] = fg * cs[j] + i * cc;
                            nh[j] = o * f(act, cs[j]);
                        }
                    } else {
                        double[] rg = new double[h];
                        double[] zg = new double[h];
                        for (int j = 0; j < h; j++) {
                            zg[j] = f(rec, xw[j] + hu[j]);
                            rg[j] = f(rec, xw[h + j] + hu[h + j]);
                        }
                        for (int j = 0; j < h; j++) {
                            double cand;
                            if (resetAfter) {
                                cand = xw[2 * h + j] + rg[j] * hu[2 * h + j];
                            } else {
                                cand = xw[2 * h + j];
                                for (int k = 0; k < h; k++) {
                                    cand += rg[k] * hs[k] * u[k * g * h + 2 * h + j];
                                }
                            }
                            nh[j] = zg[j] * hs[j] + (1 - zg[j]) * f(act, cand);
                        }
                    }
                    hs = nh;
                    prevOut = nh.clone();
                }
                if (layer.returnSequences()) {
                    for (int j = 0; j < h; j++) {
                        boolean zero = !real && layer.zeroOutputForMask();
                        out[(r * t + s) * h + j] = zero ? 0f : (float) prevOut[j];
                    }
                }
            }
            for (int j = 0; j < h; j++) {
                if (!layer.returnSequences()) {
                    out[r * h + j] = (float) prevOut[j];
                }
                hOut[r * h + j] = (float) hs[j];
                cOut[r * h + j] = (float) cs[j];
            }
        }
        Tensor y = layer.returnSequences() ? Tensor.of(out, b, t, h) : Tensor.of(out, b, h);
        return java.util.List.of(y, Tensor.of(hOut, b, h), Tensor.of(cOut, b, h));
    }
}
