package org.rnn4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.rnn4j.activations.Activation;

/**
 * Vector API versions of the activations recurrent gates use (sigmoid, tanh, relu, linear), same
 * contract as {@link Activation}. exp and tanh come from the JDK's vector math (Intel SVML on
 * x86, about 1 ulp), so results agree with the scalar reference to a few float ulps.
 */
public final class VectorActivations {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorActivations() {
    }

    /** The vector version of {@code a}, or null when there is none. */
    public static Activation of(Activation a) {
        return switch (a.name()) {
            case "sigmoid" -> SIGMOID;
            case "tanh" -> TANH;
            case "relu" -> RELU;
            case "linear" -> LINEAR;
            default -> null;
        };
    }

    /** Base: vector body over whole vectors, the scalar formula for the tail. */
    private abstract static class Base implements Activation {
        private final String name;

        Base(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean derivativeFromOutput() {
            return true;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final Activation SIGMOID = new Base("sigmoid") {
        @Override
        public void forward(float[] x, float[] y, int off, int rows, int cols) {
            // Vector body over the whole range, scalar tail (the loop keeps exp inline: see VectorMath).
            VectorMath.sigmoidRows(1, 0, x, y, off, 0, rows * cols, false);
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, int off, int rows, int cols) {
            int end = off + rows * cols;
            int i = off;
            FloatVector one = FloatVector.broadcast(S, 1f);
            for (; i + L <= end; i += L) {
                FloatVector s = FloatVector.fromArray(S, y, i);
                FloatVector.fromArray(S, dy, i).mul(s.mul(one.sub(s))).intoArray(dx, i);
            }
            for (; i < end; i++) {
                dx[i] = dy[i] * (y[i] * (1f - y[i]));
            }
        }
    };

    static final Activation TANH = new Base("tanh") {
        @Override
        public void forward(float[] x, float[] y, int off, int rows, int cols) {
            VectorMath.tanhRows(1, 0, x, y, off, 0, rows * cols, false);
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, int off, int rows, int cols) {
            int end = off + rows * cols;
            int i = off;
            FloatVector one = FloatVector.broadcast(S, 1f);
            for (; i + L <= end; i += L) {
                FloatVector t = FloatVector.fromArray(S, y, i);
                FloatVector.fromArray(S, dy, i).mul(one.sub(t.mul(t))).intoArray(dx, i);
            }
            for (; i < end; i++) {
                dx[i] = dy[i] * (1f - y[i] * y[i]);
            }
        }
    };

    static final Activation RELU = new Base("relu") {
        @Override
        public void forward(float[] x, float[] y, int off, int rows, int cols) {
            int end = off + rows * cols;
            int i = off;
            FloatVector zero = FloatVector.zero(S);
            for (; i + L <= end; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                // compare+blend, not max: NaN maps to 0 exactly as the scalar x > 0 ? x : 0.
                zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
            }
            for (; i < end; i++) {
                y[i] = x[i] > 0f ? x[i] : 0f;
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, int off, int rows, int cols) {
            int end = off + rows * cols;
            int i = off;
            FloatVector zero = FloatVector.zero(S);
            for (; i + L <= end; i += L) {
                FloatVector g = FloatVector.fromArray(S, dy, i);
                // dy * 1 or dy * 0 (keeps the scalar's NaN/inf behaviour: inf * 0 = NaN).
                FloatVector one = FloatVector.broadcast(S, 1f);
                FloatVector d = zero.blend(one, FloatVector.fromArray(S, y, i).compare(VectorOperators.GT, 0f));
                g.mul(d).intoArray(dx, i);
            }
            for (; i < end; i++) {
                dx[i] = dy[i] * (y[i] > 0f ? 1f : 0f);
            }
        }
    };

    static final Activation LINEAR = new Base("linear") {
        @Override
        public void forward(float[] x, float[] y, int off, int rows, int cols) {
            if (x != y) {
                System.arraycopy(x, off, y, off, rows * cols);
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, int off, int rows, int cols) {
            if (dy != dx) {
                System.arraycopy(dy, off, dx, off, rows * cols);
            }
        }
    };
}
