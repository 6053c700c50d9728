package org.rnn4j.kernels;

import java.util.function.IntConsumer;

/**
 * Row-major single-precision matrix multiply: {@code C[m,n] = op(A)[m,k] * op(B)[k,n]}, or
 * {@code C += ...} when {@code accumulate}. {@code op(X)} is X or its transpose; leading
 * dimensions are the row strides of the stored (untransposed) arrays.
 */
public interface MatMul {
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc,
              boolean accumulate);

    /** {@code C[m,n] (+)= A[m,k] * B[k,n]} with dense strides. */
    default void gemm(int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        gemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, accumulate);
    }

    /**
     * Prepares {@code op(B)[k, n]} (same conventions as {@link #gemm}) for many calls with
     * {@link #gemm(boolean, int, int, int, float[], int, int, PackedMatrix, float[], int, int, boolean)}.
     * By default the handle only refers to B; SIMD implementations keep their panel copy in it.
     */
    default PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        return PackedMatrix.reference(transB, k, n, b, bOff, ldb);
    }

    /**
     * {@code C[m,n] (+)= op(A)[m,k] * B} with B prepared by {@link #pack}: the same results as
     * the unpacked call on the operand the handle refers to, without re-packing B each call.
     */
    default void gemm(boolean transA, int m, int n, int k, float[] a, int aOff, int lda, PackedMatrix b,
                      float[] c, int cOff, int ldc, boolean accumulate) {
        b.checkShape(k, n);
        gemm(transA, b.transB(), m, n, k, a, aOff, lda, b.source(), b.sourceOffset(), b.ldb(), c, cOff, ldc,
                accumulate);
    }

    /**
     * Runs {@code part.accept(q)} once for every {@code q} in {@code [0, parts)} and returns when
     * all have finished: independent pieces of work (the batch row blocks of a recurrent layer's
     * inference, each over the whole sequence), spread over the implementation's threads when it
     * has them, else run one after another. Parts must write disjoint outputs and compute them the
     * same way on any thread, so results never depend on the thread count. Inside a part, use
     * {@link #singleThreaded()}.
     */
    default void forEachPart(int parts, IntConsumer part) {
        for (int q = 0; q < parts; q++) {
            part.accept(q);
        }
    }

    /**
     * {@code out[outOff + j] += d[dOff + r*ld + j]} for every row r in {@code [0, rows)} in order,
     * j in {@code [0, cols)}: a bias gradient, the column sums of a {@code [rows, cols]} gradient.
     * Each column is summed row after row from its old value, so every implementation gives the
     * same bits.
     */
    default void addColumnSums(int rows, int cols, float[] d, int dOff, int ld, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int o = dOff + r * ld;
            for (int j = 0; j < cols; j++) {
                out[outOff + j] += d[o + j];
            }
        }
    }

    /** The most threads one call (or {@link #forEachPart}) may use. */
    default int threads() {
        return 1;
    }

    /**
     * This matmul without splitting calls between threads (same results): for work that
     * {@link #forEachPart} already spreads over the threads.
     */
    default MatMul singleThreaded() {
        return this;
    }

    /** A short name for benchmarks and logs, e.g. "scalar" or "vector-512". */
    String name();
}
