package org.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.activations.Activation;
import org.rnn4j.activations.Activations;

/**
 * The fused LSTM step kernels against the unfused {@link RecurrentCells} path (the layer's
 * generic path) over several steps, on odd sizes, with and without padded rows: the scalar kernel
 * bit for bit, the vector kernel within float rounding of its exp/tanh.
 */
class LstmStepTest {
    private static final Activation TANH = Activations.get("tanh");
    private static final Activation SIGMOID = Activations.get("sigmoid");
    private static final int STEPS = 3;

    /** Buffers of one multi-step run (same layout as the LSTM layer; offsets not at 0). */
    private static final class Run {
        final int b;
        final int h;
        final int base = 7;  // odd leading offset so rows are not vector-aligned
        final float[] pre;
        final float[] gates;
        final float[] c;
        final float[] actC;
        final float[] hAll;
        final float[] dz;
        final float[] dc;
        final float[] dhPrev;
        final float[] dAct;
        final float[][] dhs;

        Run(int b, int h, long seed) {
            this.b = b;
            this.h = h;
            SplittableRandom r = new SplittableRandom(seed);
            pre = new float[base + STEPS * b * 4 * h];
            for (int i = 0; i < pre.length; i++) {
                pre[i] = (float) (r.nextGaussian() * 3);
            }
            gates = new float[pre.length];
            dz = new float[pre.length];
            c = new float[base + (STEPS + 1) * b * h];
            for (int i = 0; i < base + b * h; i++) {
                c[i] = (float) r.nextGaussian();  // a non-zero initial cell state
            }
            actC = new float[c.length];
            dAct = new float[c.length];
            hAll = new float[c.length];
            for (int i = 0; i < base + b * h; i++) {
                hAll[i] = (float) r.nextGaussian();
            }
            dc = new float[b * h];
            for (int i = 0; i < dc.length; i++) {
                dc[i] = (float) r.nextGaussian();
            }
            dhPrev = new float[b * h];
            dhs = new float[STEPS][b * h];
            for (float[] d : dhs) {
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) r.nextGaussian();
                }
            }
        }

        int gOff(int s) {
            return base + s * b * 4 * h;
        }

        int sOff(int s) {
            return base + s * b * h;
        }

        void run(LstmStep k, boolean[] mask) {
            for (int s = 0; s < STEPS; s++) {
                int gOff = gOff(s);
                int sOff = sOff(s);
                int nOff = sOff + b * h;
                if (k != null) {
                    k.forward(b, h, pre, gates, gOff, c, sOff, nOff, actC, hAll, sOff, nOff, mask, s * b);
                } else {
                    int gh = 4 * h;
                    RecurrentCells.activate(SIGMOID, b, gh, pre, gates, gOff, 0, 2 * h);
                    RecurrentCells.activate(TANH, b, gh, pre, gates, gOff, 2 * h, h);
                    RecurrentCells.activate(SIGMOID, b, gh, pre, gates, gOff, 3 * h, h);
                    RecurrentCells.lstmCarry(b, h, gates, gOff, c, sOff, nOff, mask, s * b);
                    TANH.forward(c, actC, nOff, b, h);
                    RecurrentCells.lstmOutput(b, h, gates, gOff, actC, nOff, hAll, sOff, nOff, mask, s * b);
                }
            }
            for (int s = STEPS - 1; s >= 0; s--) {
                int gOff = gOff(s);
                int sOff = sOff(s);
                int nOff = sOff + b * h;
                float[] dh = dhs[s].clone();
                if (k != null) {
                    k.backward(b, h, gates, gOff, c, sOff, nOff, actC, dh, dc, dz, dhPrev, mask, s * b);
                } else {
                    int gh = 4 * h;
                    RecurrentCells.lstmBackwardOutput(b, h, gates, gOff, actC, nOff, dh, dz, dAct, mask, s * b);
                    TANH.backward(c, actC, dAct, dAct, nOff, b, h);
                    RecurrentCells.lstmBackwardCell(b, h, gates, gOff, c, sOff, dAct, nOff, dc, dz, dh, dhPrev,
                            mask, s * b);
                    RecurrentCells.activateBackward(SIGMOID, b, gh, pre, gates, dz, gOff, 0, 2 * h);
                    RecurrentCells.activateBackward(TANH, b, gh, pre, gates, dz, gOff, 2 * h, h);
                    RecurrentCells.activateBackward(SIGMOID, b, gh, pre, gates, dz, gOff, 3 * h, h);
                }
                // dhPrev of step s feeds step s-1 (the recurrent matmul's part is the caller's).
                if (s > 0) {
                    for (int i = 0; i < dhPrev.length; i++) {
                        dhs[s - 1][i] += dhPrev[i];
                    }
                }
            }
        }
    }

    private static boolean[] mask(int b, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean[] m = new boolean[STEPS * b];
        for (int i = 0; i < m.length; i++) {
            m[i] = r.nextInt(3) != 0;
        }
        m[0] = false;  // at least one padded and one real row
        m[m.length - 1] = true;
        return m;
    }

    /**
     * Exact when {@code rel == 0}; else relative to each value plus a floor relative to the
     * array's largest value: a gate near saturation (f ~ 1) makes f(1-f) lose digits to
     * cancellation, so a 1-ulp difference in f is large relative to that one product.
     */
    private static void compare(String what, float[] want, float[] got, double rel) {
        double max = 0;
        for (float v : want) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            double tol = rel * (Math.abs(want[i]) + 0.1 * max);
            boolean ok = rel == 0 ? Float.floatToIntBits(want[i]) == Float.floatToIntBits(got[i])
                    : Math.abs((double) want[i] - got[i]) <= tol;
            if (!ok) {
                fail(what + "[" + i + "]: got " + got[i] + ", reference " + want[i]);
            }
        }
    }

    private static void check(LstmStep k, double rel) {
        for (int h : new int[] {1, 3, 17, 64}) {
            for (int b : new int[] {1, 5}) {
                for (boolean masked : new boolean[] {false, true}) {
                    long seed = 1000L * h + 10L * b + (masked ? 1 : 0);
                    boolean[] m = masked ? mask(b, seed) : null;
                    Run ref = new Run(b, h, seed);
                    Run got = new Run(b, h, seed);
                    ref.run(null, m);
                    got.run(k, m);
                    String w = "H=" + h + " B=" + b + (masked ? " masked " : " ");
                    compare(w + "gates", ref.gates, got.gates, rel);
                    compare(w + "c", ref.c, got.c, rel);
                    compare(w + "actC", ref.actC, got.actC, rel);
                    compare(w + "h", ref.hAll, got.hAll, rel);
                    compare(w + "dz", ref.dz, got.dz, rel);
                    compare(w + "dc", ref.dc, got.dc, rel);
                    compare(w + "dhPrev", ref.dhPrev, got.dhPrev, rel);
                }
            }
        }
    }

    @Test
    void scalarKernelIsBitIdenticalToTheUnfusedPath() {
        check(ScalarLstmStep.INSTANCE, 0);
    }

    @Test
    void vectorKernelMatchesTheScalarPathWithinRounding() {
        Activation vt = Kernels.activation(TANH);
        Activation vs = Kernels.activation(SIGMOID);
        LstmStep k = Kernels.lstmStep(vt, vs);
        assertNotNull(k);
        // Without the incubator module this is the scalar kernel again (still a valid check).
        check(k, 1e-5);
    }

    @Test
    void dispatchKeepsTheGenericPathForOtherActivations() {
        assertSame(ScalarLstmStep.INSTANCE, Kernels.lstmStep(TANH, SIGMOID));
        assertNull(Kernels.lstmStep(Activations.get("relu"), SIGMOID));
        assertNull(Kernels.lstmStep(TANH, Activations.get("hard_sigmoid")));
        assertNull(Kernels.lstmStep(SIGMOID, TANH));
    }
}
