package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.activations.Activations;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.kernels.LstmStep;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.PackedMatrix;
import org.rnn4j.kernels.RecurrentCells;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's LSTM: gates i, f, c, o in the kernel {@code (input_dim, 4*units)}, recurrent kernel
 * {@code (units, 4*units)} and bias {@code (4*units,)};
 * {@code c = f*c_prev + i*act(.)}, {@code h = o*act(c)}.
 */
public class LSTM extends RecurrentLayer<LSTM> {
    private boolean unitForgetBias = true;

    public LSTM(int units) {
        super(units);
    }

    protected LSTM(int units, String explicitName) {
        super(units, explicitName);
    }

    @Override
    protected LSTM newInstance(String name) {
        return new LSTM(units, name);
    }

    @Override
    protected void copyOptionsTo(LSTM other) {
        other.unitForgetBias = unitForgetBias;
    }

    public LSTM recurrentActivation(String name) {
        return recurrentActivation(Activations.get(name));
    }

    public LSTM recurrentActivation(Activation a) {
        setRecurrentActivation(a);
        return this;
    }

    public Activation recurrentActivation() {
        return recurrentActivationValue();
    }

    /** Keras's {@code unit_forget_bias} (default true): the forget block of the bias starts at 1. */
    public LSTM unitForgetBias(boolean value) {
        checkNotBuilt();
        this.unitForgetBias = value;
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
    protected Initializer effectiveBiasInitializer() {
        Initializer base = biasInitializer();
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

    @Override
    public int stateCount() {
        return 2;
    }

    @Override
    RecurrentRun newRun() {
        return new Run();
    }

    /** One call site's state: the loop buffers plus the cell state c and its gradients. */
    private final class Run extends RecurrentRun implements RecurrentInference.Cell, RecurrentRows.Cell {
        private float[] cAll = new float[0];  // [T+1, B, H] cell state; slot 0 = initial c
        private float[] actC = new float[0];  // [T+1, B, H] act(c), aligned with cAll
        private float[] dAct = new float[0];  // [T+1, B, H] gradient through act(c), aligned with cAll
        private float[] dc = new float[0];    // [B, H] gradient carried into c of the previous step
        // Fused gate kernel for the step activations it was resolved for (null: generic path).
        private LstmStep fused;
        private Activation fusedFor;
        private Activation fusedForRec;

        Run() {
            super(LSTM.this);
        }

        @Override
        protected void beginForward(Tensor[] initial) {
            int n = (steps + 1) * batch * units;
            cAll = ensure(cAll, n);
            actC = ensure(actC, n);
            dAct = ensure(dAct, n);
            dc = ensure(dc, batch * units);
            if (initial.length > 1 && initial[1] != null) {
                System.arraycopy(initial[1].data(), 0, cAll, 0, batch * units);
            } else {
                java.util.Arrays.fill(cAll, 0, batch * units, 0f);
            }
        }

        @Override
        protected void stepForward(int s) {
            int b = batch;
            int h = units;
            int gh = 4 * h;
            int gOff = s * b * gh;
            int sOff = s * b * h;
            int nOff = sOff + b * h;
            Activation act = stepActivation;
            Activation rec = stepRecurrentActivation;
            recurrentProject(s, 0, 4, pre, gOff, gh);
            LstmStep k = fusedKernel();
            if (k != null) {
                k.forward(b, h, pre, fusedGates(), gOff, cAll, sOff, nOff, actC, hAll, sOff, nOff, stepMask, s * b);
                return;
            }
            RecurrentCells.activate(rec, b, gh, pre, gates, gOff, 0, 2 * h);
            RecurrentCells.activate(act, b, gh, pre, gates, gOff, 2 * h, h);
            RecurrentCells.activate(rec, b, gh, pre, gates, gOff, 3 * h, h);
            RecurrentCells.lstmCarry(b, h, gates, gOff, cAll, sOff, nOff, stepMask, s * b);
            act.forward(cAll, actC, nOff, b, h);
            RecurrentCells.lstmOutput(b, h, gates, gOff, actC, nOff, hAll, sOff, nOff, stepMask, s * b);
        }

        @Override
        protected void beginBackward(Tensor[] stateGrads) {
            if (stateGrads.length > 1 && stateGrads[1] != null) {
                System.arraycopy(stateGrads[1].data(), 0, dc, 0, batch * units);
            } else {
                java.util.Arrays.fill(dc, 0, batch * units, 0f);
            }
        }

        @Override
        protected void stepBackward(int s) {
            int b = batch;
            int h = units;
            int gh = 4 * h;
            int gOff = s * b * gh;
            int sOff = s * b * h;
            int nOff = sOff + b * h;
            Activation act = stepActivation;
            Activation rec = stepRecurrentActivation;
            LstmStep k = fusedKernel();
            if (k != null) {
                k.backward(b, h, fusedGates(), gOff, cAll, sOff, nOff, actC, dh, dc, dz, dhPrev, stepMask, s * b);
                recurrentBackprop(dz, gOff, gh, 0, 4, dhPrev);
                return;
            }
            RecurrentCells.lstmBackwardOutput(b, h, gates, gOff, actC, nOff, dh, dz, dAct, stepMask, s * b);
            act.backward(cAll, actC, dAct, dAct, nOff, b, h);
            RecurrentCells.lstmBackwardCell(b, h, gates, gOff, cAll, sOff, dAct, nOff, dc, dz, dh, dhPrev, stepMask, s * b);
            RecurrentCells.activateBackward(rec, b, gh, pre, gates, dz, gOff, 0, 2 * h);
            RecurrentCells.activateBackward(act, b, gh, pre, gates, dz, gOff, 2 * h, h);
            RecurrentCells.activateBackward(rec, b, gh, pre, gates, dz, gOff, 3 * h, h);
            recurrentBackprop(dz, gOff, gh, 0, 4, dhPrev);
        }

        @Override
        protected RecurrentRows.Cell rowParallelCell() {
            return rowBlocksAllowed() && fusedKernel() != null ? this : null;
        }

        @Override
        protected float[] carriedCellGradient() {
            return dc;
        }

        private PackedMatrix rowsU;
        private PackedMatrix rowsUT;

        @Override
        public void prepareRows(boolean backward) {
            if (backward) {
                rowsUT = packedKernel(true, 0, 4);
            } else {
                rowsU = packedKernel(false, 0, 4);
            }
        }

        /** stepForward on rows r0.. (the fused path; offsets of row r0 in the [T, B, .] buffers). */
        @Override
        public void forwardRows(int s, int r0, int rows, MatMul mm) {
            int b = batch;
            int h = units;
            int gh = 4 * h;
            int gOff = (s * b + r0) * gh;
            int sOff = (s * b + r0) * h;
            int nOff = sOff + b * h;
            mm.gemm(false, rows, gh, h, hAll, sOff, h, rowsU, pre, gOff, gh, true);
            fused.forward(rows, h, pre, fusedGates(), gOff, cAll, sOff, nOff, actC, hAll, sOff, nOff, stepMask, s * b + r0);
        }

        @Override
        public void backwardRows(int s, int r0, int rows, MatMul mm, RecurrentRows.Block k) {
            int b = batch;
            int h = units;
            int gh = 4 * h;
            int gOff = (s * b + r0) * gh;
            int sOff = (s * b + r0) * h;
            int nOff = sOff + b * h;
            fused.backward(rows, h, fusedGates(), gOff, cAll, sOff, nOff, actC, k.dh, k.dc, dz, k.dhPrev, stepMask, s * b + r0);
            mm.gemm(false, rows, h, gh, dz, gOff, gh, rowsUT, k.dhPrev, 0, h, true);
        }

        // U packed for the current inference call (set on the caller's thread, read by the blocks).
        private PackedMatrix inferU;

        @Override
        protected RecurrentInference.Cell inferenceCell() {
            if (fusedKernel() == null) {
                return null;
            }
            inferU = packedU(0, 4);
            return this;
        }

        /** Rows r0.. of the batch over the whole sequence: the steps of stepForward on the block's buffers. */
        @Override
        public void runBlock(RecurrentInference in, RecurrentInference.Block k, int r0, int rows) {
            int h = units;
            int gh = 4 * h;
            int n = rows * h;
            // State slots [0, n) and [n, 2n) alternate as previous and new (the kernel reads one, writes the other).
            k.size(in.preFloats(rows), 0, 2 * n);
            in.initialState(0, k.h, 0, r0, rows);
            in.initialState(1, k.c, 0, r0, rows);
            MatMul mm = in.mm;
            LstmStep kernel = fused;
            float[] gateBuf = kernel.activatesInPlace(h) ? k.pre : k.gates;
            PackedMatrix u = inferU;
            in.beginProjections(k.pre, r0, rows);
            int cur = 0;
            for (int s = 0; s < in.steps; s++) {
                int next = n - cur;
                int g = in.projectStep(k.pre, s, r0, rows);
                mm.gemm(false, rows, gh, h, k.h, cur, h, u, k.pre, g, gh, true);
                kernel.forward(rows, h, k.pre, gateBuf, g, k.c, cur, next, k.act, k.h, cur, next, null, 0);
                in.emit(k.h, next, s, r0, rows);
                cur = next;
            }
            in.finish(0, k.h, cur, r0, rows);
            in.finish(1, k.c, cur, r0, rows);
        }

        @Override
        protected boolean keepsGatesApart() {
            return fusedKernel() == null || fusedGates() == gates;
        }

        /**
         * Where the fused kernel keeps the activated gates: over the pre-activations when it can
         * (half the gate traffic per step; the fused backward reads only the gates), else apart.
         */
        private float[] fusedGates() {
            return fused.activatesInPlace(units) ? pre : gates;
        }

        /** The fused gate kernel for the current step activations (re-resolved if a test hook changed them). */
        private LstmStep fusedKernel() {
            if (stepActivation != fusedFor || stepRecurrentActivation != fusedForRec) {
                fused = Kernels.lstmStep(stepActivation, stepRecurrentActivation);
                fusedFor = stepActivation;
                fusedForRec = stepRecurrentActivation;
            }
            return fused;
        }

        /** Final c of the last forward call. */
        @Override
        protected Tensor extraFinalState(int k) {
            return inferred ? inferredState(1) : lastState(cAll);
        }

        /** dc0: after the loop, dc holds the gradient carried into the initial c. */
        @Override
        protected Tensor extraInitialStateGradient(int k) {
            float[] v = new float[batch * units];
            System.arraycopy(dc, 0, v, 0, v.length);
            return Tensor.of(v, batch, units);
        }
    }

    @Override
    protected void putOwnOptions(Map<String, Object> c) {
        c.put("unit_forget_bias", unitForgetBias);
    }
}
