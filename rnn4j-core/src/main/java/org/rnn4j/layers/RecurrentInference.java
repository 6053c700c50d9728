package org.rnn4j.layers;

import java.util.Arrays;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.PackedMatrix;
import org.rnn4j.tensor.Tensor;

/**
 * The inference path of a recurrent layer (a forward call with {@code training == false}, no
 * mask): the batch is cut into blocks of rows, and each block runs the whole sequence on its own
 * (input projection, recurrent matmul and fused gate kernel per step, on buffers of a few rows
 * that stay in L1/L2), so the blocks run in parallel on the kernel threads with no
 * synchronisation per step. Nothing of size {@code [T, B, G*H]} is made: the recorded path keeps
 * pre-activations and gates of every step for backward, which inference does not need, and at
 * batch 256 those buffers (12 MB each for W1) came from L3 at every step.
 *
 * <p>Results are bit for bit those of the recorded path, whatever the block size, the thread
 * count or which thread runs a block: every matmul computes each output row the same way for
 * any number of rows ({@link MatMul}'s partition rule), the gate kernels are per element, and
 * each block adds bias, input projection and recurrent product in the recorded path's order.
 *
 * <p>One instance per {@link RecurrentRun} (per layer context), reused from call to call; the
 * blocks' buffers are sized by the first call.
 */
final class RecurrentInference {
    /** A cell's step math over one block of rows (LSTM's and GRU's runs implement it). */
    interface Cell {
        /** Runs rows {@code [r0, r0 + rows)} over the whole sequence, using {@code blk}'s buffers. */
        void runBlock(RecurrentInference in, Block blk, int r0, int rows);
    }

    /** One block's buffers (owned by one part at a time; parts never share a block). */
    static final class Block {
        float[] pre = new float[0];
        float[] gates = new float[0];
        float[] aux = new float[0];
        float[] h = new float[0];
        float[] c = new float[0];
        float[] act = new float[0];

        /** Grows the buffers to at least these sizes (once; later calls of the same shape reuse them). */
        void size(int preN, int auxN, int stateN) {
            pre = RecurrentRun.ensure(pre, preN);
            gates = RecurrentRun.ensure(gates, preN);
            aux = RecurrentRun.ensure(aux, auxN);
            h = RecurrentRun.ensure(h, stateN);
            c = RecurrentRun.ensure(c, stateN);
            act = RecurrentRun.ensure(act, stateN);
        }
    }

    /** Most rows per block: bounds the block's buffers (pre + gates: 2 * rows * G*H floats). */
    static final int MAX_BLOCK_ROWS = 64;
    /** Fewest rows per block when the batch has them (see {@link #blockRows}). */
    static final int MIN_BLOCK_ROWS = 4;

    int batch;
    int steps;
    int features;
    int units;
    int gateCount;
    boolean backwards;
    boolean sequences;
    /** The single-threaded matmul the blocks use (the blocks are the parallelism). */
    MatMul mm;
    /** {@code [G*H]} bias of the input projection, as the recorded path's ({@code RecurrentSequenceMatmuls.project}). */
    float[] bias = new float[0];
    /** The input kernel W {@code [F, G*H]}, prepared once per call. */
    PackedMatrix w;
    private MatMul wBy;
    private float[] x;
    private final float[][] initial = new float[2][];
    /** {@code [B, T, H]} outputs in processing order (returnSequences), else unused. */
    float[] seq = new float[0];
    /** Final states {@code [B, H]}: h, then c (LSTM). */
    final float[][] last = {new float[0], new float[0]};
    private Block[] blocks = new Block[0];

    /**
     * Sets up a call: {@code initialStates[k]} is state k's {@code [B, H]} data or null (zeros).
     * {@code matmul} is the layer's (it runs the blocks); W is (re)packed here, on the caller.
     */
    void begin(RecurrentLoop layer, Tensor input, float[][] initialStates, MatMul matmul) {
        batch = input.dim(0);
        steps = input.dim(1);
        features = input.dim(2);
        units = layer.units;
        gateCount = layer.gateCount();
        backwards = layer.goBackwards();
        sequences = layer.returnSequences();
        x = input.data();
        mm = matmul.singleThreaded();
        int gh = gateCount * units;
        bias = RecurrentRun.ensure(bias, gh);
        float[] wd = layer.kernel.value().data();
        if (w == null || wBy != matmul) {
            w = matmul.pack(false, features, gh, wd, 0, gh);
            wBy = matmul;
        } else {
            w.repack(false, features, gh, wd, 0, gh);
        }
        for (int k = 0; k < initial.length; k++) {
            initial[k] = k < initialStates.length ? initialStates[k] : null;
        }
        int n = batch * units;
        if (sequences) {
            seq = RecurrentRun.ensure(seq, batch * steps * units);
        }
        last[0] = RecurrentRun.ensure(last[0], n);
        if (layer.stateCount() > 1) {
            last[1] = RecurrentRun.ensure(last[1], n);
        }
    }

