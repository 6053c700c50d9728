package org.rnn4j.layers.recurrent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * The custom cells of Keras's rnn_test.py written as a user would, against the public
 * {@link Cell} interface: OneStateRNNCell ({@code out = x K + prev R}, state [out}) and
 * TwoStatesRNNCell ({@code o1 = x K + s0 R1}, {@code o2 = x K + s0 R2} (Keras reads states[0]
 * twice), output o1 + o2, states [o1, o2]); weights start at ones, as there.
 */
final class KerasTestCells {
    private KerasTestCells() {
    }

    /** {@code c (m x n) (+)= a (m x k) . b (k x n)} with optional transposes of a or b. */
    static float[] mm(float[] a, boolean ta, float[] b, boolean tb, int m, int k, int n) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                }
                c[i * n + j] = (float) s;
            }
        }
        return c;
    }

    static void addInto(float[] dst, float[] v) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] += v[i];
        }
    }

    abstract static class Base implements Cell {
        final int units;
        final String name;
        final List<Variable> weights = new ArrayList<>();
        int inputDim;

        Base(int units, String name) {
            this.units = units;
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isBuilt() {
            return !weights.isEmpty();
        }

        @Override
        public List<Variable> weights() {
            return weights;
        }

        Variable ones(String n, int r, int c) {
            Variable v = new Variable(n, Tensor.full(1f, r, c));
            weights.add(v);
            return v;
        }

        @Override
        public Map<String, Object> config() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", name);
            c.put("units", units);
            return c;
        }

        /** The step inputs kept for backward. */
        static final class Saved {
            float[] x;
            float[] s0;
        }
    }

    static final class OneState extends Base {
        Variable kernel;
        Variable recurrent;

        OneState(int units) {
            super(units, "one_state_rnn_cell");
        }

        @Override
        public String className() {
            return "OneStateRNNCell";
        }

        @Override
        public int[] stateSizes() {
            return new int[] {units};
        }

        @Override
        public void build(int in, Rng rng) {
            inputDim = in;
            kernel = ones("kernel", in, units);
            recurrent = ones("recurrent_kernel", units, units);
        }

        @Override
        public Tensor[] forwardStep(Tensor x, Tensor[] states, boolean training, LayerContext ctx, int step) {
            int b = x.dim(0);
            Saved s = ctx.child(step).state(Saved::new);
            s.x = x.data().clone();
            s.s0 = states[0].data().clone();
            float[] out = mm(s.x, false, kernel.value().data(), false, b, inputDim, units);
            addInto(out, mm(s.s0, false, recurrent.value().data(), false, b, units, units));
            return new Tensor[] {Tensor.of(out, b, units), Tensor.of(out.clone(), b, units)};
        }

        @Override
        public Tensor[] backwardStep(Tensor dOut, Tensor[] dStates, LayerContext ctx, int step) {
            Saved s = ctx.child(step).existingState();
            int b = dOut.dim(0);
            float[] d = dOut.data().clone();
            addInto(d, dStates[0].data());
            addInto(kernel.grad().data(), mm(s.x, true, d, false, inputDim, b, units));
            addInto(recurrent.grad().data(), mm(s.s0, true, d, false, units, b, units));
            float[] dx = mm(d, false, kernel.value().data(), true, b, units, inputDim);
            float[] ds = mm(d, false, recurrent.value().data(), true, b, units, units);
            return new Tensor[] {Tensor.of(dx, b, inputDim), Tensor.of(ds, b, units)};
        }
    }

    static final class TwoStates extends Base {
        Variable kernel;
        Variable r1;
        Variable r2;

        TwoStates(int units) {
            super(units, "two_states_rnn_cell");
        }

        @Override
        public String className() {
            return "TwoStatesRNNCell";
        }

        @Override
        public int[] stateSizes() {
            return new int[] {units, units};
        }

        @Override
        public void build(int in, Rng rng) {
            inputDim = in;
            kernel = ones("kernel", in, units);
            r1 = ones("recurrent_kernel_1", units, units);
            r2 = ones("recurrent_kernel_2", units, units);
        }

        @Override
        public Tensor[] forwardStep(Tensor x, Tensor[] states, boolean training, LayerContext ctx, int step) {
            int b = x.dim(0);
            Saved s = ctx.child(step).state(Saved::new);
            s.x = x.data().clone();
            s.s0 = states[0].data().clone();
            float[] h = mm(s.x, false, kernel.value().data(), false, b, inputDim, units);
            float[] o1 = h.clone();
            addInto(o1, mm(s.s0, false, r1.value().data(), false, b, units, units));
            float[] o2 = h.clone();
            addInto(o2, mm(s.s0, false, r2.value().data(), false, b, units, units));
            float[] out = o1.clone();
            addInto(out, o2);
            return new Tensor[] {Tensor.of(out, b, units), Tensor.of(o1, b, units), Tensor.of(o2, b, units)};
        }

        @Override
        public Tensor[] backwardStep(Tensor dOut, Tensor[] dStates, LayerContext ctx, int step) {
            Saved s = ctx.child(step).existingState();
            int b = dOut.dim(0);
            float[] d1 = dOut.data().clone();
            addInto(d1, dStates[0].data());
            float[] d2 = dOut.data().clone();
            addInto(d2, dStates[1].data());
            float[] dh = d1.clone();
            addInto(dh, d2);
            addInto(kernel.grad().data(), mm(s.x, true, dh, false, inputDim, b, units));
            addInto(r1.grad().data(), mm(s.s0, true, d1, false, units, b, units));
            addInto(r2.grad().data(), mm(s.s0, true, d2, false, units, b, units));
            float[] dx = mm(dh, false, kernel.value().data(), true, b, units, inputDim);
            float[] ds0 = mm(d1, false, r1.value().data(), true, b, units, units);
            addInto(ds0, mm(d2, false, r2.value().data(), true, b, units, units));
            return new Tensor[] {Tensor.of(dx, b, inputDim), Tensor.of(ds0, b, units), Tensor.zeros(b, units)};
        }
    }
}
