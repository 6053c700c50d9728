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
 * The fused GRU (reset_after=True) step kernels against the unfused {@link RecurrentCells} path
 * over several steps, on odd sizes, with and without padded rows: the scalar kernel exactly
 * (zeros of either sign are equal), the vector kernel within float rounding of its exp/tanh.
 */
class GruStepTest {
    private static final Activation TANH = Activations.get("tanh");
    private static final Activation SIGMOID = Activations.get("sigmoid");
    private static final int STEPS = 3;

    /** Buffers of one multi-step run (layout of the GRU layer; offsets not at 0). */
    private static final class Run {
        final int b;
        final int h;
        final int base = 5;  // odd leading offset so rows are not vector-aligned
        final float[] pre;
        final float[] gates;
        final float[] dz;
        final float[] recH;   // stands for h_prev U_h + b (the matmul's output), random here
        final float[] dRecH;
        final float[] hAll;
        final float[] dhPrev;
        final float[][] dhs;

        Run(int b, int h, long seed) {
            this.b = b;
            this.h = h;
            SplittableRandom r = new SplittableRandom(seed);
            pre = new float[base + STEPS * b * 3 * h];
            for (int i = 0; i < pre.length; i++) {
                pre[i] = (float) (r.nextGaussian() * 3);
            }
            gates = new float[pre.length];
            dz = new float[pre.length];
            recH = new float[base + STEPS * b * h];
            for (int i = 0; i < recH.length; i++) {
                recH[i] = (float) r.nextGaussian();
            }
            dRecH = new float[recH.length];
            hAll = new float[base + (STEPS + 1) * b * h];
            for (int i = 0; i < base + b * h; i++) {
                hAll[i] = (float) r.nextGaussian();
            }
            dhPrev = new float[b * h];
            dhs = new float[STEPS][b * h];
            for (float[] d : dhs) {
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) r.nextGaussian();
                }
            }
        }

        void run(GruStep k, boolean[] mask) {
            int gh = 3 * h;
            for (int s = 0; s < STEPS; s++) {
                int gOff = base + s * b * gh;
                int sOff = base + s * b * h;
                int rOff = sOff;
                if (k != null) {
                    k.forward(b, h, pre, gates, gOff, recH, rOff, hAll, sOff, sOff + b * h, mask, s * b);
                } else {
                    RecurrentCells.activate(SIGMOID, b, gh, pre, gates, gOff, 0, 2 * h);
                    RecurrentCells.gruResetAfter(b, h, pre, gates, gOff, recH, rOff);
                    RecurrentCells.activate(TANH, b, gh, pre, gates, gOff, 2 * h, h);
                    RecurrentCells.gruOutput(b, h, gates, gOff, hAll, sOff, sOff + b * h, mask, s * b);
                }
            }
            for (int s = STEPS - 1; s >= 0; s--) {
                int gOff = base + s * b * gh;
                int sOff = base + s * b * h;
                float[] dh = dhs[s].clone();
                if (k != null) {
                    k.backward(b, h, gates, gOff, recH, sOff, hAll, sOff, dh, dz, dRecH, dhPrev, mask, s * b);
                } else {
                    RecurrentCells.gruBackwardOutput(b, h, gates, gOff, hAll, sOff, dh, dz, dhPrev, mask, s * b);
                    RecurrentCells.activateBackward(TANH, b, gh, pre, gates, dz, gOff, 2 * h, h);
                    RecurrentCells.gruBackwardResetAfter(b, h, gates, gOff, recH, sOff, dz, dRecH, sOff);
                    RecurrentCells.activateBackward(SIGMOID, b, gh, pre, gates, dz, gOff, 0, 2 * h);
                }
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

    /** Exact ({@code ==}) when {@code rel == 0}; else relative plus a floor relative to the array's largest value. */
    private static void compare(String what, float[] want, float[] got, double rel) {
        double max = 0;
        for (float v : want) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            double tol = rel * (Math.abs(want[i]) + 0.1 * max);
            boolean ok = rel == 0 ? want[i] == got[i] : Math.abs((double) want[i] - got[i]) <= tol;
            if (!ok) {
                fail(what + "[" + i + "]: got " + got[i] + ", reference " + want[i]);
            }
        }
    }

    private static void check(GruStep k, double rel) {
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
                    compare(w + "pre", ref.pre, got.pre, rel);
                    compare(w + "gates", ref.gates, got.gates, rel);
                    compare(w + "h", ref.hAll, got.hAll, rel);
                    compare(w + "dz", ref.dz, got.dz, rel);
                    compare(w + "dRecH", ref.dRecH, got.dRecH, rel);
                    compare(w + "dhPrev", ref.dhPrev, got.dhPrev, rel);
                }
            }
        }
    }

    @Test
    void scalarKernelEqualsTheUnfusedPath() {
        check(ScalarGruStep.INSTANCE, 0);
    }

    @Test
    void vectorKernelMatchesTheScalarPathWithinRounding() {
        GruStep k = Kernels.gruStep(Kernels.activation(TANH), Kernels.activation(SIGMOID));
        assertNotNull(k);
        // Without the incubator module this is the scalar kernel again (still a valid check).
        check(k, 1e-5);
    }

    @Test
    void dispatchKeepsTheGenericPathForOtherActivations() {
        assertSame(ScalarGruStep.INSTANCE, Kernels.gruStep(TANH, SIGMOID));
        assertNull(Kernels.gruStep(Activations.get("relu"), SIGMOID));
        assertNull(Kernels.gruStep(TANH, Activations.get("hard_sigmoid")));
    }
}
