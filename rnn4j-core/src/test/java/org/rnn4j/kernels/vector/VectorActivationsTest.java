package org.rnn4j.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.activations.Activation;
import org.rnn4j.activations.Activations;
import org.rnn4j.kernels.Kernels;

/** The vector activations against the scalar reference of {@link Activations}. */
class VectorActivationsTest {
    private static final String[] NAMES = {"sigmoid", "tanh", "relu", "linear"};

    private static float[] inputs(long seed, int size, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        // Exact edge values, wherever they land in vector or tail positions.
        float[] edges = {0f, -0f, 1e-8f, -1e-8f, 88f, -88f, 104f, -104f, 20f, -20f, 9f, -9f};
        for (int i = 0; i < Math.min(size, edges.length); i++) {
            x[(int) ((i * 7L) % size)] = edges[i];
        }
        return x;
    }

    private static void assertClose(String what, float want, float got) {
        double tol = 2e-6 * Math.abs(want) + 1e-37;
        if (!(Math.abs((double) want - got) <= tol) && !(Float.isNaN(want) && Float.isNaN(got))) {
            fail(what + ": vector " + got + ", scalar " + want);
        }
    }

    @Test
    void forwardAndBackwardMatchScalarOnOddSizesAndOffsets() {
        long seed = 1;
        for (String name : NAMES) {
            Activation scalar = Activations.get(name);
            Activation vector = VectorActivations.of(scalar);
            for (int cols : new int[] {1, 3, 15, 16, 17, 33, 65}) {
                for (int rows : new int[] {1, 3}) {
                    for (double scale : new double[] {1, 12}) {
                        int off = (int) (seed % 5);
                        int size = off + rows * cols + 2;
                        float[] x = inputs(seed++, size, scale);
                        float[] want = new float[size];
                        float[] got = new float[size];
                        scalar.forward(x, want, off, rows, cols);
                        vector.forward(x, got, off, rows, cols);
                        for (int i = 0; i < size; i++) {
                            assertClose(name + " forward x=" + x[i] + " at " + i, want[i], got[i]);
                        }
                        float[] dy = inputs(seed++, size, 1);
                        float[] dWant = new float[size];
                        float[] dGot = new float[size];
                        scalar.backward(x, want, dy, dWant, off, rows, cols);
                        vector.backward(x, want, dy, dGot, off, rows, cols);
                        for (int i = 0; i < size; i++) {
                            assertClose(name + " backward at " + i, dWant[i], dGot[i]);
                        }
                    }
                }
            }
        }
    }

    /**
     * The same comparison after enough calls for the JIT to compile the vector code (where exp and
     * tanh become the platform's vector math routines, not the interpreter's per-lane Math calls).
     * Checked on every call, so it holds whichever tier ran.
     */
    @Test
    void matchesScalarAlsoOnceCompiled() {
        for (String name : new String[] {"sigmoid", "tanh"}) {
            Activation scalar = Activations.get(name);
            Activation vector = VectorActivations.of(scalar);
            float[] x = inputs(99, 1024, 12);
            float[] want = new float[1024];
            float[] got = new float[1024];
            scalar.forward(x, want, 0, 1, 1024);
            for (int call = 0; call < 3000; call++) {
                vector.forward(x, got, 0, 1, 1024);
                for (int i = 0; i < 1024; i++) {
                    double tol = 2e-6 * Math.abs(want[i]) + 1e-37;
                    if (!(Math.abs((double) want[i] - got[i]) <= tol)) {
                        fail(name + " call " + call + " x=" + x[i] + ": vector " + got[i] + ", scalar " + want[i]);
                    }
                }
            }
        }
    }

    @Test
    void inPlaceForwardAndBackward() {
        for (String name : NAMES) {
            Activation scalar = Activations.get(name);
            Activation vector = VectorActivations.of(scalar);
            float[] x = inputs(7, 40, 5);
            float[] want = x.clone();
            float[] got = x.clone();
            scalar.forward(want, want, 0, 1, 40);
            vector.forward(got, got, 0, 1, 40);
            for (int i = 0; i < 40; i++) {
                assertClose(name + " in place at " + i, want[i], got[i]);
            }
            float[] dWant = inputs(8, 40, 1);
            float[] dGot = dWant.clone();
            scalar.backward(x, want, dWant, dWant, 0, 1, 40);
            vector.backward(x, want, dGot, dGot, 0, 1, 40);
            for (int i = 0; i < 40; i++) {
                assertClose(name + " backward in place at " + i, dWant[i], dGot[i]);
            }
        }
    }

    @Test
    void reluMapsNanToZeroLikeTheScalar() {
        float[] x = new float[20];
        x[3] = Float.NaN;
        x[18] = Float.NaN;
        float[] y = new float[20];
        VectorActivations.of(Activations.get("relu")).forward(x, y, 0, 1, 20);
        assertEquals(0f, y[3]);
        assertEquals(0f, y[18]);
    }

    @Test
    void dispatch() {
        assertSame(VectorActivations.SIGMOID, Kernels.activation(Activations.get("sigmoid")));
        Activation elu = Activations.get("elu");
        assertSame(elu, Kernels.activation(elu));
        assertNull(VectorActivations.of(Activations.get("softmax")));
    }
}
