package org.rnn4j.layers;

import java.util.Arrays;
import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.activations.Activations;
import org.rnn4j.kernels.GruStep;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.PackedMatrix;
import org.rnn4j.kernels.RecurrentCells;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's GRU: gates z, r, h; {@code h = z*h_prev + (1-z)*hh}. With {@code resetAfter} (the
 * Keras 3 default) {@code hh = act(x W_h + b_in_h + r*(h_prev U_h + b_rec_h))} and the bias is
 * {@code (2, 3*units)} (row 0 input, row 1 recurrent); without it
 * {@code hh = act(x W_h + (r*h_prev) U_h + b_h)} and the bias is {@code (3*units,)}.
 */
public class GRU extends RecurrentLayer<GRU> {
    private boolean resetAfter = true;

    public GRU(int units) {
        super(units);
    }

    protected GRU(int units, String explicitName) {
        super(units, explicitName);
    }

    @Override
    protected GRU newInstance(String name) {
        return new GRU(units, name);
    }

    @Override
    protected void copyOptionsTo(GRU other) {
        other.resetAfter = resetAfter;
    }

    public GRU recurrentActivation(String name) {
        return recurrentActivation(Activations.get(name));
    }

    public GRU recurrentActivation(Activation a) {
        setRecurrentActivation(a);
        return this;
    }

    public Activation recurrentActivation() {
        return recurrentActivationValue();
    }