    /** Runs every block of the call through {@code cell} on {@code matmul}'s threads. */
    void run(MatMul matmul, int threads, Cell cell) {
        int rows = blockRows(batch, threads);
        int parts = (batch + rows - 1) / rows;
        if (blocks.length < parts) {
            blocks = Arrays.copyOf(blocks, parts);
        }
        for (int q = 0; q < parts; q++) {
            if (blocks[q] == null) {
                blocks[q] = new Block();
            }
        }
        Block[] bs = blocks;
        int b = batch;
        matmul.forEachPart(parts, q -> {
            int r0 = q * rows;
            cell.runBlock(this, bs[q], r0, Math.min(rows, b - r0));
        });
        x = null;
        initial[0] = null;
        initial[1] = null;
    }

    /**
     * Rows per block for {@code batch} rows on {@code threads} threads: about two blocks per
     * thread (a thread the OS does not schedule leaves its blocks to the others), whole
     * micro-kernel tiles when blocks are large, at most {@link #MAX_BLOCK_ROWS}. Any choice gives
     * the same results; this one is for speed.
     */
    static int blockRows(int batch, int threads) {
        if (threads <= 1) {
            return Math.max(1, Math.min(batch, MAX_BLOCK_ROWS));
        }
        int rows = Math.max(1, (batch + 2 * threads - 1) / (2 * threads));
        // Rows of a block share each load of the kernels (Gemm's few-row path): blocks of fewer
        // than 4 rows cost as much per row as a lone sample (measured W1: 64 µs CPU per sample in
        // 1-row blocks, 29 in 4-row blocks), so small batches use fewer, fuller blocks.
        rows = Math.max(rows, Math.min(batch, MIN_BLOCK_ROWS));
        if (rows > 8) {
            rows = (rows + 7) / 8 * 8;
        }
        return Math.min(rows, MAX_BLOCK_ROWS);
    }

    /** Initial state {@code k} of rows {@code [r0, r0 + rows)} into {@code dst[off..]} (zeros when none). */
    void initialState(int k, float[] dst, int off, int r0, int rows) {
        int n = rows * units;
        if (initial[k] == null) {
            Arrays.fill(dst, off, off + n, 0f);
        } else {
            System.arraycopy(initial[k], r0 * units, dst, off, n);
        }
    }

    /**
     * {@code pre[rows, G*H] = bias + x(step s) . W} for rows {@code [r0, r0 + rows)}: x read in
     * place from the layer's {@code [B, T, F]} input (row stride {@code T*F}), as the recorded
     * path's one projection of all steps computes each of its rows.
     */
    private void project(float[] pre, int s, int r0, int rows) {
        int gh = gateCount * units;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(bias, 0, pre, r * gh, gh);
        }
        int tt = backwards ? steps - 1 - s : s;
        mm.gemm(false, rows, gh, features, x, (r0 * steps + tt) * features, steps * features, w, pre, 0, gh, true);
    }

    /** Most floats of a one-row block's projections of all steps ({@link #projectsAllSteps}): 1 MB. */
    static final int MAX_ALL_STEPS_FLOATS = 1 << 18;

    /**
     * Whether a block of {@code rows} rows projects all its steps at once ({@link #beginProjections}):
     * a lone row (batch-1 latency) does, when they fit; its per-step products of one row cost
     * more in calls than in arithmetic.
     */
    private boolean projectsAllSteps(int rows) {
        return rows == 1 && (long) steps * gateCount * units <= MAX_ALL_STEPS_FLOATS;
    }

    /** Floats of a block's pre-activation (and gate) buffers for {@code rows} rows. */
    int preFloats(int rows) {
        return (projectsAllSteps(rows) ? steps : 1) * rows * gateCount * units;
    }

    /**
     * Before a block's time loop: a lone row gets {@code pre[tt * G*H ..] = bias + x(time tt) . W}
     * for every time tt in one product of T rows (each row computed as in {@link #project}, so
     * the same bits); other blocks project step by step in {@link #projectStep}.
     */
    void beginProjections(float[] pre, int r0, int rows) {
        if (!projectsAllSteps(rows)) {
            return;
        }
        int gh = gateCount * units;
        for (int tt = 0; tt < steps; tt++) {
            System.arraycopy(bias, 0, pre, tt * gh, gh);
        }
        mm.gemm(false, steps, gh, features, x, r0 * steps * features, features, w, pre, 0, gh, true);
    }

    /**
     * Step {@code s}'s projection of the block's rows: computed now into {@code pre[0..]}, or
     * already there from {@link #beginProjections}. Returns its offset in {@code pre}.
     */
    int projectStep(float[] pre, int s, int r0, int rows) {
        if (projectsAllSteps(rows)) {
            return (backwards ? steps - 1 - s : s) * gateCount * units;
        }
        project(pre, s, r0, rows);
        return 0;
    }

    /** The block's h after step {@code s} ({@code h[off..]}) into the sequence output, when returned. */
    void emit(float[] h, int off, int s, int r0, int rows) {
        if (!sequences) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(h, off + r * units, seq, ((r0 + r) * steps + s) * units, units);
        }
    }

    /** The block's final state {@code k} ({@code src[off..]}) into {@link #last}. */
    void finish(int k, float[] src, int off, int r0, int rows) {
        System.arraycopy(src, off, last[k], r0 * units, rows * units);
    }
}
