package org.rnn4j.layers;

import java.util.Arrays;
import org.rnn4j.kernels.MatMul;

/**
 * The recorded (training) time loops of {@link RecurrentRun} in independent blocks of batch
 * rows, one per kernel thread: BPTT of a row depends on that row only, so each block runs all its
 * steps, forward or backward, with no synchronisation per step (the per-step matmuls of W1, 1 M
 * multiply-adds, are too small to split between threads profitably; a block of rows is not). The
 * whole-sequence matmuls (input projection, weight gradients) stay outside, on all threads.
 *
 * <p>Same bits as the single loop for any number of blocks: the matmuls compute each row the same
 * way for any row count, the gate kernels are per row, and each block's rows of dh, dhPrev and dc
 * live in buffers of its own.
 */
final class RecurrentRows {
    /** A cell's step on a block of rows (LSTM's and GRU's recorded runs implement it). */
    interface Cell {
        /** Packs on the caller's thread what the blocks read (U for forward, U^T for backward). */
        void prepareRows(boolean backward);

        /** Forward step {@code s} of rows {@code [r0, r0 + rows)}. */
        void forwardRows(int s, int r0, int rows, MatMul mm);

        /**
         * Backward step {@code s} of rows {@code [r0, r0 + rows)}: from {@code b.dh} (and
         * {@code b.dc}) to the gate gradients and {@code b.dhPrev}, rows at 0 of the block buffers.
         */
        void backwardRows(int s, int r0, int rows, MatMul mm, Block b);
    }

    /** One block's backward buffers ({@code [rows, H]}, row r0 at 0). */
    static final class Block {
        float[] dh = new float[0];
        float[] dhPrev = new float[0];
        float[] dc = new float[0];
    }

    /** Fewest rows per block: below, the per-step matmuls lose more than a second thread gains. */
    static final int MIN_ROWS = 16;

    private Block[] blocks = new Block[0];

    /**
     * Largest recurrent kernel (floats of U) for row blocks: each block streams all of U at every
     * step, so a U beyond L2 is read from L3 once per block instead of once per step (the per-step
     * matmul split by columns between the threads reads each half of U once). A precaution taken
     * when W3 (U = 512 x 2048, 4 MB) trained at 556 ms per step instead of 372 with row blocks and
     * the then unchunked gate loops together; their shares were not measured apart.
     */
    static final long MAX_KERNEL_FLOATS = 1L << 18;

    /** Blocks for {@code batch} rows and a U of {@code kernelFloats} on {@code matmul}'s threads (1 = the plain loop). */
    static int parts(MatMul matmul, int batch, long kernelFloats) {
        if (kernelFloats > MAX_KERNEL_FLOATS) {
            return 1;
        }
        return Math.max(1, Math.min(matmul.threads(), batch / MIN_ROWS));
    }

    private static int start(int batch, int parts, int q) {
        return (int) ((long) batch * q / parts);
    }

    void forward(RecurrentRun run, Cell cell, int parts) {
        cell.prepareRows(false);
        int b = run.batch;
        int t = run.steps;
        MatMul mm = run.layer.matmul;
        MatMul solo = mm.singleThreaded();
        mm.forEachPart(parts, q -> {
            int r0 = start(b, parts, q);
            int rows = start(b, parts, q + 1) - r0;
            for (int s = 0; s < t; s++) {
                cell.forwardRows(s, r0, rows, solo);
            }
        });
    }

    /**
     * The backward loop: {@code run.dh} (and LSTM's {@code dc}, given as {@code dcAll}, or null)
     * hold the final states' gradients on entry and the initial states' on return.
     */
    void backward(RecurrentRun run, Cell cell, float[] g, int parts) {
        cell.prepareRows(true);
        int b = run.batch;
        int t = run.steps;
        int h = run.units;
        float[] dcAll = run.carriedCellGradient();
        if (blocks.length < parts) {
            blocks = Arrays.copyOf(blocks, parts);
        }
        for (int q = 0; q < parts; q++) {
            if (blocks[q] == null) {
                blocks[q] = new Block();
            }
        }
        Block[] bs = blocks;
        MatMul mm = run.layer.matmul;
        MatMul solo = mm.singleThreaded();
        mm.forEachPart(parts, q -> {
            int r0 = start(b, parts, q);
            int rows = start(b, parts, q + 1) - r0;
            int n = rows * h;
            Block k = bs[q];
            k.dh = RecurrentRun.ensure(k.dh, n);
            k.dhPrev = RecurrentRun.ensure(k.dhPrev, n);
            System.arraycopy(run.dh, r0 * h, k.dh, 0, n);
            if (dcAll != null) {
                k.dc = RecurrentRun.ensure(k.dc, n);
                System.arraycopy(dcAll, r0 * h, k.dc, 0, n);
            }
            for (int s = t - 1; s >= 0; s--) {
                run.addOutputGradient(g, s, r0, rows, k.dh);
                cell.backwardRows(s, r0, rows, solo, k);
                float[] tmp = k.dh;
                k.dh = k.dhPrev;
                k.dhPrev = tmp;
            }
            System.arraycopy(k.dh, 0, run.dh, r0 * h, n);
            if (dcAll != null) {
                System.arraycopy(k.dc, 0, dcAll, r0 * h, n);
            }
        });
    }
}