    /** Keras's {@code reset_after} (default true): apply the reset gate after the recurrent matmul. */
    public GRU resetAfter(boolean value) {
        checkNotBuilt();
        this.resetAfter = value;
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
    RecurrentRun newRun() {
        return new Run();
    }

    /** One call site's state: the loop buffers plus the candidate's recurrent part. */
    private final class Run extends RecurrentRun implements RecurrentInference.Cell, RecurrentRows.Cell {
        private float[] recH = new float[0];  // [T, B, H] h_prev U_h + b_rec_h (resetAfter)
        private float[] rh = new float[0];    // [T, B, H] r * h_prev (not resetAfter)
        private float[] dRecH = new float[0]; // [T, B, H] gradient of recH
        // Fused gate kernel (reset_after=True) for the step activations it was resolved for (null: generic path).
        private GruStep fused;
        private Activation fusedFor;
        private Activation fusedForRec;
        private float[] dRh = new float[0];   // [B, H] gradient of r * h_prev at one step
        private float[] dHm = new float[0];   // [B, H] gradient of the dropout-masked h_prev

        Run() {
            super(GRU.this);
        }

        /** resetAfter: the input bias plus the recurrent bias of z and r (constant over steps). */
        @Override
        protected void inputBias(float[] dst) {
            super.inputBias(dst);
            if (resetAfter && useBias()) {
                float[] b = bias.value().data();
                int gh = 3 * units;
                for (int j = 0; j < 2 * units; j++) {
                    dst[j] += b[gh + j];
                }
            }
        }

        @Override
        protected void beginForward(Tensor[] initial) {
            int n = steps * batch * units;
            if (resetAfter) {
                recH = ensure(recH, n);
                dRecH = ensure(dRecH, n);
            } else {
                rh = ensure(rh, n);
                dRh = ensure(dRh, batch * units);
            }
            dHm = ensure(dHm, batch * units);
        }

        @Override
        protected RecurrentRows.Cell rowParallelCell() {
            return resetAfter && rowBlocksAllowed() && fusedKernel() != null ? this : null;
        }

        private PackedMatrix rowsUzr;
        private PackedMatrix rowsUh;
        private PackedMatrix rowsUTzr;
        private PackedMatrix rowsUTh;

        @Override
        public void prepareRows(boolean backward) {
            if (backward) {
                rowsUTzr = packedKernel(true, 0, 2);
                rowsUTh = packedKernel(true, 2, 3);
            } else {
                rowsUzr = packedKernel(false, 0, 2);
                rowsUh = packedKernel(false, 2, 3);
            }
        }

        /** stepForward on rows r0.. (the fused path; offsets of row r0 in the [T, B, .] buffers). */
        @Override
        public void forwardRows(int s, int r0, int rows, MatMul mm) {
            int b = batch;
            int h = units;
            int gh = 3 * h;
            int gOff = (s * b + r0) * gh;
            int sOff = (s * b + r0) * h;
            mm.gemm(false, rows, 2 * h, h, hAll, sOff, h, rowsUzr, pre, gOff, gh, true);
            if (useBias()) {
                float[] bv = bias.value().data();
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(bv, gh + 2 * h, recH, sOff + r * h, h);
                }
            } else {
                Arrays.fill(recH, sOff, sOff + rows * h, 0f);
            }
            mm.gemm(false, rows, h, h, hAll, sOff, h, rowsUh, recH, sOff, h, true);
            fused.forward(rows, h, pre, fusedGates(), gOff, recH, sOff, hAll, sOff, sOff + b * h, stepMask, s * b + r0);
        }

        @Override
        public void backwardRows(int s, int r0, int rows, MatMul mm, RecurrentRows.Block k) {
            int b = batch;
            int h = units;
            int gh = 3 * h;
            int gOff = (s * b + r0) * gh;
            int sOff = (s * b + r0) * h;
            fused.backward(rows, h, fusedGates(), gOff, recH, sOff, hAll, sOff, k.dh, dz, dRecH, k.dhPrev, stepMask, s * b + r0);
            mm.gemm(false, rows, h, h, dRecH, sOff, h, rowsUTh, k.dhPrev, 0, h, true);
            mm.gemm(false, rows, h, 2 * h, dz, gOff, gh, rowsUTzr, k.dhPrev, 0, h, true);
        }

        // U's z|r and h blocks packed for the current inference call (set on the caller's thread).
        private PackedMatrix inferUzr;
        private PackedMatrix inferUh;

        @Override
        protected RecurrentInference.Cell inferenceCell() {
            if (!resetAfter || fusedKernel() == null) {
                return null;
            }
            inferUzr = packedU(0, 2);
            inferUh = packedU(2, 3);
            return this;
        }

        /** Rows r0.. of the batch over the whole sequence: the steps of stepForward on the block's buffers. */
        @Override
        public void runBlock(RecurrentInference in, RecurrentInference.Block k, int r0, int rows) {
            int h = units;
            int gh = 3 * h;
            int n = rows * h;
            // h slots [0, n) and [n, 2n) alternate as previous and new; aux holds recH.
            k.size(in.preFloats(rows), n, 2 * n);
            in.initialState(0, k.h, 0, r0, rows);
            MatMul mm = in.mm;
            GruStep kernel = fused;
            float[] gateBuf = kernel.activatesInPlace(h) ? k.pre : k.gates;
            float[] bv = useBias() ? bias.value().data() : null;
            in.beginProjections(k.pre, r0, rows);
            int cur = 0;
            for (int s = 0; s < in.steps; s++) {
                int next = n - cur;
                int g = in.projectStep(k.pre, s, r0, rows);
                mm.gemm(false, rows, 2 * h, h, k.h, cur, h, inferUzr, k.pre, g, gh, true);
                for (int r = 0; r < rows; r++) {
                    if (bv != null) {
                        System.arraycopy(bv, gh + 2 * h, k.aux, r * h, h);
                    } else {
                        Arrays.fill(k.aux, r * h, (r + 1) * h, 0f);
                    }
                }
                mm.gemm(false, rows, h, h, k.h, cur, h, inferUh, k.aux, 0, h, true);
                kernel.forward(rows, h, k.pre, gateBuf, g, k.aux, 0, k.h, cur, next, null, 0);
                in.emit(k.h, next, s, r0, rows);
                cur = next;
            }
            in.finish(0, k.h, cur, r0, rows);
        }

        @Override
        protected boolean keepsGatesApart() {
            return !resetAfter || fusedKernel() == null || fusedGates() == gates;
        }

        /**
         * Where the fused kernel keeps the activated gates: over the pre-activations when it can
         * (the fused backward reads only the gates, recH and h), else apart.
         */
        private float[] fusedGates() {
            return fused.activatesInPlace(units) ? pre : gates;
        }

        /** The fused gate kernel for the current step activations (re-resolved if a test hook changed them). */
        private GruStep fusedKernel() {
            if (stepActivation != fusedFor || stepRecurrentActivation != fusedForRec) {
                fused = Kernels.gruStep(stepActivation, stepRecurrentActivation);
                fusedFor = stepActivation;
                fusedForRec = stepRecurrentActivation;
            }
            return fused;
        }

        @Override
        protected void stepForward(int s) {
            int b = batch;
            int h = units;
            int gh = 3 * h;
            int gOff = s * b * gh;
            int sOff = s * b * h;
            Activation act = stepActivation;
            Activation rec = stepRecurrentActivation;
            recurrentProject(s, 0, 2, pre, gOff, gh);
            GruStep k = resetAfter ? fusedKernel() : null;
            if (k == null) {
                RecurrentCells.activate(rec, b, gh, pre, gates, gOff, 0, 2 * h);
            }
            if (resetAfter) {
                if (useBias()) {
                    float[] bv = useBias() ? bias.value().data() : null;
                    for (int r = 0; r < b; r++) {
                        System.arraycopy(bv, gh + 2 * h, recH, sOff + r * h, h);
                    }
                } else {
                    Arrays.fill(recH, sOff, sOff + b * h, 0f);
                }
                recurrentProject(s, 2, 3, recH, sOff, h);
                if (k != null) {
                    k.forward(b, h, pre, fusedGates(), gOff, recH, sOff, hAll, sOff, sOff + b * h, stepMask, s * b);
                    return;
                }
                RecurrentCells.gruResetAfter(b, h, pre, gates, gOff, recH, sOff);
            } else {
                float[] hp = stateForGate(s, 2);
                RecurrentCells.gruResetBefore(b, h, gates, gOff, hp, stateOffset(s), rh, sOff);
                matmul.gemm(false, false, b, h, h, rh, sOff, h, recurrentKernel.value().data(), 2 * h, gh,
                        pre, gOff + 2 * h, gh, true);
            }
            RecurrentCells.activate(act, b, gh, pre, gates, gOff, 2 * h, h);
            RecurrentCells.gruOutput(b, h, gates, gOff, hAll, sOff, sOff + b * h, stepMask, s * b);
        }

        @Override
        protected void stepBackward(int s) {
            int b = batch;
            int h = units;
            int gh = 3 * h;
            int gOff = s * b * gh;
            int sOff = s * b * h;
            Activation act = stepActivation;
            Activation rec = stepRecurrentActivation;
            GruStep k = resetAfter ? fusedKernel() : null;
            if (k != null) {
                k.backward(b, h, fusedGates(), gOff, recH, sOff, hAll, sOff, dh, dz, dRecH, dhPrev, stepMask, s * b);
                recurrentBackprop(dRecH, sOff, h, 2, 3, dhPrev);
                recurrentBackprop(dz, gOff, gh, 0, 2, dhPrev);
                return;
            }
            RecurrentCells.gruBackwardOutput(b, h, gates, gOff, hAll, sOff, dh, dz, dhPrev, stepMask, s * b);
            RecurrentCells.activateBackward(act, b, gh, pre, gates, dz, gOff, 2 * h, h);
            if (resetAfter) {
                RecurrentCells.gruBackwardResetAfter(b, h, gates, gOff, recH, sOff, dz, dRecH, sOff);
                recurrentBackprop(dRecH, sOff, h, 2, 3, dhPrev);
            } else {
                matmul.gemm(false, false, b, h, h, dz, gOff + 2 * h, gh, recurrentKernelT, 2 * h * h, h,
                        dRh, 0, h, false);
                float[] hp = stateForGate(s, 2);
                if (recurrentMasks == null) {
                    RecurrentCells.gruBackwardResetBefore(b, h, gates, gOff, hp, sOff, dRh, dz, dhPrev);
                } else {
                    Arrays.fill(dHm, 0, b * h, 0f);
                    RecurrentCells.gruBackwardResetBefore(b, h, gates, gOff, hp, 0, dRh, dz, dHm);
                    addMasked(dhPrev, dHm, recurrentMasks[2], b * h);
                }
            }
            RecurrentCells.activateBackward(rec, b, gh, pre, gates, dz, gOff, 0, 2 * h);
            recurrentBackprop(dz, gOff, gh, 0, 2, dhPrev);
        }

        @Override
        protected void recurrentGradients() {
            int gh = 3 * units;
            recurrentKernelGradient(hAll, true, dz, 0, gh, 0, 2);
            if (resetAfter) {
                recurrentKernelGradient(hAll, true, dRecH, 0, units, 2, 3);
            } else {
                // rh already holds the dropout-masked h_prev times r.
                recurrentKernelGradient(rh, false, dz, 2 * units, gh, 2, 3);
            }
        }

        @Override
        protected void biasGradients() {
            int gh = 3 * units;
            float[] db = bias.grad().data();
            columnSums(dz, 0, gh, gh, db, 0);
            if (resetAfter) {
                columnSums(dz, 0, gh, 2 * units, db, gh);
                columnSums(dRecH, 0, units, units, db, gh + 2 * units);
            }
        }

    }

    @Override
    protected void putTrailingOptions(Map<String, Object> c) {
        c.put("reset_after", resetAfter);
        super.putTrailingOptions(c);
    }
}
